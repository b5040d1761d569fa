package rpc

import (
	"encoding/json"
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/server"
)

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
	httpapi.WriteErrorBody(w, e.Status, httpapi.ErrorFields{Code: e.Code, Message: e.Message, Details: e.Details}, e.RetryAfter)
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

func writeBody(w http.ResponseWriter, status int, body []byte) { httpapi.WriteJSON(w, status, body) }
