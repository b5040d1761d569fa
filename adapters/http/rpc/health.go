package rpc

import (
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/ports"
)

type healthBody struct {
	Status string               `json:"status"`
	Error  *httpapi.ErrorFields `json:"error,omitempty"`
}

// HealthHandler serves GET /health: 200 {"status":"ok"}, or 503 with
// {"status":"unavailable","error":{...}} when the database cannot be reached.
// It needs no token, for load balancers and orchestrators.
func HealthHandler(h ports.HealthChecker) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := h.Health(r.Context()); err != nil {
			e := httpapi.ToError(err)
			info := httpapi.RequestInfoFrom(r.Context())
			info.SetErrorCode(e.Code)
			info.SetCause(err)
			writeJSON(w, r, http.StatusServiceUnavailable, healthBody{
				Status: "unavailable",
				Error:  &httpapi.ErrorFields{Code: e.Code, Message: e.Message},
			})
			return
		}
		writeJSON(w, r, http.StatusOK, healthBody{Status: "ok"})
	})
}

// VersionHandler serves GET /version: {"version":"x.y.z"}.
func VersionHandler(version string) http.Handler {
	body := map[string]string{"version": version}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, r, http.StatusOK, body)
	})
}
