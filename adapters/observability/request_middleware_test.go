package observability_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/observability"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"
)

// rpcLike reports an RPC method, namespace and error code like the RPC
// handler does, then answers with status.
func rpcLike(method string, status int, code string, cause error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := httpapi.RequestInfoFrom(r.Context())
		info.SetMethod(method)
		info.SetNamespace("tenant")
		if code != "" {
			info.SetErrorCode(code)
			info.SetCause(cause)
		}
		w.WriteHeader(status)
	})
}

func TestRequestMiddleware(t *testing.T) {
	t.Parallel()
	core, logs := observer.New(zapcore.DebugLevel)
	reg := prometheus.NewRegistry()
	metrics, err := observability.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	routes := []httpapi.Route{
		{Method: "POST", Path: "/ok", Handler: rpcLike("stream.write", 200, "", nil)},
		{Method: "POST", Path: "/bad", Handler: rpcLike("stream.get", 400, "INVALID_REQUEST", nil)},
		{Method: "POST", Path: "/conflict", Handler: rpcLike("stream.write", 409, "STREAM_VERSION_CONFLICT", nil)},
		{Method: "POST", Path: "/slow", Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { time.Sleep(30 * time.Millisecond) })},
		{Method: "GET", Path: "/subscribe", Handler: http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			httpapi.RequestInfoFrom(r.Context()).SetLongLived()
			time.Sleep(30 * time.Millisecond)
		})},
		{Method: "POST", Path: "/fail", Handler: rpcLike("stream.last", 500, "BACKEND_ERROR", boom)},
		{Method: "GET", Path: "/plain", Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})},
		{Method: "POST", Path: "/abort", Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, "[partial")
			panic(http.ErrAbortHandler)
		})},
	}
	logCfg := observability.RequestLogConfig{SlowRequest: 20 * time.Millisecond}
	srv, err := server.New(server.DefaultConfig(), routes, observability.NewRequestMiddleware(zap.New(core), metrics, logCfg))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	for _, req := range []struct{ method, path string }{
		{"POST", "/ok"}, {"POST", "/bad"}, {"POST", "/conflict"}, {"POST", "/fail"}, {"GET", "/plain"}, {"GET", "/nowhere"},
		{"POST", "/abort"}, {"POST", "/slow"}, {"GET", "/subscribe"},
	} {
		r, _ := http.NewRequest(req.method, ts.URL+req.path, nil)
		if resp, err := http.DefaultClient.Do(r); err == nil {
			_, _ = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
	}

	tests := []struct {
		msg    string
		level  zapcore.Level
		fields map[string]any
	}{
		{"stream.write", zapcore.InfoLevel, map[string]any{"http_method": "POST", "path": "/ok", "method": "stream.write", "status": int64(200), "namespace": "tenant"}},
		// 4xx answers are ordinary outcomes: info, not warn.
		{"stream.get", zapcore.InfoLevel, map[string]any{"status": int64(400), "code": "INVALID_REQUEST"}},
		{"stream.write", zapcore.InfoLevel, map[string]any{"status": int64(409), "code": "STREAM_VERSION_CONFLICT"}},
		{"stream.last", zapcore.ErrorLevel, map[string]any{"status": int64(500), "code": "BACKEND_ERROR", "error": "disk on fire"}},
		{"/plain", zapcore.InfoLevel, map[string]any{"status": int64(200), "path": "/plain"}},
		{"unmatched", zapcore.InfoLevel, map[string]any{"status": int64(404), "path": "/nowhere"}},
		{"/abort", zapcore.ErrorLevel, map[string]any{"aborted": true}},
		// Over the slow-request threshold: a warning, unless it is a subscription.
		{"/slow", zapcore.WarnLevel, map[string]any{"status": int64(200), "slow": true}},
		{"/subscribe", zapcore.InfoLevel, map[string]any{"status": int64(200)}},
	}
	entries := logs.All()
	if len(entries) != len(tests) {
		t.Fatalf("%d log entries, want one per request (%d): %v", len(entries), len(tests), entries)
	}
	for i, tt := range tests {
		e := entries[i]
		fields := e.ContextMap()
		if e.Message != tt.msg || e.Level != tt.level {
			t.Errorf("entry %d = %s %q, want %s %q", i, e.Level, e.Message, tt.level, tt.msg)
		}
		for k, v := range tt.fields {
			if fields[k] != v {
				t.Errorf("entry %d field %s = %v, want %v", i, k, fields[k], v)
			}
		}
		if d, ok := fields["duration"].(float64); !ok || d < 0 {
			t.Errorf("entry %d duration = %v, want milliseconds as a float", i, fields["duration"])
		}
		if last := e.Context[len(e.Context)-1].Key; last != "duration" {
			t.Errorf("entry %d: duration should be the last field, got %s", i, last)
		}
	}

	want := `
# HELP eventodb_requests_total Requests handled, by RPC method (or route) and status (ok or error).
# TYPE eventodb_requests_total counter
eventodb_requests_total{method="/abort",status="error"} 1
eventodb_requests_total{method="/plain",status="ok"} 1
eventodb_requests_total{method="stream.get",status="error"} 1
eventodb_requests_total{method="stream.last",status="error"} 1
eventodb_requests_total{method="/slow",status="ok"} 1
eventodb_requests_total{method="/subscribe",status="ok"} 1
eventodb_requests_total{method="stream.write",status="error"} 1
eventodb_requests_total{method="stream.write",status="ok"} 1
eventodb_requests_total{method="unmatched",status="error"} 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "eventodb_requests_total"); err != nil {
		t.Fatal(err)
	}
}

func TestRequestMiddlewareWithoutLoggerOrMetrics(t *testing.T) {
	t.Parallel()
	srv, err := server.New(server.DefaultConfig(), []httpapi.Route{{Method: "GET", Path: "/x", Handler: rpcLike("m", 200, "", nil)}},
		observability.NewRequestMiddleware(nil, nil, observability.DefaultRequestLogConfig()))
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	srv.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/x", nil))
	if w.Code != 200 {
		t.Fatalf("status %d", w.Code)
	}
}
