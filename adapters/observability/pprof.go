package observability

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"go.uber.org/fx"
	"go.uber.org/zap"
)

// ProfilingConfig turns on Go's profiler endpoints (/debug/pprof/…) on a
// listener of their own, apart from the API, for finding where the server
// spends its time. Addr "" (the default) leaves them off; bind it to
// loopback: profiles reveal the server's internals.
type ProfilingConfig struct {
	Addr string
}

// StartProfiling serves the profiler on cfg.Addr for the life of the
// application, when it is set.
func StartProfiling(lc fx.Lifecycle, cfg ProfilingConfig, log *zap.Logger) {
	if cfg.Addr == "" {
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	lc.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			var lcfg net.ListenConfig
			ln, err := lcfg.Listen(ctx, "tcp", cfg.Addr)
			if err != nil {
				return err
			}
			log.Info("profiler listening", zap.String("addr", ln.Addr().String()))
			go func() {
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					log.Warn("profiler stopped", zap.Error(err))
				}
			}()
			return nil
		},
		OnStop: srv.Shutdown,
	})
}
