// Package server owns the HTTP listener: a gorilla/mux router built from the
// routes other adapters contribute (through the fx value group "routes"), the
// http.Server timeouts, and a graceful start/stop lifecycle. It is the one HTTP
// package the other HTTP adapters import, for Route, Middleware and RequestInfo.
package server
