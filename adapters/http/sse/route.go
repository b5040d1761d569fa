package sse

import (
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// Route is GET /subscribe: h behind the auth middleware, which also accepts
// ?token= (EventSource cannot set headers). It is a streaming route: exempt
// from the server's read and write timeouts and ended when the server drains.
func Route(h *Handler, auth *httpapi.AuthMiddleware) httpapi.Route {
	return httpapi.Route{Method: http.MethodGet, Path: "/subscribe", Handler: auth.WrapAllowQuery(h), Streaming: true}
}
