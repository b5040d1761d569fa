package server

import (
	"context"
	"net/http"
	"time"
)

// wrapRoute decorates a route's handler: it records the route in the request's
// RequestInfo and, for streaming routes, lifts the connection deadlines and
// ties the request context to the server's draining signal.
func (s *Server) wrapRoute(rt Route) http.Handler {
	name := rt.Path
	next := rt.Handler
	if !rt.Streaming {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			RequestInfoFrom(r.Context()).SetRoute(name)
			next.ServeHTTP(w, r)
		})
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		RequestInfoFrom(r.Context()).SetRoute(name)
		rc := http.NewResponseController(w)
		// Errors mean the writer cannot change deadlines (e.g. httptest's
		// recorder), where there are none to lift.
		_ = rc.SetWriteDeadline(time.Time{})
		_ = rc.SetReadDeadline(time.Time{})
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(s.draining, cancel)
		defer stop()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
