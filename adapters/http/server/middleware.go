package server

import (
	"sort"

	"github.com/gorilla/mux"
	"go.uber.org/fx"
)

// Middleware wraps every request the server handles, matched or not.
type Middleware struct {
	// Order sorts middleware: lower values wrap the ones with higher values
	// (they run first). Request logging uses 0.
	Order int
	Wrap  mux.MiddlewareFunc
}

// AsMiddleware annotates a constructor returning a Middleware so fx adds its
// result to the "http.middleware" value group the server module collects.
func AsMiddleware(f any) any {
	return fx.Annotate(f, fx.ResultTags(`group:"http.middleware"`))
}

// Ordered returns the middleware functions sorted by Order, outermost first.
func Ordered(ms []Middleware) []mux.MiddlewareFunc {
	sorted := append([]Middleware(nil), ms...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Order < sorted[j].Order })
	out := make([]mux.MiddlewareFunc, 0, len(sorted))
	for _, m := range sorted {
		if m.Wrap != nil {
			out = append(out, m.Wrap)
		}
	}
	return out
}
