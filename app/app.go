package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"syscall"

	"go.uber.org/dig"
	"go.uber.org/fx"
	"go.uber.org/fx/fxevent"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/console"
	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/importer"
	"github.com/eventodb/eventodb/adapters/http/rpc"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/http/sse"
	"github.com/eventodb/eventodb/adapters/observability"
	"github.com/eventodb/eventodb/adapters/procs"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/app/version"
	"github.com/eventodb/eventodb/domain/service"
)

// Options are what a caller can add to the application: tests use them to
// capture the server or swap an adapter.
type Options struct {
	// Stdout receives the one-time admin token banner (default os.Stdout).
	Stdout io.Writer
	// Extra fx options, applied last.
	Extra []fx.Option
}

// New builds the application for cfg: the storage adapter named by the
// configuration, the domain services, HTTP and observability.
func New(cfg config.Config, log *zap.Logger, opts Options) (*fx.App, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	backend, ignored := storageBackend(cfg)
	if ignored {
		log.Warn("test mode keeps data in memory: ignoring the configured database URL")
	}
	storage, err := NewBuiltinRegistry().LookupStorage(backend)
	if err != nil {
		return nil, err
	}
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	app := fx.New(
		fx.WithLogger(func() fxevent.Logger { return observability.FxLogger(log) }),
		fx.Supply(cfg, log),
		fx.Provide(serverConfig, rpcConfig, requestLogConfig, importOptions),
		fx.Supply(observability.ProfilingConfig{Addr: cfg.PprofAddr}),
		fx.Invoke(observability.StartProfiling),
		fx.Provide(func() httpapi.ExpensiveRequests { return httpapi.NewExpensiveRequests(cfg.MaxStreamedPerToken) }),
		storage(cfg),
		system.Module,
		servicesModule,
		observability.Module,
		groupMetrics(cfg),
		rpc.Module,
		importer.Module,
		fx.Provide(sseConfig),
		fx.Provide(func(m *observability.Metrics) sse.Gauge { return m.SSEConnections }),
		sse.Module,
		consoleModule(cfg),
		server.Module,
		fx.Invoke(func(ns *service.Namespaces, auth *service.Auth) error {
			return bootstrap(context.Background(), cfg, ns, auth, log, opts.Stdout)
		}),
		fx.Options(opts.Extra...),
	)
	if err := app.Err(); err != nil {
		// The root cause ("cannot connect to the database") says what
		// happened; the chain of constructors that needed it does not.
		return nil, fmt.Errorf("cannot start: %w", dig.RootCause(err))
	}
	return app, nil
}

// Run starts the server for cfg and blocks until SIGINT or SIGTERM, then
// drains: the HTTP server stops accepting and finishes in-flight requests,
// then the database closes.
func Run(cfg config.Config) error {
	log, err := observability.NewLogger(cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	backend, _ := storageBackend(cfg)
	if cfg.InMemory() {
		backend += " (in memory: data is lost on exit)"
	}
	gcPercent := setGCPercent(cfg.GCPercent)
	log.Info("starting eventodb", zap.String("version", version.Current()), zap.String("backend", backend),
		zap.Bool("test_mode", cfg.TestMode), zap.String("gogc", gcPercent))
	// Process-wide settings (the collector's target above, the scheduler's
	// size here) belong to the server process, not to every App a test builds.
	app, err := New(cfg, log, Options{Extra: []fx.Option{procs.Module}})
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := app.Start(ctx); err != nil {
		return fmt.Errorf("start: %w", err)
	}
	<-ctx.Done()
	log.Info("shutting down: draining requests, then closing the database")
	stopCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout+app.StopTimeout())
	defer cancel()
	if err := app.Stop(stopCtx); err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("stop: %w", err)
	}
	log.Info("stopped")
	return nil
}

// storageBackend is the storage adapter cfg runs on. Test mode keeps data in
// memory whatever the database URL says: SQLite in memory, unless the memory
// store was asked for. ignored reports a database URL test mode overrides.
func storageBackend(cfg config.Config) (backend string, ignored bool) {
	backend = cfg.Backend()
	if !cfg.TestMode || backend == config.BackendMemory {
		return backend, false
	}
	return config.BackendSQLite, backend != config.BackendSQLite
}

// consoleModule serves the web console unless the configuration turns it off.
func consoleModule(cfg config.Config) fx.Option {
	if !cfg.Console {
		return fx.Options()
	}
	return console.Module
}

func serverConfig(cfg config.Config) server.Config {
	return server.Config{
		Host:              cfg.ListenHost(),
		Port:              cfg.Port,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ShutdownTimeout:   cfg.ShutdownTimeout,
	}
}

func sseConfig(cfg config.Config) sse.Config {
	c := sse.DefaultConfig()
	c.MaxPerToken = cfg.MaxSSEPerToken
	return c
}

func rpcConfig(cfg config.Config) rpc.Config {
	return rpc.Config{
		MaxBodyBytes: cfg.MaxBodyBytes,
		RateLimit:    float64(cfg.RateLimit),
		Burst:        cfg.RateLimit,
		TestMode:     cfg.TestMode,
		Version:      version.Current(),
	}
}

func requestLogConfig(cfg config.Config) *observability.RequestLogConfig {
	return &observability.RequestLogConfig{SlowRequest: cfg.SlowRequest}
}

func importOptions(cfg config.Config) importer.Options {
	return importer.Options{IdleTimeout: cfg.ImportIdleTimeout}
}

// setGCPercent applies the configured collector target unless the GOGC
// environment variable chose one, which the runtime has applied already, and
// returns the target in force, for the start-up log.
func setGCPercent(percent int) string {
	if env := os.Getenv("GOGC"); env != "" {
		return env + " (GOGC)"
	}
	debug.SetGCPercent(percent)
	return strconv.Itoa(percent)
}
