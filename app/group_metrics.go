package app

import (
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/adapters/observability"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// groupMetrics exports durable consumer groups' lag and checkpoints on
// GET /metrics, for at most group_metrics_max_groups groups; none when it
// is 0.
func groupMetrics(cfg config.Config) fx.Option {
	if cfg.GroupMetricsMaxGroups <= 0 {
		return fx.Options()
	}
	return fx.Invoke(func(reg prometheus.Registerer, namespaces ports.NamespaceRegistry, groups *service.Groups) error {
		figures := observability.NamespaceGroupFigures(namespaces, groups)
		return reg.Register(observability.NewGroupCollector(figures, observability.GroupCollectorOptions{MaxGroups: cfg.GroupMetricsMaxGroups}))
	})
}
