// Package loadgen is the engine of `eventodb bench`: a small HTTP load
// generator that measures a running EventoDB server against the targets of
// the performance guide (docs/PERFORMANCE.md) (stream write, stream read of 100, category read of
// 100, throughput of concurrent writes).
//
// It speaks the public JSON-RPC protocol (POST /rpc) through the Go client
// (package client) over keep-alive connections, one attempt per request and
// answers read but not decoded, so it measures the reference server and
// this one alike, and the client adds next to nothing to the latencies.
// Every row of a run is bounded by a request count and a duration and stops
// by itself; every run writes to streams and a category of its own (named
// after a random run id), so repeated runs against one namespace do not
// interfere. It sends traffic only to the URL it is given and is meant for
// loopback or one's own servers, never for servers of others.
//
// Beside ops/s and latencies, each row has the server's CPU time: its
// process_cpu_seconds_total, read from its /metrics (parsed with the
// Prometheus exposition-format parser) just before and just after the row,
// or the reason it is unknown; the run goes on either way.
//
// Latencies are kept as a slice of durations per row (bounded by the request
// count) and sorted once at the end: percentiles are exact, memory is 8
// bytes a request, and no histogram dependency is needed.
package loadgen
