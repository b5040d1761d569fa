package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"
	"go.uber.org/fx"
)

// Route is one endpoint an adapter contributes to the server.
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

func (r Route) validate() error {
	switch {
	case r.Path == "" || !strings.HasPrefix(r.Path, "/"):
		return fmt.Errorf("http server: route %q: path must start with /", r.Path)
	case r.Handler == nil:
		return fmt.Errorf("http server: route %s %s has no handler", r.Method, r.Path)
	}
	return nil
}

func (r Route) key() string { return r.Method + " " + r.Path }

// buildRouter registers routes on a new router, rejecting duplicates.
// wrap decorates each route's handler (route name, streaming exemptions).
func buildRouter(routes []Route, wrap func(Route) http.Handler) (*mux.Router, error) {
	router := mux.NewRouter()
	router.NotFoundHandler = http.HandlerFunc(notFound)
	router.MethodNotAllowedHandler = http.HandlerFunc(methodNotAllowed(routes))
	seen := make(map[string]bool, len(routes))
	var errs []error
	for _, rt := range routes {
		if err := rt.validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[rt.key()] {
			errs = append(errs, fmt.Errorf("http server: route %s registered twice", rt.key()))
			continue
		}
		seen[rt.key()] = true
		r := router.Handle(rt.Path, wrap(rt))
		if rt.Method != "" {
			r.Methods(rt.Method)
		}
	}
	return router, errors.Join(errs...)
}
