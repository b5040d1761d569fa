package httpapi

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// ErrorBody is the wire shape of every failure:
// {"error": {"code": "…", "message": "…", "details": {…}}}.
type ErrorBody struct {
	Error ErrorFields `json:"error"`
}

// ErrorFields are an error's code, human message and optional details.
type ErrorFields struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details,omitempty"`
}

// WriteErrorBody answers with status and the error envelope of f, and with
// Retry-After when retryAfter is positive (whole seconds, at least 1).
func WriteErrorBody(w http.ResponseWriter, status int, f ErrorFields, retryAfter time.Duration) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(max(1, int64((retryAfter+time.Second-1)/time.Second)), 10))
	}
	body, err := json.Marshal(ErrorBody{Error: f})
	if err != nil {
		body = []byte(`{"error":{"code":"BACKEND_ERROR","message":"internal backend error"}}`)
		status = http.StatusInternalServerError
	}
	WriteJSON(w, status, body)
}

// WriteJSON answers with status and body, a JSON document.
func WriteJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
