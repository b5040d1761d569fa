package loadgen

import (
	"net/url"
	"strconv"
	"time"
)

// Report is the result of a run.
type Report struct {
	RunID         string
	URL           string // the server's base URL, without credentials
	ServerVersion string // sys.version of the server
	Scenario      Scenario
	Requests      int           // the request bound of each row
	Duration      time.Duration // the duration bound of each row
	Batch         int
	Rows          []Row
}

// Row is one measured row.
type Row struct {
	Name      string // e.g. "stream.write (single)", as in the guide's table
	Operation string // write, read, category or mixed
	Workers   int
	Requests  int // requests answered (OK + Failed())
	OK        int // requests answered with HTTP 200
	Errors    []ErrorCount
	// FirstError describes the first failed request, "" when none failed.
	FirstError string
	Elapsed    time.Duration // from the first request sent to the last answered
	OpsPerSec  float64       // OK / Elapsed
	// Latencies of the successful requests, from sending the request to
	// reading the whole response; zero when none succeeded.
	Avg, P50, P95, P99, Max time.Duration
	// ServerCPU is the CPU time (user and system) of the server's process
	// during the row: CPUMetric on its /metrics, read just before the first
	// request and just after the last answer. It counts everything the
	// process did meanwhile, and moves in the steps of the operating
	// system's CPU accounting (10 ms on Linux). ServerCPUNA says why it is
	// unknown, "" when it is known.
	ServerCPU   time.Duration
	ServerCPUNA string
	// Target is the guide's target for this row, nil when it has none.
	Target *Target
	// Pass reports whether the row met its Target (false without one);
	// Misses says what it missed.
	Pass   bool
	Misses []string
}

// ErrorCount is how many requests failed one way.
type ErrorCount struct {
	Status int    // HTTP status; 0 when no response arrived
	Code   string // the error code of the response ("RATE_LIMITED"), or "" when it had none; "NETWORK" when no response arrived
	Count  int
}

// Label is the error's short name: "429 RATE_LIMITED", "502", "NETWORK".
func (e ErrorCount) Label() string {
	switch {
	case e.Status == 0:
		return e.Code
	case e.Code == "":
		return strconv.Itoa(e.Status)
	default:
		return strconv.Itoa(e.Status) + " " + e.Code
	}
}

// CodeNetwork is the code of requests that got no HTTP response.
const CodeNetwork = "NETWORK"

// CodeRateLimited is the error code of the server's per-token rate limit.
const CodeRateLimited = "RATE_LIMITED"

// Failed returns how many requests of the row failed.
func (r Row) Failed() int {
	n := 0
	for _, e := range r.Errors {
		n += e.Count
	}
	return n
}

// CPUPerOp returns the server's CPU time per request it answered
// (successfully or not); false when that is unknown or it answered none.
func (r Row) CPUPerOp() (time.Duration, bool) {
	if r.ServerCPUNA != "" || r.Requests == 0 {
		return 0, false
	}
	return r.ServerCPU / time.Duration(r.Requests), true
}

// CPUNote says why the server's CPU is unknown for some rows, or is "" when
// it is known for all.
func (r *Report) CPUNote() string {
	for _, row := range r.Rows {
		if row.ServerCPUNA != "" {
			return "server CPU: n/a (" + row.ServerCPUNA + ")"
		}
	}
	return ""
}

// Verdict is "PASS", "FAIL" or "-" (no target).
func (r Row) Verdict() string {
	switch {
	case r.Target == nil:
		return "-"
	case r.Pass:
		return "PASS"
	default:
		return "FAIL"
	}
}

// Succeeded returns how many requests of the whole run succeeded.
func (r *Report) Succeeded() int {
	n := 0
	for _, row := range r.Rows {
		n += row.OK
	}
	return n
}

// Failed returns how many requests of the whole run failed.
func (r *Report) Failed() int {
	n := 0
	for _, row := range r.Rows {
		n += row.Failed()
	}
	return n
}

// RateLimited returns how many requests the server refused with
// RATE_LIMITED.
func (r *Report) RateLimited() int {
	n := 0
	for _, row := range r.Rows {
		for _, e := range row.Errors {
			if e.Code == CodeRateLimited {
				n += e.Count
			}
		}
	}
	return n
}

// redact returns u without user info, for the report.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}
