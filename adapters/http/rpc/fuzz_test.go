package rpc_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// knownCodes are the wire codes a /rpc answer may carry (PROTOCOL.md §5).
var knownCodes = map[string]bool{
	"INVALID_REQUEST": true, "AUTH_REQUIRED": true, "AUTH_INVALID": true, "AUTH_FORBIDDEN": true,
	"METHOD_NOT_FOUND": true, "NAMESPACE_NOT_FOUND": true, "NAMESPACE_EXISTS": true,
	"STREAM_VERSION_CONFLICT": true, "DUPLICATE_MESSAGE_ID": true, "PAYLOAD_TOO_LARGE": true,
}

// FuzzRPC sends arbitrary bodies to POST /rpc over the memory store: every
// answer must be well-formed JSON, and every failure a 4xx in the error
// envelope with a known code — bad input never reaches a 500 or a panic.
func FuzzRPC(f *testing.F) {
	for _, seed := range []string{
		`["stream.write","account-1",{"type":"Opened","data":{"a":1},"metadata":{"correlationStreamName":"flow-1"}}]`,
		`["stream.write","account-1",[{"type":"A","data":{}},{"type":"B","data":{},"id":"7d6d6c1e-6d4c-4a52-9d0e-9e3c9a1f1b11"}],{"expectedVersion":-1}]`,
		`["stream.get","account-1",{"position":-1,"globalPosition":2,"batchSize":0}]`,
		`["stream.last","account-1",{"type":"A"}]`,
		`["stream.version","account-1"]`,
		`["category.get","account",{"batchSize":-1,"correlation":"flow","consumerGroup":{"member":1,"size":3}}]`,
		`["ns.streams",{"prefix":"acc","limit":5,"cursor":"a"}]`,
		`["ns.categories"]`, `["ns.info","tenant"]`, `["ns.list"]`, `["sys.health",{"pool":true}]`, `["sys.version"]`,
		`["ns.create","x",{"token":"bad"}]`, `["ns.delete","tenant"]`,
		``, `[`, `[]`, `[1]`, `{"a":1}`, `["nope"]`, "[\"stream.write\",\"s-\xff\",{}]", `["stream.get","s",{"batchSize":1e3}]`,
	} {
		f.Add(seed)
	}
	e := newEnv(f, envOptions{})
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/rpc", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.tenant)
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, req)
		out := w.Body.Bytes()
		if w.Code >= 500 {
			t.Fatalf("%q answered %d %s", body, w.Code, out)
		}
		if !json.Valid(out) {
			t.Fatalf("%q answered %d with a body that is not JSON: %q", body, w.Code, out)
		}
		if w.Code < 400 {
			return
		}
		var env wireError
		if err := json.Unmarshal(out, &env); err != nil || !knownCodes[env.Error.Code] || env.Error.Message == "" {
			t.Fatalf("%q answered %d with %s: not the error envelope with a known code", body, w.Code, out)
		}
	})
}
