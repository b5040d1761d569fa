package console

import (
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// Routes are GET /console (a redirect) and GET /console/{file}. Neither needs
// a token: the files are public, and the page sends the token itself.
func Routes(h *Handler) []httpapi.Route {
	return []httpapi.Route{
		{Method: http.MethodGet, Path: Prefix, Handler: Redirect()},
		{Method: http.MethodGet, Path: Prefix + "/{file:.*}", Handler: h},
	}
}
