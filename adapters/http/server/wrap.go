package server

import (
	"context"
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// wrapRoute decorates a route's handler: it records the route in the request's
// RequestInfo and, for streaming routes, ties the request context to the
// server's draining signal. The server's read and write deadlines stay in
// force until the handler lifts them with httpapi.KeepStreaming — after it has
// authenticated the request, so a client without a valid token cannot hold a
// connection open.
func (s *Server) wrapRoute(rt httpapi.Route) http.Handler {
	name := rt.Path
	next := rt.Handler
	if !rt.Streaming {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			httpapi.RequestInfoFrom(r.Context()).SetRoute(name)
			next.ServeHTTP(w, r)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpapi.RequestInfoFrom(r.Context()).SetRoute(name)
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(s.draining, cancel)
		defer stop()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
