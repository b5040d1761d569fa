package loadgen_test

import (
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"

	"github.com/eventodb/eventodb/adapters/cli/loadgen"
)

// textMetrics is a /metrics answer in the text format with the CPU counter
// at cpu among other families, as the Prometheus client writes it.
func textMetrics(cpu float64) string {
	return fmt.Sprintf(`# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 12
# HELP eventodb_requests_total RPC requests by method and outcome.
# TYPE eventodb_requests_total counter
eventodb_requests_total{method="stream.write",status="ok"} 1234
eventodb_requests_total{method="sys.version",status="ok"} 3
# HELP eventodb_request_duration_seconds RPC latency.
# TYPE eventodb_request_duration_seconds histogram
eventodb_request_duration_seconds_bucket{method="stream.write",le="0.005"} 1200
eventodb_request_duration_seconds_bucket{method="stream.write",le="+Inf"} 1234
eventodb_request_duration_seconds_sum{method="stream.write"} 0.9
eventodb_request_duration_seconds_count{method="stream.write"} 1234
# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.
# TYPE process_cpu_seconds_total counter
process_cpu_seconds_total %g
# HELP process_open_fds Number of open file descriptors.
# TYPE process_open_fds gauge
process_open_fds 17
`, cpu)
}

// serveText writes body as the Prometheus text format.
func serveText(w http.ResponseWriter, body string) {
	w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
	_, _ = io.WriteString(w, body)
}

// serveProto writes the CPU counter at cpu as delimited protobuf, the other
// format the Prometheus client serves.
func serveProto(w http.ResponseWriter, cpu float64) {
	format := expfmt.NewFormat(expfmt.TypeProtoDelim)
	w.Header().Set("Content-Type", string(format))
	enc := expfmt.NewEncoder(w, format)
	for _, mf := range []*dto.MetricFamily{
		{Name: new("go_goroutines"), Type: dto.MetricType_GAUGE.Enum(), Metric: []*dto.Metric{{Gauge: &dto.Gauge{Value: new(12.0)}}}},
		{Name: new(loadgen.CPUMetric), Type: dto.MetricType_COUNTER.Enum(), Metric: []*dto.Metric{{Counter: &dto.Counter{Value: new(cpu)}}}},
	} {
		if err := enc.Encode(mf); err != nil {
			panic(err)
		}
	}
}

// The server's CPU during a row is the difference of its counter read
// before and after, in either exposition format, and is divided by the
// requests answered.
func TestServerCPUFromMetrics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		serve func(w http.ResponseWriter, cpu float64)
	}{
		{"text format", func(w http.ResponseWriter, cpu float64) { serveText(w, textMetrics(cpu)) }},
		{"delimited protobuf", serveProto},
		{"untyped, no content type", func(w http.ResponseWriter, cpu float64) {
			w.Header()["Content-Type"] = nil
			_, _ = fmt.Fprintf(w, "process_cpu_seconds_total %g\n", cpu)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Before the row 1.5 s, after it 1.75 s: 250 ms for 50 requests.
			base := metricsServer(t, func(n int64, w http.ResponseWriter) { tt.serve(w, 1.5+0.25*float64(n)) })
			rep := run(t, newConfig(base, loadgen.Write, 50, 2))
			row := rep.Rows[0]
			perOp, ok := row.CPUPerOp()
			if row.ServerCPUNA != "" || row.ServerCPU != 250*time.Millisecond || !ok || perOp != 5*time.Millisecond {
				t.Fatalf("server CPU %v (n/a: %q), per op %v %v; want 250ms and 5ms", row.ServerCPU, row.ServerCPUNA, perOp, ok)
			}
			if row.OK != 50 || rep.CPUNote() != "" {
				t.Errorf("%d ok, note %q", row.OK, rep.CPUNote())
			}
		})
	}
}

