package rpc

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/eventodb/eventodb/adapters/http/server"
)

// errorBody is the wire shape of a failure.
type errorBody struct {
	Error errorFields `json:"error"`
}

type errorFields struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

// WriteError answers a request with err in the error envelope and the status
// its code maps to, and records the code (and any internal cause) in the
// request's server.RequestInfo for logs and metrics.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	e := ToError(err)
	info := server.RequestInfoFrom(r.Context())
	info.SetErrorCode(e.Code)
	if e.cause != nil {
		info.SetCause(e.cause)
	}
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", retryAfterSeconds(e.RetryAfter))
	}
	body, mErr := json.Marshal(errorBody{Error: errorFields{Code: e.Code, Message: e.Message, Details: e.Details}})
	if mErr != nil {
		body = []byte(`{"error":{"code":"` + CodeBackend + `","message":"internal backend error"}}`)
	}
	writeBody(w, e.Status, body)
}

// writeJSON answers with v encoded as JSON.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writeBody(w, status, body)
}

func writeBody(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
