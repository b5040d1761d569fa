package httpapi

// Listener is the running HTTP server as the other adapters see it: where it
// listens. The server module provides its *server.Server as a Listener.
type Listener interface {
	// Addr is the address the server listens on (with the actual port when
	// it was asked for port 0), or "" before it starts.
	Addr() string
}
