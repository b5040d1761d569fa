// Package console serves the web console: a small browser application,
// embedded in the binary, that signs in with a token and shows namespaces,
// streams, categories, messages, a live tail and consumer groups. It talks to
// the server only through the public protocol (POST /rpc, GET /subscribe),
// so it needs nothing from the other adapters but a route in the server.
//
// The front end is plain HTML, CSS and ES modules under static/: no build
// step, no CDN, and a Content-Security-Policy that allows only this origin.
package console
