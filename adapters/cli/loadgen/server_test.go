package loadgen_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// startServer runs the whole EventoDB server in test mode on a free port,
// with the given rate limit (0: none), and returns its base URL.
func startServer(t *testing.T, rateLimit int) string {
	t.Helper()
	cfg := config.Default()
	cfg.TestMode, cfg.RateLimit = true, rateLimit
	return apptest.Start(t, cfg).URL
}

// rpc calls method on the server at base (default namespace) and decodes
// the result into out.
func rpc(t *testing.T, base string, out any, method string, args ...any) {
	t.Helper()
	body, _ := json.Marshal(append([]any{method}, args...))
	resp, err := http.Post(base+"/rpc", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: HTTP %d %s", method, resp.StatusCode, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		t.Fatalf("%s: %v: %s", method, err, raw)
	}
}

// fakeServer answers sys.version with "9.9.9" and every other method with
// answer(n), n counting those requests from 0.
func fakeServer(t *testing.T, answer func(n int64, method string, w http.ResponseWriter)) string {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var call []json.RawMessage
		if r.URL.Path != "/rpc" || json.NewDecoder(r.Body).Decode(&call) != nil || len(call) == 0 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		var method string
		_ = json.Unmarshal(call[0], &method)
		if method == "sys.version" {
			_, _ = io.WriteString(w, `"9.9.9"`)
			return
		}
		answer(n.Add(1)-1, method, w)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// rpcError writes an EventoDB error response.
func rpcError(w http.ResponseWriter, status int, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, `{"error":{"code":"`+code+`","message":"refused by the fake server"}}`)
}

// metricsServer is a fake EventoDB that answers sys.version with "9.9.9",
// stream.get and category.get with two messages (runs against it read
// batches of 2), every other method with a write's result, and GET
// /metrics with metrics(n), n counting those requests from 0.
func metricsServer(t *testing.T, metrics func(n int64, w http.ResponseWriter)) string {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/metrics":
			if r.Header.Get("Authorization") != "" {
				t.Errorf("GET /metrics sent a token")
			}
			metrics(n.Add(1)-1, w)
		case r.Method == http.MethodPost && r.URL.Path == "/rpc":
			body, _ := io.ReadAll(r.Body)
			const id, at = `"5f0c7c4e-8a6d-4c3e-9b1a-2d7f1e9a0b3c"`, `"2025-01-02T03:04:05.000006Z"`
			switch call := string(body); {
			case strings.HasPrefix(call, `["sys.version"`):
				_, _ = io.WriteString(w, `"9.9.9"`)
			case strings.HasPrefix(call, `["stream.get"`):
				m := `[` + id + `,"T",0,1,{},null,` + at + `]`
				_, _ = io.WriteString(w, `[`+m+`,`+m+`]`)
			case strings.HasPrefix(call, `["category.get"`):
				m := `[` + id + `,"c-1","T",0,1,{},null,` + at + `]`
				_, _ = io.WriteString(w, `[`+m+`,`+m+`]`)
			default:
				_, _ = io.WriteString(w, `{"position":0,"globalPosition":1}`)
			}
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}
