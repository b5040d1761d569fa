package main

import (
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// startBenchServer runs the whole server in test mode on a free port with
// the given rate limit (0: none) and returns its base URL.
func startBenchServer(t *testing.T, rateLimit int) string {
	t.Helper()
	cfg := config.Default()
	cfg.TestMode, cfg.RateLimit = true, rateLimit
	return apptest.Start(t, cfg).URL
}

func TestBenchUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"bad scenario", []string{"--scenario", "burst"}, `eventodb: --scenario must be one of write, read, category, mixed, all, got "burst"`},
		{"negative concurrency", []string{"--concurrency", "-3"}, "eventodb: --concurrency must be between 1 and 10000, got -3"},
		{"zero requests", []string{"--requests", "0"}, "eventodb: --requests must be between 1 and 10000000, got 0"},
		{"batch too big", []string{"--batch", "20000"}, "eventodb: --batch must be between 1 and 10000, got 20000"},
		{"zero duration", []string{"--duration", "0"}, "eventodb: --duration must be positive, got 0s"},
		{"not a duration", []string{"--duration", "ten"}, `eventodb: invalid argument "ten" for "--duration"`},
		{"bad URL", []string{"--url", "localhost:8080"}, `eventodb: --url must look like http://localhost:8080, got "localhost:8080"`},
		{"stray argument", []string{"write"}, `"write"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(t, append([]string{"bench"}, tt.args...)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, tt.stderr) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", code, stdout, stderr, tt.stderr)
			}
		})
	}
}

func TestBenchAgainstServer(t *testing.T) {
	t.Parallel()
	base := startBenchServer(t, 0)

	code, stdout, stderr := run(t, "bench", "--url", base, "--requests", "20", "--concurrency", "3", "--json")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var rep struct {
		Succeeded int
		Rows      []struct {
			Name                string
			Workers, Requests   int
			OK                  int
			P50Ms, P99Ms, MaxMs float64
			ServerCPUMs         *float64
			ServerCPUUsPerOp    *float64
			Result              string
		}
		ServerCPUNote string
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("--json printed no JSON object: %v\n%s", err, stdout)
	}
	wantNames := []string{"stream.write (single)", "stream.get (100 messages)", "category.get (100 messages)", "concurrent writes (3)"}
	if rep.Succeeded != 80 || len(rep.Rows) != len(wantNames) {
		t.Fatalf("report %+v", rep)
	}
	for i, row := range rep.Rows {
		if row.Name != wantNames[i] || row.Requests != 20 || row.OK != 20 || row.P50Ms <= 0 || row.P50Ms > row.P99Ms || row.P99Ms > row.MaxMs ||
			(row.Result != "PASS" && row.Result != "FAIL") {
			t.Errorf("row %d %+v", i, row)
		}
		if row.ServerCPUMs == nil || row.ServerCPUUsPerOp == nil || *row.ServerCPUMs < 0 ||
			*row.ServerCPUUsPerOp != math.Round(*row.ServerCPUMs*1000/float64(row.Requests)*10)/10 {
			t.Errorf("row %d: server CPU %v ms, %v µs/op: want both, the second the first per request", i, row.ServerCPUMs, row.ServerCPUUsPerOp)
		}
	}
	if rep.ServerCPUNote != "" {
		t.Errorf("serverCpuNote %q, want none: the server has /metrics", rep.ServerCPUNote)
	}

	code, stdout, stderr = run(t, "bench", "--url", base, "--scenario", "category", "--batch", "10", "--requests", "15")
	if code != exitOK || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	for _, want := range []string{"ROW", "CPU µS/OP", "TARGET MS", "category.get (10 messages)  10       15        0",
		"CPU µS/OP: the server's CPU time per request it answered (process_cpu_seconds_total on its /metrics)"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q:\n%s", want, stdout)
		}
	}
}

// Rate limiting is explained, and does not change the exit status.
func TestBenchRateLimitedNote(t *testing.T) {
	t.Parallel()
	base := startBenchServer(t, 10)
	code, stdout, stderr := run(t, "bench", "--url", base, "--scenario", "write", "--concurrency", "2", "--requests", "40")
	if code != exitOK || !strings.Contains(stdout, "429 RATE_LIMITED ×") {
		t.Fatalf("exit %d, stdout %s", code, stdout)
	}
	if !strings.Contains(stderr, "429 RATE_LIMITED") || !strings.Contains(stderr, "EVENTODB_RATE_LIMIT=0") {
		t.Errorf("stderr %q lacks the rate-limit note", stderr)
	}
}

func TestBenchFailures(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	_ = ln.Close()
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.Contains(string(body), "sys.version") {
			_, _ = io.WriteString(w, `"0.0.1"`)
			return
		}
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = io.WriteString(w, `{"error":{"code":"BACKEND_ERROR","message":"disk full"}}`)
	}))
	t.Cleanup(failing.Close)
	tests := []struct {
		name   string
		args   []string
		stdout string // substring; "" = none
		stderr string
	}{
		{"no server", []string{"--url", closed}, "", "eventodb: cannot reach the server at " + closed},
		{"every request failed", []string{"--url", failing.URL, "--scenario", "write", "--requests", "12"}, "500 BACKEND_ERROR ×12",
			"eventodb: every one of the 12 requests failed; first: HTTP 500 BACKEND_ERROR: disk full"},
		{"pre-fill failed", []string{"--url", failing.URL, "--scenario", "read"}, "",
			"eventodb: preparing stream.get (100 messages): pre-fill for stream.get, message 1 of 100: stream.write: HTTP 500 BACKEND_ERROR: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(t, append([]string{"bench"}, tt.args...)...)
			if code != exitFailed || !strings.Contains(stderr, tt.stderr) || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want exit 1 and %q", code, stderr, tt.stderr)
			}
			if (tt.stdout == "") != (stdout == "") || !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout %q, want %q", stdout, tt.stdout)
			}
			// The failing server has no /metrics either: its table says so.
			if stdout != "" && (!strings.Contains(stdout, "  n/a  ") || !strings.Contains(stdout, "server CPU: n/a (GET /metrics: HTTP 500)")) {
				t.Errorf("stdout %q lacks the unknown server CPU", stdout)
			}
		})
	}
}

func TestBenchHelp(t *testing.T) {
	t.Parallel()
	code, stdout, _ := run(t, "bench", "--help")
	for _, want := range []string{"loopback", "--scenario scenario", `(default "all")`, "--concurrency workers", "(default 10)",
		"--duration time", "(default 10s)", "--requests requests", "(default 2000)", "--batch messages", "(default 100)", "--json",
		"RATE_LIMITED", "process_cpu_seconds_total", "n/a"} {
		if code != exitOK || !strings.Contains(stdout, want) {
			t.Errorf("bench --help (exit %d) lacks %q", code, want)
		}
	}
}
