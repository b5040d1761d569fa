package rpc

import (
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/ports"
)

// RPCRoute is POST /rpc: h behind the auth middleware.
func RPCRoute(h *Handler, auth *httpapi.AuthMiddleware) httpapi.Route {
	return httpapi.Route{Method: http.MethodPost, Path: "/rpc", Handler: auth.Wrap(h)}
}

// HealthRoute is GET /health.
func HealthRoute(h ports.HealthChecker) httpapi.Route {
	return httpapi.Route{Method: http.MethodGet, Path: "/health", Handler: HealthHandler(h)}
}

// VersionRoute is GET /version.
func VersionRoute(version string) httpapi.Route {
	return httpapi.Route{Method: http.MethodGet, Path: "/version", Handler: VersionHandler(version)}
}
