package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// validateRoute rejects a route without a handler or whose path does not
// start with /.
func validateRoute(r httpapi.Route) error {
	switch {
	case r.Path == "" || !strings.HasPrefix(r.Path, "/"):
		return fmt.Errorf("http server: route %q: path must start with /", r.Path)
	case r.Handler == nil:
		return fmt.Errorf("http server: route %s %s has no handler", r.Method, r.Path)
	}
	return nil
}

// routeKey tells routes apart: two routes with one key clash.
func routeKey(r httpapi.Route) string { return r.Method + " " + r.Path }

// buildRouter registers routes on a new router, rejecting duplicates.
// wrap decorates each route's handler (route name, streaming exemptions).
func buildRouter(routes []httpapi.Route, wrap func(httpapi.Route) http.Handler) (*mux.Router, error) {
	router := mux.NewRouter()
	router.NotFoundHandler = http.HandlerFunc(notFound)
	router.MethodNotAllowedHandler = http.HandlerFunc(methodNotAllowed(routes))
	seen := make(map[string]bool, len(routes))
	var errs []error
	for _, rt := range routes {
		if err := validateRoute(rt); err != nil {
			errs = append(errs, err)
			continue
		}
		if seen[routeKey(rt)] {
			errs = append(errs, fmt.Errorf("http server: route %s registered twice", routeKey(rt)))
			continue
		}
		seen[routeKey(rt)] = true
		r := router.Handle(rt.Path, wrap(rt))
		if rt.Method != "" {
			r.Methods(rt.Method)
		}
	}
	return router, errors.Join(errs...)
}
