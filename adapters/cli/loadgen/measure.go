package loadgen

import (
	"context"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// errKey is one way of failing.
type errKey struct {
	status int
	code   string
}

// tally is what one worker saw.
type tally struct {
	latencies []time.Duration // of successful requests
	errors    map[errKey]int
	first     *RemoteError // the worker's first failure
	firstAt   time.Time
}

// measure runs one row: spec.workers workers each open their connection
// with an untimed sys.version, then send requests until the row has sent
// Requests or Duration has passed; then the answers are summed up. The
// server's CPU counter is read just before the first request and just after
// the last answer.
func (r *Runner) measure(ctx context.Context, spec rowSpec) Row {
	var seq atomic.Int64
	tallies := make([]tally, spec.workers)
	var warm, wg sync.WaitGroup
	warm.Add(spec.workers)
	var start, deadline time.Time
	begin := make(chan struct{})
	for w := range spec.workers {
		wg.Go(func() {
			_, _ = r.client.ServerVersion(ctx) // connection set-up is not the server's latency
			warm.Done()
			<-begin
			tallies[w] = r.work1(ctx, spec.op, w, &seq, deadline)
		})
	}
	warm.Wait()
	cpu := r.cpu.begin(ctx)
	start = time.Now()
	deadline = start.Add(r.cfg.Duration)
	close(begin) // publishes deadline to the workers
	wg.Wait()
	elapsed := time.Since(start)
	row := r.sum(spec, tallies, elapsed)
	used, err := r.cpu.end(ctx, cpu)
	if err != nil {
		row.ServerCPUNA = err.Error()
	} else {
		row.ServerCPU = used
	}
	return row
}

// work1 is one worker's loop.
func (r *Runner) work1(ctx context.Context, o op, worker int, seq *atomic.Int64, deadline time.Time) tally {
	t := tally{errors: map[errKey]int{}}
	limit := int64(r.cfg.Requests)
	for i := 0; ctx.Err() == nil && time.Now().Before(deadline); i++ {
		n := seq.Add(1)
		if n > limit {
			break
		}
		req := r.work.request(o, worker, i, n)
		sent := time.Now()
		res := r.send(ctx, req)
		took := time.Since(sent)
		switch {
		case res.canceled:
			return t
		case res.err == nil:
			t.latencies = append(t.latencies, took)
		default:
			t.errors[errKey{res.err.Status, res.err.Code}]++
			if t.first == nil {
				t.first, t.firstAt = res.err, sent
			}
		}
	}
	return t
}

// sum merges the workers' tallies into the row.
func (r *Runner) sum(spec rowSpec, tallies []tally, elapsed time.Duration) Row {
	row := Row{
		Name:      spec.name(r.cfg.Batch),
		Operation: spec.op.String(),
		Workers:   spec.workers,
		Elapsed:   elapsed,
		Target:    targetFor(spec, r.cfg.Batch),
	}
	var all []time.Duration
	errs := map[errKey]int{}
	var first *RemoteError
	var firstAt time.Time
	for _, t := range tallies {
		all = append(all, t.latencies...)
		for k, n := range t.errors {
			errs[k] += n
		}
		if t.first != nil && (first == nil || t.firstAt.Before(firstAt)) {
			first, firstAt = t.first, t.firstAt
		}
	}
	for k, n := range errs {
		row.Errors = append(row.Errors, ErrorCount{Status: k.status, Code: k.code, Count: n})
	}
	sort.Slice(row.Errors, func(i, j int) bool {
		a, b := row.Errors[i], row.Errors[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Label() < b.Label()
	})
	if first != nil {
		row.FirstError = first.Error()
	}
	row.OK = len(all)
	row.Requests = row.OK + row.Failed()
	if elapsed > 0 {
		row.OpsPerSec = float64(row.OK) / elapsed.Seconds()
	}
	s := summarize(all)
	row.Avg, row.P50, row.P95, row.P99, row.Max = s.avg, s.p50, s.p95, s.p99, s.max
	if row.Target != nil {
		row.Misses = row.Target.check(row)
		row.Pass = len(row.Misses) == 0
	}
	return row
}
