package loadgen

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable writes the report as an aligned table, one line a row, then a
// line per row with errors.
func (r *Report) WriteTable(w io.Writer) error {
	server := "EventoDB"
	if r.ServerVersion != "" {
		server += " " + r.ServerVersion
	}
	var b strings.Builder
	fmt.Fprintf(&b, "run %s against %s (%s): at most %d requests or %s per row, reads of %d messages\n\n",
		r.RunID, r.URL, server, r.Requests, r.Duration, r.Batch)
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROW\tWORKERS\tREQUESTS\tERRORS\tOPS/S\tAVG MS\tP50 MS\tP95 MS\tP99 MS\tMAX MS\tCPU µS/OP\tTARGET MS\tRESULT")
	for _, row := range r.Rows {
		target, result := "-", row.Verdict()
		if row.Target != nil {
			target = row.Target.String()
		}
		if len(row.Misses) > 0 {
			result += " (" + strings.Join(row.Misses, ", ") + ")"
		}
		cpu := "n/a"
		if d, ok := row.CPUPerOp(); ok {
			cpu = fmt.Sprintf("%.0f", us(d))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			row.Name, row.Workers, row.Requests, row.Failed(), row.OpsPerSec,
			ms(row.Avg), ms(row.P50), ms(row.P95), ms(row.P99), ms(row.Max), cpu, target, result)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	b.WriteString("\nCPU µS/OP: the server's CPU time per request it answered (" + CPUMetric + " on its /metrics)\n")
	if note := r.CPUNote(); note != "" {
		b.WriteString(note + "\n")
	}
	for _, row := range r.Rows {
		if len(row.Errors) == 0 {
			continue
		}
		parts := make([]string, len(row.Errors))
		for i, e := range row.Errors {
			parts[i] = fmt.Sprintf("%s ×%d", e.Label(), e.Count)
		}
		fmt.Fprintf(&b, "\nerrors of %s: %s; first: %s", row.Name, strings.Join(parts, ", "), row.FirstError)
	}
	if r.Failed() > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// us is d in microseconds.
func us(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// ms formats d in milliseconds with two decimals.
func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)) }

// RateLimitNote explains RATE_LIMITED answers, or is "" when there were
// none.
func (r *Report) RateLimitNote() string {
	n := r.RateLimited()
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("note: the server refused %d requests with 429 RATE_LIMITED: its per-token rate limit "+
		"(rate_limit, set by its operator) capped this run; restart the server without it (EVENTODB_RATE_LIMIT=0) to measure the server itself", n)
}

// WriteJSON writes the report as one JSON object (durations in
// milliseconds), for comparisons in CI.
func (r *Report) WriteJSON(w io.Writer) error {
	out := jsonReport{
		RunID: r.RunID, URL: r.URL, ServerVersion: r.ServerVersion, Scenario: string(r.Scenario),
		RequestsPerRow: r.Requests, DurationPerRow: r.Duration.String(), Batch: r.Batch,
		Rows: make([]jsonRow, len(r.Rows)), Succeeded: r.Succeeded(), Failed: r.Failed(), RateLimited: r.RateLimited(),
		ServerCPUNote: r.CPUNote(),
	}
	for i, row := range r.Rows {
		jr := jsonRow{
			Name: row.Name, Operation: row.Operation, Workers: row.Workers,
			Requests: row.Requests, OK: row.OK, Failed: row.Failed(), Errors: []jsonError{}, FirstError: row.FirstError,
			ElapsedMS: msf(row.Elapsed), OpsPerSec: math.Round(row.OpsPerSec*10) / 10,
			AvgMS: msf(row.Avg), P50MS: msf(row.P50), P95MS: msf(row.P95), P99MS: msf(row.P99), MaxMS: msf(row.Max),
			Result: row.Verdict(), Misses: row.Misses,
		}
		if row.ServerCPUNA == "" {
			cpu := msf(row.ServerCPU)
			jr.ServerCPUMS = &cpu
		}
		if d, ok := row.CPUPerOp(); ok {
			perOp := math.Round(us(d)*10) / 10
			jr.ServerCPUUSPerOp = &perOp
		}
		for _, e := range row.Errors {
			jr.Errors = append(jr.Errors, jsonError(e))
		}
		if t := row.Target; t != nil {
			jr.Target = &jsonTarget{P95MS: msf(t.P95), P99MS: msf(t.P99), MinOpsPerSec: t.MinOpsPerSec}
		}
		out.Rows[i] = jr
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// msf is d in milliseconds, to the microsecond.
func msf(d time.Duration) float64 { return math.Round(float64(d)/float64(time.Microsecond)) / 1000 }

type jsonReport struct {
	RunID          string    `json:"runId"`
	URL            string    `json:"url"`
	ServerVersion  string    `json:"serverVersion,omitempty"`
	Scenario       string    `json:"scenario"`
	RequestsPerRow int       `json:"requestsPerRow"`
	DurationPerRow string    `json:"durationPerRow"`
	Batch          int       `json:"batch"`
	Rows           []jsonRow `json:"rows"`
	Succeeded      int       `json:"succeeded"`
	Failed         int       `json:"failed"`
	RateLimited    int       `json:"rateLimited"`
	ServerCPUNote  string    `json:"serverCpuNote,omitempty"` // why some rows have no server CPU
}

type jsonRow struct {
	Name       string      `json:"name"`
	Operation  string      `json:"operation"`
	Workers    int         `json:"workers"`
	Requests   int         `json:"requests"`
	OK         int         `json:"ok"`
	Failed     int         `json:"failed"`
	Errors     []jsonError `json:"errors"`
	FirstError string      `json:"firstError,omitempty"`
	ElapsedMS  float64     `json:"elapsedMs"`
	OpsPerSec  float64     `json:"opsPerSec"`
	AvgMS      float64     `json:"avgMs"`
	P50MS      float64     `json:"p50Ms"`
	P95MS      float64     `json:"p95Ms"`
	P99MS      float64     `json:"p99Ms"`
	MaxMS      float64     `json:"maxMs"`
	// The server's CPU time during the row, and per request answered; null
	// when unknown.
	ServerCPUMS      *float64    `json:"serverCpuMs"`
	ServerCPUUSPerOp *float64    `json:"serverCpuUsPerOp"`
	Target           *jsonTarget `json:"target"`
	Result           string      `json:"result"` // PASS, FAIL or "-" (no target)
	Misses           []string    `json:"misses,omitempty"`
}

type jsonError struct {
	Status int    `json:"status"`
	Code   string `json:"code,omitempty"`
	Count  int    `json:"count"`
}

type jsonTarget struct {
	P95MS        float64 `json:"p95Ms,omitempty"`
	P99MS        float64 `json:"p99Ms,omitempty"`
	MinOpsPerSec float64 `json:"minOpsPerSec,omitempty"`
}
