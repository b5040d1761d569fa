package observability_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/observability"
	"github.com/eventodb/eventodb/ports"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

type fakeHealth struct {
	mu     sync.Mutex
	health ports.Health
	err    error
}

func (f *fakeHealth) Health(context.Context) (ports.Health, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.health, f.err
}

func (f *fakeHealth) set(h ports.Health, err error) {
	f.mu.Lock()
	f.health, f.err = h, err
	f.mu.Unlock()
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := observability.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := observability.NewMetrics(reg); err == nil {
		t.Fatal("registering the metrics twice on one registry must fail")
	}
	if _, err := observability.NewMetrics(nil); err == nil {
		t.Fatal("NewMetrics(nil) must fail")
	}
	m.ObserveRequest("stream.write", true, 3*time.Millisecond)
	m.ObserveRequest("stream.write", true, time.Millisecond)
	m.ObserveRequest("stream.write", false, time.Millisecond)
	m.SSEConnections.Inc()
	want := `
# HELP eventodb_requests_total Requests handled, by RPC method (or route) and status (ok or error).
# TYPE eventodb_requests_total counter
eventodb_requests_total{method="stream.write",status="error"} 1
eventodb_requests_total{method="stream.write",status="ok"} 2
# HELP eventodb_sse_connections Open Server-Sent Events subscriptions.
# TYPE eventodb_sse_connections gauge
eventodb_sse_connections 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "eventodb_requests_total", "eventodb_sse_connections"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(m.Duration); n != 1 {
		t.Fatalf("duration series = %d, want 1", n)
	}
	var nilMetrics *observability.Metrics
	nilMetrics.ObserveRequest("x", true, 0) // must not panic
}

func TestPoolCollector(t *testing.T) {
	t.Parallel()
	h := &fakeHealth{health: ports.Health{Backend: "sqlite", Connections: 4, InUse: 1, Idle: 3, MaxOpen: 8, WaitCount: 2}}
	reg := prometheus.NewRegistry()
	if err := reg.Register(observability.NewPoolCollector(h, 0)); err != nil {
		t.Fatal(err)
	}
	want := `
# HELP eventodb_db_connections Database connections by state: open (all), in_use and idle.
# TYPE eventodb_db_connections gauge
eventodb_db_connections{backend="sqlite",state="idle"} 3
eventodb_db_connections{backend="sqlite",state="in_use"} 1
eventodb_db_connections{backend="sqlite",state="open"} 4
# HELP eventodb_db_max_open_connections Configured maximum of open database connections (0: unlimited).
# TYPE eventodb_db_max_open_connections gauge
eventodb_db_max_open_connections{backend="sqlite"} 8
# HELP eventodb_db_up 1 when the database answered the health check of this scrape, else 0.
# TYPE eventodb_db_up gauge
eventodb_db_up 1
# HELP eventodb_db_wait_count_total Times a query waited for a free database connection.
# TYPE eventodb_db_wait_count_total counter
eventodb_db_wait_count_total{backend="sqlite"} 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Fatal(err)
	}

	// Read at scrape time: a change shows on the next scrape.
	h.set(ports.Health{}, fmt.Errorf("ping: %w", ports.ErrUnavailable))
	down := `
# HELP eventodb_db_up 1 when the database answered the health check of this scrape, else 0.
# TYPE eventodb_db_up gauge
eventodb_db_up 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(down)); err != nil {
		t.Fatal(err)
	}
}

func TestMetricsRoute(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	m, err := observability.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	m.ObserveRequest("stream.get", true, time.Millisecond)
	route := observability.MetricsRoute(reg)
	if route.Method != http.MethodGet || route.Path != "/metrics" {
		t.Fatalf("route = %s %s", route.Method, route.Path)
	}
	w := httptest.NewRecorder()
	route.Handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body, _ := io.ReadAll(w.Body)
	if w.Code != 200 || !strings.Contains(string(body), `eventodb_requests_total{method="stream.get",status="ok"} 1`) ||
		!strings.Contains(string(body), "eventodb_request_duration_seconds_bucket") {
		t.Fatalf("GET /metrics = %d\n%s", w.Code, body)
	}
}

func TestNewRegistryHasRuntimeCollectors(t *testing.T) {
	t.Parallel()
	reg, err := observability.NewRegistry()
	if err != nil {
		t.Fatal(err)
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range families {
		names[f.GetName()] = true
	}
	if !names["go_goroutines"] {
		t.Fatalf("the registry lacks Go runtime metrics: %v", names)
	}
}
