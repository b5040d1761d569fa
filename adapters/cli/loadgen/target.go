package loadgen

import (
	"fmt"
	"strings"
	"time"
)

// Target is a row's goal from the performance guide. A zero field is not
// checked.
type Target struct {
	P95          time.Duration // p95 latency must be below this
	P99          time.Duration // p99 latency must be below this
	MinOpsPerSec float64       // throughput must be above this
}

// The guide's targets (p95 target / p99 acceptable), for reads of 100.
var (
	writeTarget    = Target{P95: 10 * time.Millisecond, P99: 20 * time.Millisecond}
	readTarget     = Target{P95: 20 * time.Millisecond, P99: 40 * time.Millisecond}
	categoryTarget = Target{P95: 30 * time.Millisecond, P99: 60 * time.Millisecond}
)

// guideThroughput is the guide's target for concurrent writes, per second.
const guideThroughput = 1000

// targetBatch is the read size the guide's read targets are for.
const targetBatch = 100

// targetFor returns the guide's target for a row, or nil when the guide has
// none (mixed load; reads of another size than 100).
func targetFor(s rowSpec, batch int) *Target {
	var t Target
	switch {
	case s.op == opWrite:
		t = writeTarget
		if s.workers > 1 {
			t.MinOpsPerSec = guideThroughput
		}
	case s.op == opRead && batch == targetBatch:
		t = readTarget
	case s.op == opCategory && batch == targetBatch:
		t = categoryTarget
	default:
		return nil
	}
	return &t
}

// String is the target in the table's words, e.g. "p95<10 p99<20 >1000/s".
func (t Target) String() string {
	var parts []string
	if t.P95 > 0 {
		parts = append(parts, "p95<"+formatMS(t.P95))
	}
	if t.P99 > 0 {
		parts = append(parts, "p99<"+formatMS(t.P99))
	}
	if t.MinOpsPerSec > 0 {
		parts = append(parts, fmt.Sprintf(">%.0f/s", t.MinOpsPerSec))
	}
	return strings.Join(parts, " ")
}

// check returns what of the target row misses, or nil when it meets it.
// A row with errors misses it: its timings do not measure the server's work.
func (t Target) check(r Row) []string {
	var misses []string
	if r.OK == 0 {
		return []string{"no request succeeded"}
	}
	if n := r.Failed(); n > 0 {
		misses = append(misses, fmt.Sprintf("%d errors", n))
	}
	if t.P95 > 0 && r.P95 >= t.P95 {
		misses = append(misses, "p95 "+formatMS(r.P95)+"ms")
	}
	if t.P99 > 0 && r.P99 >= t.P99 {
		misses = append(misses, "p99 "+formatMS(r.P99)+"ms")
	}
	if t.MinOpsPerSec > 0 && r.OpsPerSec <= t.MinOpsPerSec {
		misses = append(misses, fmt.Sprintf("%.0f/s", r.OpsPerSec))
	}
	return misses
}

// formatMS writes d in milliseconds: "10", "0.19", "23.4".
func formatMS(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms == float64(int64(ms)):
		return fmt.Sprintf("%d", int64(ms))
	case ms < 10:
		return fmt.Sprintf("%.2f", ms)
	default:
		return fmt.Sprintf("%.1f", ms)
	}
}
