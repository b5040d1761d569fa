package loadgen_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/cli/loadgen"
)

func newConfig(base string, sc loadgen.Scenario, requests, workers int) loadgen.Config {
	cfg := loadgen.DefaultConfig()
	cfg.URL, cfg.Scenario, cfg.Requests, cfg.Concurrency = base, sc, requests, workers
	return cfg
}

func run(t *testing.T, cfg loadgen.Config) *loadgen.Report {
	t.Helper()
	r, err := loadgen.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Run(context.Background())
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return rep
}

// checkLatencies asserts a row's latencies are positive and ordered.
func checkLatencies(t *testing.T, row loadgen.Row) {
	t.Helper()
	if row.P50 <= 0 || row.P50 > row.P95 || row.P95 > row.P99 || row.P99 > row.Max || row.Avg <= 0 || row.Avg > row.Max {
		t.Errorf("%s: latencies avg %v p50 %v p95 %v p99 %v max %v are not positive and ordered",
			row.Name, row.Avg, row.P50, row.P95, row.P99, row.Max)
	}
	if row.Elapsed <= 0 || row.OpsPerSec <= 0 {
		t.Errorf("%s: elapsed %v, %g ops/s", row.Name, row.Elapsed, row.OpsPerSec)
	}
}

// Every scenario against the real server: the requested number of
// successful requests per row, the rows of the guide's table, and the data
// really written where the run's names say.
func TestRunScenariosAgainstServer(t *testing.T) {
	t.Parallel()
	base := startServer(t, 0)
	tests := []struct {
		scenario    loadgen.Scenario
		batch       int
		wantRows    []string
		wantWorkers []int
		wantVerdict []string // "-" without a target; PASS/FAIL depend on timing, so "target"
	}{
		{loadgen.Write, 100, []string{"concurrent writes (3)"}, []int{3}, []string{"target"}},
		{loadgen.Read, 100, []string{"stream.get (100 messages)"}, []int{3}, []string{"target"}},
		{loadgen.Read, 7, []string{"stream.get (7 messages)"}, []int{3}, []string{"-"}},
		{loadgen.Category, 100, []string{"category.get (100 messages)"}, []int{3}, []string{"target"}},
		{loadgen.Category, 25, []string{"category.get (25 messages)"}, []int{3}, []string{"-"}},
		{loadgen.Mixed, 10, []string{"mixed 80% write / 20% read"}, []int{3}, []string{"-"}},
		{
			loadgen.All, 100,
			[]string{"stream.write (single)", "stream.get (100 messages)", "category.get (100 messages)", "concurrent writes (3)"},
			[]int{1, 1, 1, 3}, []string{"target", "target", "target", "target"},
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.scenario), func(t *testing.T) {
			cfg := newConfig(base, tt.scenario, 50, 3)
			cfg.Batch = tt.batch
			var seen []string
			cfg.OnRow = func(row loadgen.Row) { seen = append(seen, row.Name) }
			rep := run(t, cfg)
			if rep.ServerVersion == "" || rep.RunID == "" || rep.Batch != tt.batch || rep.Requests != 50 {
				t.Errorf("report header %+v", rep)
			}
			var names, verdicts []string
			var workers []int
			for _, row := range rep.Rows {
				names, workers = append(names, row.Name), append(workers, row.Workers)
				verdict := "target"
				if row.Target == nil {
					verdict = row.Verdict()
				} else if row.Pass != (row.Verdict() == "PASS") || row.Pass != (len(row.Misses) == 0) {
					t.Errorf("%s: pass %v, verdict %s, misses %v", row.Name, row.Pass, row.Verdict(), row.Misses)
				}
				verdicts = append(verdicts, verdict)
				if row.Requests != 50 || row.OK != 50 || row.Failed() != 0 || len(row.Errors) != 0 || row.FirstError != "" {
					t.Errorf("%s: %d requests, %d ok, errors %v %q; want 50 successful", row.Name, row.Requests, row.OK, row.Errors, row.FirstError)
				}
				checkLatencies(t, row)
				if _, ok := row.CPUPerOp(); !ok || row.ServerCPU < 0 || row.ServerCPUNA != "" {
					t.Errorf("%s: server CPU %v unknown (%q): the server's /metrics has it", row.Name, row.ServerCPU, row.ServerCPUNA)
				}
			}
			if !reflect.DeepEqual(names, tt.wantRows) || !reflect.DeepEqual(workers, tt.wantWorkers) || !reflect.DeepEqual(verdicts, tt.wantVerdict) {
				t.Errorf("rows %v workers %v verdicts %v, want %v %v %v", names, workers, verdicts, tt.wantRows, tt.wantWorkers, tt.wantVerdict)
			}
			if !reflect.DeepEqual(seen, names) {
				t.Errorf("OnRow saw %v, want %v", seen, names)
			}
			if rep.Succeeded() != 50*len(rep.Rows) || rep.Failed() != 0 || rep.RateLimited() != 0 || rep.RateLimitNote() != "" {
				t.Errorf("succeeded %d failed %d rate limited %d", rep.Succeeded(), rep.Failed(), rep.RateLimited())
			}
			checkWritten(t, base, rep)
		})
	}
}

