package loadgen_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/cli/loadgen"
)

// report is a hand-made report: one row that passes, one that fails with
// errors, one without a target.
func report() *loadgen.Report {
	ms := time.Millisecond
	return &loadgen.Report{
		RunID: "abc123", URL: "http://127.0.0.1:8080", ServerVersion: "0.1.0", Scenario: loadgen.All,
		Requests: 2000, Duration: 10 * time.Second, Batch: 100,
		Rows: []loadgen.Row{
			{
				Name: "stream.write (single)", Operation: "write", Workers: 1, Requests: 2000, OK: 2000,
				Elapsed: time.Second, OpsPerSec: 2000, Avg: ms / 2, P50: ms / 2, P95: ms, P99: 2 * ms, Max: 9 * ms,
				ServerCPU: 500 * ms, Target: &loadgen.Target{P95: 10 * ms, P99: 20 * ms}, Pass: true,
			},
			{
				Name: "concurrent writes (10)", Operation: "write", Workers: 10, Requests: 2000, OK: 1990,
				Errors:     []loadgen.ErrorCount{{Status: 429, Code: "RATE_LIMITED", Count: 7}, {Code: loadgen.CodeNetwork, Count: 3}},
				FirstError: "HTTP 429 RATE_LIMITED: slow down",
				Elapsed:    2 * time.Second, OpsPerSec: 995, Avg: ms, P50: ms, P95: 3 * ms, P99: 25 * ms, Max: 40 * ms,
				Target:      &loadgen.Target{P95: 10 * ms, P99: 20 * ms, MinOpsPerSec: 1000},
				Misses:      []string{"10 errors", "p99 25ms", "995/s"},
				ServerCPUNA: "GET /metrics: HTTP 404",
			},
			{Name: "mixed 80% write / 20% read", Operation: "mixed", Workers: 10, Requests: 5, OK: 5, Elapsed: ms, OpsPerSec: 5000, Avg: ms, P50: ms, P95: ms, P99: ms, Max: ms,
				ServerCPUNA: "GET /metrics: HTTP 404"},
		},
	}
}

func TestWriteTable(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"run abc123 against http://127.0.0.1:8080 (EventoDB 0.1.0): at most 2000 requests or 10s per row",
		"ROW ", "P95 MS", "RESULT",
		"p95<10 p99<20          PASS",
		"p95<10 p99<20 >1000/s  FAIL (10 errors, p99 25ms, 995/s)",
		"errors of concurrent writes (10): 429 RATE_LIMITED ×7, NETWORK ×3; first: HTTP 429 RATE_LIMITED: slow down",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	// Aligned: the CPU and RESULT columns start at the same character on
	// every row (the header's µ is one character, two bytes).
	lines := strings.Split(out, "\n")[2:6]
	header := []rune(lines[0])
	cpuCol := strings.Index(lines[0], "CPU µS/OP")
	cpuCol = len([]rune(lines[0][:cpuCol]))
	col := len([]rune(lines[0][:strings.Index(lines[0], "RESULT")]))
	wantCPU := []string{"250 ", "n/a ", "n/a "}
	for i, l := range lines[1:] {
		r := []rune(l)
		if len(r) <= col || len(header) <= col {
			t.Errorf("row shorter than the header: %q", l)
			continue
		}
		rest := string(r[col:])
		if !strings.HasPrefix(rest, "PASS") && !strings.HasPrefix(rest, "FAIL") && rest != "-" {
			t.Errorf("row not aligned at %d: %q", col, l)
		}
		if got := string(r[cpuCol : cpuCol+4]); got != wantCPU[i] {
			t.Errorf("row %d: CPU column %q, want %q: %q", i, got, wantCPU[i], l)
		}
	}
	if !strings.Contains(out, "\nserver CPU: n/a (GET /metrics: HTTP 404)\n") {
		t.Errorf("table lacks the reason the server's CPU is unknown:\n%s", out)
	}
}

func TestWriteJSON(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := report().WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var got struct {
		RunID       string `json:"runId"`
		Succeeded   int    `json:"succeeded"`
		Failed      int    `json:"failed"`
		RateLimited int    `json:"rateLimited"`
		CPUNote     string `json:"serverCpuNote"`
		Rows        []struct {
			Name             string
			ServerCPUMs      *float64 `json:"serverCpuMs"`
			ServerCPUUsPerOp *float64 `json:"serverCpuUsPerOp"`
			Errors           []struct {
				Status int
				Code   string
				Count  int
			}
			P95Ms, P99Ms, MaxMs float64
			Target              *struct{ P95Ms, P99Ms, MinOpsPerSec float64 }
			Result              string
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, b.String())
	}
	if got.RunID != "abc123" || got.Succeeded != 3995 || got.Failed != 10 || got.RateLimited != 7 || len(got.Rows) != 3 {
		t.Fatalf("report %+v", got)
	}
	r := got.Rows[1]
	if r.Result != "FAIL" || r.P95Ms != 3 || r.P99Ms != 25 || r.MaxMs != 40 || len(r.Errors) != 2 || r.Errors[0].Code != "RATE_LIMITED" ||
		r.Target == nil || r.Target.MinOpsPerSec != 1000 || r.Target.P99Ms != 20 {
		t.Errorf("row %+v", r)
	}
	if got.Rows[0].Result != "PASS" || got.Rows[2].Result != "-" || got.Rows[2].Target != nil {
		t.Errorf("results %q %q, target %v", got.Rows[0].Result, got.Rows[2].Result, got.Rows[2].Target)
	}
	if c := got.Rows[0]; c.ServerCPUMs == nil || *c.ServerCPUMs != 500 || c.ServerCPUUsPerOp == nil || *c.ServerCPUUsPerOp != 250 {
		t.Errorf("row 0: server CPU %v ms, %v µs/op; want 500 and 250", c.ServerCPUMs, c.ServerCPUUsPerOp)
	}
	for _, c := range got.Rows[1:] {
		if c.ServerCPUMs != nil || c.ServerCPUUsPerOp != nil {
			t.Errorf("%s: server CPU known (ms %v, µs/op %v); want null", c.Name, c.ServerCPUMs != nil, c.ServerCPUUsPerOp != nil)
		}
	}
	if got.CPUNote != "server CPU: n/a (GET /metrics: HTTP 404)" {
		t.Errorf("serverCpuNote %q", got.CPUNote)
	}
}
