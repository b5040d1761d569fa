package server

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// codeNotFound is the wire code of a request nothing serves: the protocol's
// METHOD_NOT_FOUND, an HTTP method and path being a method of the API too.
const codeNotFound = "METHOD_NOT_FOUND"

// notFound answers a path no route serves, in the error envelope every other
// failure uses.
func notFound(w http.ResponseWriter, r *http.Request) {
	RequestInfoFrom(r.Context()).SetErrorCode(codeNotFound)
	httpapi.WriteErrorBody(w, http.StatusNotFound, httpapi.ErrorFields{
		Code:    codeNotFound,
		Message: fmt.Sprintf("nothing is served at %s %s", r.Method, r.URL.Path),
	}, 0)
}

// methodNotAllowed answers a known path asked with another HTTP method: 405,
// the methods it takes in Allow, and the error envelope.
func methodNotAllowed(routes []Route) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		var allowed []string
		for _, rt := range routes {
			if rt.Path == r.URL.Path && rt.Method != "" && !slices.Contains(allowed, rt.Method) {
				allowed = append(allowed, rt.Method)
			}
		}
		slices.Sort(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		RequestInfoFrom(r.Context()).SetErrorCode(codeNotFound)
		httpapi.WriteErrorBody(w, http.StatusMethodNotAllowed, httpapi.ErrorFields{
			Code:    codeNotFound,
			Message: fmt.Sprintf("%s takes %s, not %s", r.URL.Path, strings.Join(allowed, " or "), r.Method),
		}, 0)
	}
}