// checkWritten counts the messages of the run's write streams and checks
// its pre-filled stream and category hold Batch messages.
func checkWritten(t *testing.T, base string, rep *loadgen.Report) {
	t.Helper()
	wantWrites, readFilled, categoryFilled := 0, false, false
	for _, row := range rep.Rows {
		switch row.Operation {
		case "write":
			wantWrites += row.OK
		case "mixed":
			wantWrites += row.OK - row.OK/5
			readFilled = true
		case "read":
			readFilled = true
		case "category":
			categoryFilled = true
		}
	}
	var streams []struct {
		Stream  string `json:"stream"`
		Version int    `json:"version"`
	}
	rpc(t, base, &streams, "ns.streams", map[string]any{"prefix": "bench-" + rep.RunID + "-", "limit": 1000})
	written := 0
	for _, s := range streams {
		written += s.Version + 1
	}
	if written != wantWrites {
		t.Errorf("run %s wrote %d messages to its bench streams, want %d", rep.RunID, written, wantWrites)
	}
	var version *int
	rpc(t, base, &version, "stream.version", "benchread-"+rep.RunID)
	if readFilled != (version != nil) || (version != nil && *version != rep.Batch-1) {
		t.Errorf("read stream version %v, want %d messages (filled: %v)", version, rep.Batch, readFilled)
	}
	var msgs []any
	rpc(t, base, &msgs, "category.get", "benchcat"+rep.RunID, map[string]any{"batchSize": -1})
	if want := map[bool]int{true: rep.Batch}[categoryFilled]; len(msgs) != want {
		t.Errorf("category holds %d messages, want %d", len(msgs), want)
	}
}

// Two runs against one namespace write to their own streams: the second
// finds its pre-filled stream with exactly Batch messages.
func TestRepeatedRunsDoNotInterfere(t *testing.T) {
	t.Parallel()
	base := startServer(t, 0)
	cfg := newConfig(base, loadgen.Mixed, 40, 2)
	first, second := run(t, cfg), run(t, cfg)
	if first.RunID == second.RunID {
		t.Fatalf("both runs have id %s", first.RunID)
	}
	for _, rep := range []*loadgen.Report{first, second} {
		if rep.Succeeded() != 40 {
			t.Errorf("run %s: %d successful requests, want 40", rep.RunID, rep.Succeeded())
		}
		checkWritten(t, base, rep)
	}
}

// A row stops at its duration when the request bound is out of reach.
func TestRowStopsAtItsDuration(t *testing.T) {
	t.Parallel()
	base := startServer(t, 0)
	cfg := newConfig(base, loadgen.Write, loadgen.MaxRequests, 2)
	cfg.Duration = 300 * time.Millisecond
	rep := run(t, cfg)
	row := rep.Rows[0]
	if row.Requests == 0 || row.Requests >= loadgen.MaxRequests || row.OK != row.Requests {
		t.Fatalf("%d requests (%d ok), want some and fewer than %d", row.Requests, row.OK, loadgen.MaxRequests)
	}
	checkLatencies(t, row)
}

// The server's rate limit shows as RATE_LIMITED errors, and the report
// explains them.
func TestRateLimitedAnswersAreCounted(t *testing.T) {
	t.Parallel()
	base := startServer(t, 20)
	rep := run(t, newConfig(base, loadgen.Write, 60, 4))
	row := rep.Rows[0]
	if row.Requests != 60 || row.OK+row.Failed() != 60 || rep.RateLimited() == 0 || rep.RateLimited() != row.Failed() {
		t.Fatalf("%d requests, %d ok, %d failed, %d rate limited", row.Requests, row.OK, row.Failed(), rep.RateLimited())
	}
	if got := row.Errors[0]; got.Status != http.StatusTooManyRequests || got.Code != loadgen.CodeRateLimited || got.Label() != "429 RATE_LIMITED" {
		t.Errorf("errors %+v", row.Errors)
	}
	if row.Pass || row.Verdict() != "FAIL" {
		t.Errorf("a row with errors passed: %+v", row)
	}
	if note := rep.RateLimitNote(); note == "" || !strings.Contains(note, "EVENTODB_RATE_LIMIT=0") {
		t.Errorf("note %q", note)
	}
}

