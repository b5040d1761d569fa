package httpapi

import (
	"net/http"

	"go.uber.org/fx"
)

// Route is one endpoint an adapter contributes to the HTTP server
// (adapters/http/server), which serves every Route of the "routes" group.
type Route struct {
	// Method is the HTTP method to match; "" matches every method.
	Method string
	// Path is a gorilla/mux path template, e.g. "/rpc".
	Path    string
	Handler http.Handler
	// Streaming marks long-lived responses (SSE, import). Their request
	// context is cancelled when the server starts draining, so they end
	// cleanly on Stop; their handler lifts the server's read and write
	// timeouts once it has authenticated the request (KeepStreaming).
	Streaming bool
}

// AsRoute annotates a constructor returning a Route so fx adds its result to
// the "routes" value group the server collects.
func AsRoute(f any) any {
	return fx.Annotate(f, fx.ResultTags(`group:"routes"`))
}
