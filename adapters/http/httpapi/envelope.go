package httpapi

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
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
	body, err := appendErrorBody(make([]byte, 0, 128+len(f.Message)), f)
	if err != nil {
		body = []byte(`{"error":{"code":"BACKEND_ERROR","message":"internal backend error"}}`)
		status = http.StatusInternalServerError
	}
	WriteJSON(w, status, body)
}

// appendErrorBody appends ErrorBody{f} as JSON, written by hand: under
// contention most answers are errors (version conflicts), and encoding/json
// would reflect over the details map of each. Details keys come sorted, as
// encoding/json sorts them.
func appendErrorBody(b []byte, f ErrorFields) ([]byte, error) {
	b = append(b, `{"error":{"code":`...)
	b = AppendJSONString(b, f.Code)
	b = append(b, `,"message":`...)
	b = AppendJSONString(b, f.Message)
	if len(f.Details) > 0 {
		b = append(b, `,"details":{`...)
		for i, key := range slices.Sorted(maps.Keys(f.Details)) {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendJSONString(b, key)
			b = append(b, ':')
			switch v := f.Details[key].(type) {
			case int64:
				b = strconv.AppendInt(b, v, 10)
			case string:
				b = AppendJSONString(b, v)
			default:
				value, err := json.Marshal(v)
				if err != nil {
					return nil, err
				}
				b = append(b, value...)
			}
		}
		b = append(b, '}')
	}
	return append(b, "}}"...), nil
}

// jsonContentType is shared by every response; net/http only reads it.
var jsonContentType = []string{"application/json"}

// WriteJSON answers with status and body, a JSON document.
func WriteJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h["Content-Type"] = jsonContentType // canonical keys, set directly: no allocation
	h["Content-Length"] = []string{strconv.Itoa(len(body))}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