// A server whose /metrics cannot tell its CPU is measured all the same;
// its rows have no CPU, and the report says why.
func TestServerCPUUnknown(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		metrics func(n int64, w http.ResponseWriter)
		want    string
	}{
		{"no /metrics", func(_ int64, w http.ResponseWriter) { http.Error(w, "404 page not found", http.StatusNotFound) },
			"GET /metrics: HTTP 404"},
		{"no CPU counter", func(_ int64, w http.ResponseWriter) {
			serveText(w, strings.ReplaceAll(textMetrics(1), "process_cpu_seconds_total", "process_cpu_seconds"))
		}, "GET /metrics: no process_cpu_seconds_total in the answer"},
		{"not metrics", func(_ int64, w http.ResponseWriter) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html><body>{ hello }</body></html>\n")
		}, "GET /metrics: not the Prometheus exposition format: text format parsing error in line 1"},
		{"several series", func(_ int64, w http.ResponseWriter) {
			serveText(w, "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total{pid=\"1\"} 1\nprocess_cpu_seconds_total{pid=\"2\"} 2\n")
		}, "GET /metrics: process_cpu_seconds_total has 2 series, want 1"},
		{"a histogram", func(_ int64, w http.ResponseWriter) {
			serveText(w, "# TYPE process_cpu_seconds_total histogram\nprocess_cpu_seconds_total_bucket{le=\"+Inf\"} 1\nprocess_cpu_seconds_total_sum 1\nprocess_cpu_seconds_total_count 1\n")
		}, "GET /metrics: process_cpu_seconds_total is a HISTOGRAM, not a counter"},
		{"counter went back", func(n int64, w http.ResponseWriter) { serveText(w, textMetrics(9-float64(n))) },
			"process_cpu_seconds_total went back from 9 to 8: did the server restart?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			base := metricsServer(t, tt.metrics)
			rep := run(t, newConfig(base, loadgen.Write, 20, 2))
			row := rep.Rows[0]
			if _, ok := row.CPUPerOp(); ok || row.ServerCPU != 0 || !strings.Contains(row.ServerCPUNA, tt.want) {
				t.Fatalf("server CPU %v, n/a %q; want unknown because %q", row.ServerCPU, row.ServerCPUNA, tt.want)
			}
			if row.OK != 20 || rep.CPUNote() != "server CPU: n/a ("+row.ServerCPUNA+")" {
				t.Errorf("%d ok, note %q", row.OK, rep.CPUNote())
			}
			var b strings.Builder
			if err := rep.WriteTable(&b); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "  n/a  ") || !strings.Contains(b.String(), rep.CPUNote()) {
				t.Errorf("table lacks n/a and the note:\n%s", b.String())
			}
		})
	}
}

// After /metrics failed, later rows of the run do not ask again.
func TestServerCPUAskedNoMoreAfterAFailure(t *testing.T) {
	t.Parallel()
	var asked atomic.Int64
	base := metricsServer(t, func(_ int64, w http.ResponseWriter) {
		asked.Add(1)
		http.Error(w, "gone", http.StatusServiceUnavailable)
	})
	cfg := newConfig(base, loadgen.All, 5, 2)
	cfg.Batch = 2
	rep := run(t, cfg)
	if len(rep.Rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rep.Rows))
	}
	for _, row := range rep.Rows {
		if row.OK != 5 || row.ServerCPUNA != "GET /metrics: HTTP 503" {
			t.Errorf("%s: %d ok, n/a %q", row.Name, row.OK, row.ServerCPUNA)
		}
	}
	if n := asked.Load(); n != 1 {
		t.Errorf("/metrics asked %d times in a run of 4 rows, want once", n)
	}
}

// Against the real server: its CPU counter is read for every row, and a
// busy row costs it some CPU, never more than the machine has.
func TestServerCPUOfTheRealServer(t *testing.T) {
	t.Parallel()
	base := startServer(t, 0)
	cfg := newConfig(base, loadgen.Write, loadgen.MaxRequests, 4)
	cfg.Duration = 500 * time.Millisecond
	rep := run(t, cfg)
	row := rep.Rows[0]
	// The test server runs in this process, so its counter includes the
	// load generator's CPU: bounded by the elapsed time on every core (plus
	// two steps of the 10 ms accounting).
	bound := row.Elapsed*time.Duration(runtime.NumCPU()) + 20*time.Millisecond
	if row.ServerCPUNA != "" || row.ServerCPU <= 0 || row.ServerCPU > bound {
		t.Fatalf("server CPU %v (n/a %q) over %v with %d requests; want more than 0 and at most %v",
			row.ServerCPU, row.ServerCPUNA, row.Elapsed, row.Requests, bound)
	}
	if perOp, ok := row.CPUPerOp(); !ok || perOp != row.ServerCPU/time.Duration(row.Requests) {
		t.Errorf("per op %v %v", perOp, ok)
	}
}
