package observability

import (
	"context"
	"time"

	"github.com/eventodb/eventodb/ports"
	"github.com/prometheus/client_golang/prometheus"
)

// PoolCollector reports the database connection pool at scrape time by asking
// the storage backend's health check, so the figures are never stale.
type PoolCollector struct {
	health  ports.HealthChecker
	timeout time.Duration

	up, conns, maxOpen, waits *prometheus.Desc
}

var _ prometheus.Collector = (*PoolCollector)(nil)

// NewPoolCollector returns a collector over h; each scrape waits at most
// timeout for the health check (0: 5s).
func NewPoolCollector(h ports.HealthChecker, timeout time.Duration) *PoolCollector {
	if timeout <= 0 {
		timeout = 5 * time.Second
	}
	return &PoolCollector{
		health:  h,
		timeout: timeout,
		up: prometheus.NewDesc("eventodb_db_up",
			"1 when the database answered the health check of this scrape, else 0.", nil, nil),
		conns: prometheus.NewDesc("eventodb_db_connections",
			"Database connections by state: open (all), in_use and idle.", []string{"backend", "state"}, nil),
		maxOpen: prometheus.NewDesc("eventodb_db_max_open_connections",
			"Configured maximum of open database connections (0: unlimited).", []string{"backend"}, nil),
		waits: prometheus.NewDesc("eventodb_db_wait_count_total",
			"Times a query waited for a free database connection.", []string{"backend"}, nil),
	}
}

// Describe sends the metric descriptions.
func (c *PoolCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.up
	ch <- c.conns
	ch <- c.maxOpen
	ch <- c.waits
}

// Collect runs the health check and reports the pool.
func (c *PoolCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	h, err := c.health.Health(ctx)
	if err != nil {
		c.send(ch, c.up, prometheus.GaugeValue, 0)
		return
	}
	c.send(ch, c.up, prometheus.GaugeValue, 1)
	c.send(ch, c.conns, prometheus.GaugeValue, float64(h.Connections), h.Backend, "open")
	c.send(ch, c.conns, prometheus.GaugeValue, float64(h.InUse), h.Backend, "in_use")
	c.send(ch, c.conns, prometheus.GaugeValue, float64(h.Idle), h.Backend, "idle")
	c.send(ch, c.maxOpen, prometheus.GaugeValue, float64(h.MaxOpen), h.Backend)
	c.send(ch, c.waits, prometheus.CounterValue, float64(h.WaitCount), h.Backend)
}

func (c *PoolCollector) send(ch chan<- prometheus.Metric, d *prometheus.Desc, t prometheus.ValueType, v float64, labels ...string) {
	m, err := prometheus.NewConstMetric(d, t, v, labels...)
	if err != nil {
		m = prometheus.NewInvalidMetric(d, err)
	}
	ch <- m
}
