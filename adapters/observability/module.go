package observability

import (
	"errors"
	"syscall"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/ports"
	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"
	"go.uber.org/zap"
)

// Config selects the log output.
type Config struct {
	// Level is debug, info, warn or error; default info.
	Level string
	// Format is json or console; default json.
	Format string
}

// DefaultConfig returns info-level JSON logs.
func DefaultConfig() Config { return Config{Level: "info", Format: "json"} }

// LoggerModule provides the *zap.Logger from Config, synced on stop. Leave it
// out when the application supplies its own logger.
var LoggerModule = fx.Module("observability.logger", fx.Provide(newLogger))

// Module provides a Prometheus registry (as *prometheus.Registry,
// prometheus.Registerer and prometheus.Gatherer), the *Metrics, the GET
// /metrics route, and the request logging/metrics middleware (outermost, into
// the server's "http.middleware" group). When a ports.HealthChecker is
// available it also reports the database pool at scrape time.
var Module = fx.Module("observability",
	fx.Provide(
		fx.Annotate(NewRegistry,
			fx.As(fx.Self()), fx.As(new(prometheus.Registerer)), fx.As(new(prometheus.Gatherer))),
		NewMetrics,
		httpapi.AsRoute(MetricsRoute),
		httpapi.AsMiddleware(func(p middlewareParams) httpapi.Middleware {
			cfg := DefaultRequestLogConfig()
			if p.Config != nil {
				cfg = *p.Config
			}
			return httpapi.Middleware{Order: 0, Wrap: NewRequestMiddleware(p.Logger, p.Metrics, cfg)}
		}),
	),
	fx.Invoke(registerPoolCollector),
)

func newLogger(cfg Config, lc fx.Lifecycle) (*zap.Logger, error) {
	logger, err := NewLogger(cfg.Level, cfg.Format)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StopHook(func() error {
		// Syncing a terminal or pipe fails harmlessly with EINVAL/ENOTTY.
		if err := logger.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTTY) {
			return err
		}
		return nil
	}))
	return logger, nil
}

type middlewareParams struct {
	fx.In

	Logger  *zap.Logger
	Metrics *Metrics
	Config  *RequestLogConfig `optional:"true"`
}

type poolParams struct {
	fx.In

	Registry prometheus.Registerer
	Health   ports.HealthChecker `optional:"true"`
}

func registerPoolCollector(p poolParams) error {
	if p.Health == nil {
		return nil
	}
	return p.Registry.Register(NewPoolCollector(p.Health, 0))
}
