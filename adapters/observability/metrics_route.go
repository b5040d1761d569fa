package observability

import (
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// MetricsHandler serves the metrics of g in the Prometheus text format.
func MetricsHandler(g prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}

// MetricsRoute is GET /metrics, without authentication (scrapers have no token;
// the figures hold no tenant data).
func MetricsRoute(g prometheus.Gatherer) httpapi.Route {
	return httpapi.Route{Method: http.MethodGet, Path: "/metrics", Handler: MetricsHandler(g)}
}
