package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// notFound answers a path no route serves, in the error envelope every other
// failure uses, with the protocol's METHOD_NOT_FOUND: an HTTP method and path
// are a method of the API too.
func notFound(w http.ResponseWriter, r *http.Request) {
	httpapi.RequestInfoFrom(r.Context()).SetErrorCode(httpapi.CodeMethodNotFound)
	httpapi.WriteErrorBody(w, http.StatusNotFound, httpapi.ErrorFields{
		Code:    httpapi.CodeMethodNotFound,
		Message: fmt.Sprintf("nothing is served at %s %s", r.Method, r.URL.Path),
	}, 0)
}

// methodNotAllowed answers a known path asked with another HTTP method: 405,
// the methods it takes in Allow, and the error envelope.
func methodNotAllowed(routes []httpapi.Route) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, rt := range routes {
			if rt.Path == r.URL.Path && rt.Method != "" && !slices.Contains(allowed, rt.Method) {
				allowed = append(allowed, rt.Method)
			}
		}
		slices.Sort(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		httpapi.RequestInfoFrom(r.Context()).SetErrorCode(httpapi.CodeMethodNotFound)
		httpapi.WriteErrorBody(w, http.StatusMethodNotAllowed, httpapi.ErrorFields{
			Code:    httpapi.CodeMethodNotFound,
			Message: fmt.Sprintf("%s takes %s, not %s", r.URL.Path, strings.Join(allowed, " or "), r.Method),
		}, 0)
	}
}
