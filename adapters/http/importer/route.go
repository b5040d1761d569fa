package importer

import (
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// Authenticator puts the request's principal in its context (the rpc
// package's *AuthMiddleware), answering failures itself.
type Authenticator interface {
	Wrap(next http.Handler) http.Handler
}

// Route is POST /import: h behind auth. It is a streaming route, exempt from
// the server's read and write timeouts, since an import may run for long.
func Route(h *Handler, auth Authenticator) httpapi.Route {
	return httpapi.Route{Method: http.MethodPost, Path: "/import", Handler: auth.Wrap(h), Streaming: true}
}
