package rpc

import (
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/ports"
)

// RPCRoute is POST /rpc: h behind the auth middleware.
func RPCRoute(h *Handler, auth *AuthMiddleware) server.Route {
	return server.Route{Method: http.MethodPost, Path: "/rpc", Handler: auth.Wrap(h)}
}

// HealthRoute is GET /health.
func HealthRoute(h ports.HealthChecker) server.Route {
	return server.Route{Method: http.MethodGet, Path: "/health", Handler: HealthHandler(h)}
}

// VersionRoute is GET /version.
func VersionRoute(version string) server.Route {
	return server.Route{Method: http.MethodGet, Path: "/version", Handler: VersionHandler(version)}
}
