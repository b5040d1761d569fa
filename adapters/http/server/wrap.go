package server

import (
	"context"
	"net/http"
	"time"
)

// wrapRoute decorates a route's handler: it records the route in the request's
// RequestInfo and, for streaming routes, ties the request context to the
// server's draining signal. The server's read and write deadlines stay in
// force until the handler lifts them with KeepStreaming — after it has
// authenticated the request, so a client without a valid token cannot hold a
// connection open.
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
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(s.draining, cancel)
		defer stop()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// KeepStreaming lifts the server's read and write deadlines of the
// connection serving w, for a streaming response that lasts as long as its
// client wants (a subscription). Call it only once the request is
// authenticated. Errors mean the writer cannot change deadlines (e.g.
// httptest's recorder), where there are none to lift.
func KeepStreaming(w http.ResponseWriter) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	_ = rc.SetReadDeadline(time.Time{})
}

// ExtendDeadlines moves the read and write deadlines of the connection
// serving w to idle from now: a streaming request that keeps moving lives
// on, one that stalls for idle is cut off.
func ExtendDeadlines(w http.ResponseWriter, idle time.Duration) {
	rc := http.NewResponseController(w)
	at := time.Now().Add(idle)
	_ = rc.SetWriteDeadline(at)
	_ = rc.SetReadDeadline(at)
}