// Failed requests are counted by HTTP status and error code.
func TestErrorsAreCountedByStatusAndCode(t *testing.T) {
	t.Parallel()
	base := fakeServer(t, func(n int64, _ string, w http.ResponseWriter) {
		switch n % 3 {
		case 0:
			rpcError(w, http.StatusTooManyRequests, "RATE_LIMITED")
		case 1:
			http.Error(w, "upstream down", http.StatusBadGateway)
		default:
			_, _ = w.Write([]byte(`{"position":0,"globalPosition":1}`))
		}
	})
	rep := run(t, newConfig(base, loadgen.Write, 30, 3))
	row := rep.Rows[0]
	want := []loadgen.ErrorCount{
		{Status: http.StatusTooManyRequests, Code: "RATE_LIMITED", Count: 10},
		{Status: http.StatusBadGateway, Code: "", Count: 10},
	}
	if rep.ServerVersion != "9.9.9" || row.Requests != 30 || row.OK != 10 || row.Failed() != 20 || !reflect.DeepEqual(row.Errors, want) {
		t.Fatalf("version %q, %d requests, %d ok, errors %+v; want 10 ok and %+v", rep.ServerVersion, row.Requests, row.OK, row.Errors, want)
	}
	if row.FirstError == "" || rep.RateLimited() != 10 {
		t.Errorf("first error %q, rate limited %d", row.FirstError, rep.RateLimited())
	}
	if row.ServerCPUNA != "GET /metrics: HTTP 400" { // the fake answers only /rpc
		t.Errorf("server CPU n/a %q", row.ServerCPUNA)
	}
	checkLatencies(t, row)
}

func TestEveryRequestFailing(t *testing.T) {
	t.Parallel()
	base := fakeServer(t, func(_ int64, _ string, w http.ResponseWriter) {
		rpcError(w, http.StatusInternalServerError, "BACKEND_ERROR")
	})
	rep := run(t, newConfig(base, loadgen.Write, 20, 2))
	row := rep.Rows[0]
	if rep.Succeeded() != 0 || row.Requests != 20 || row.Failed() != 20 || row.Verdict() != "FAIL" ||
		!reflect.DeepEqual(row.Misses, []string{"no request succeeded"}) {
		t.Fatalf("row %+v", row)
	}
	if row.P50 != 0 || row.Max != 0 || row.OpsPerSec != 0 {
		t.Errorf("latencies of no successful request: %+v", row)
	}
}

// Failures before any load: no server, a refused token, pre-fill refused.
func TestRunFailures(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	_ = ln.Close()
	refusingSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rpcError(w, http.StatusUnauthorized, "AUTH_INVALID")
	}))
	t.Cleanup(refusingSrv.Close)
	refusing := refusingSrv.URL
	noWrites := fakeServer(t, func(_ int64, _ string, w http.ResponseWriter) {
		rpcError(w, http.StatusServiceUnavailable, "BACKEND_ERROR")
	})
	var unreachable *loadgen.UnreachableError
	var refused *loadgen.RefusedError
	var setup *loadgen.SetupError
	tests := []struct {
		name     string
		url      string
		scenario loadgen.Scenario
		want     any
	}{
		{"no server", closed, loadgen.Write, &unreachable},
		{"token refused", refusing, loadgen.Write, &refused},
		{"pre-fill refused", noWrites, loadgen.Read, &setup},
		{"category pre-fill refused", noWrites, loadgen.All, &setup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := loadgen.New(newConfig(tt.url, tt.scenario, 10, 1))
			if err != nil {
				t.Fatal(err)
			}
			rep, err := r.Run(context.Background())
			if !errors.As(err, tt.want) {
				t.Fatalf("error %v (%T), want %T", err, err, tt.want)
			}
			if rep == nil {
				t.Fatal("no report")
			}
		})
	}
}

// An interrupted run returns the rows measured before.
func TestRunInterrupted(t *testing.T) {
	t.Parallel()
	base := startServer(t, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg := newConfig(base, loadgen.All, 10, 2)
	cfg.OnRow = func(loadgen.Row) { cancel() }
	r, err := loadgen.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.Run(ctx)
	if !errors.Is(err, context.Canceled) || len(rep.Rows) != 1 {
		t.Fatalf("error %v, %d rows; want context.Canceled after 1 row", err, len(rep.Rows))
	}
}
