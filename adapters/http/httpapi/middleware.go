package httpapi

import (
	"net/http"

	"go.uber.org/fx"
)

// Middleware wraps every request the server handles, matched or not.
type Middleware struct {
	// Order sorts middleware: lower values wrap the ones with higher values
	// (they run first). Request logging uses 0.
	Order int
	Wrap  func(http.Handler) http.Handler
}

// AsMiddleware annotates a constructor returning a Middleware so fx adds its
// result to the "http.middleware" value group the server module collects.
func AsMiddleware(f any) any {
	return fx.Annotate(f, fx.ResultTags(`group:"http.middleware"`))
}
