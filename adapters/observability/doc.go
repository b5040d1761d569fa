// Package observability makes EventoDB's behaviour visible: zap loggers (also
// for fx's own events), Prometheus metrics on an injected registry (requests,
// latencies, SSE connections, the database pool read at scrape time), GET
// /metrics, and a middleware that logs and measures every HTTP request once.
package observability
