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
