// Package server hosts the HTTP API: a gorilla/mux router built from the
// routes other adapters contribute (through the fx value group "routes"), the
// middleware of the "http.middleware" group, the http.Server timeouts, and a
// graceful start/stop lifecycle. It is hosting only: what a route, a
// middleware or a handler needs (httpapi.Route, httpapi.Middleware,
// httpapi.RequestInfo, …) lives in adapters/http/httpapi, so no other
// adapter imports this package.
package server
