package rpc

import (
	"encoding/json"
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// writeJSON answers with v encoded as JSON.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		httpapi.WriteError(w, r, err)
		return
	}
	writeBody(w, status, body)
}

func writeBody(w http.ResponseWriter, status int, body []byte) { httpapi.WriteJSON(w, status, body) }
