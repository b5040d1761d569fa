package observability

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the request and connection metrics the HTTP adapters update.
// All fields are safe for concurrent use.
type Metrics struct {
	// Requests counts finished requests by method (RPC method or route) and
	// status ("ok" or "error"): eventodb_requests_total.
	Requests *prometheus.CounterVec
	// Duration observes request latency by method, seconds:
	// eventodb_request_duration_seconds.
	Duration *prometheus.HistogramVec
	// SSEConnections is the number of open subscriptions; the SSE adapter
	// increments it on connect and decrements it on close:
	// eventodb_sse_connections.
	SSEConnections prometheus.Gauge
}

// latencyBuckets resolve the latency targets (a few milliseconds) as well as
// slow outliers, seconds.
var latencyBuckets = []float64{.0005, .001, .0025, .005, .01, .02, .04, .1, .25, .5, 1, 2.5, 5, 10}

// NewMetrics creates the metrics and registers them on reg.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	if reg == nil {
		return nil, errors.New("observability: metrics need a registry")
	}
	m := &Metrics{
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "eventodb_requests_total",
			Help: "Requests handled, by RPC method (or route) and status (ok or error).",
		}, []string{"method", "status"}),
		Duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "eventodb_request_duration_seconds",
			Help:    "Request latency in seconds, by RPC method (or route).",
			Buckets: latencyBuckets,
		}, []string{"method"}),
		SSEConnections: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "eventodb_sse_connections",
			Help: "Open Server-Sent Events subscriptions.",
		}),
	}
	for _, c := range []prometheus.Collector{m.Requests, m.Duration, m.SSEConnections} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// ObserveRequest counts one finished request and its latency.
func (m *Metrics) ObserveRequest(method string, ok bool, d time.Duration) {
	if m == nil {
		return
	}
	status := "ok"
	if !ok {
		status = "error"
	}
	m.Requests.WithLabelValues(method, status).Inc()
	m.Duration.WithLabelValues(method).Observe(d.Seconds())
}

// NewRegistry returns a registry with the Go runtime and process collectors.
func NewRegistry() (*prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	err := errors.Join(
		reg.Register(collectors.NewGoCollector()),
		reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})),
	)
	if err != nil {
		return nil, err
	}
	return reg, nil
}
