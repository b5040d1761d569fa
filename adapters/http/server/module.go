package server

import (
	"context"

	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// Module provides the *Server (also as httpapi.Listener) built from the
// "routes" and "http.middleware" value groups and a Config, and starts and
// stops it with the application.
// Start listens synchronously (a busy port fails the application start) and
// serves in the background; Stop drains in-flight requests. fx stops in
// reverse order, so the server drains before the storage it uses closes.
var Module = fx.Module("http.server",
	fx.Provide(fx.Annotate(newFromFx, fx.As(fx.Self()), fx.As(new(httpapi.Listener)))),
	fx.Invoke(func(*Server) {}),
)

// Params are the server module's dependencies.
type Params struct {
	fx.In

	Config     Config
	Routes     []httpapi.Route      `group:"routes"`
	Middleware []httpapi.Middleware `group:"http.middleware"`
	Lifecycle  fx.Lifecycle
	Logger     *zap.Logger `optional:"true"`
}

func newFromFx(p Params) (*Server, error) {
	s, err := New(p.Config, p.Routes, Ordered(p.Middleware)...)
	if err != nil {
		return nil, err
	}
	logger := p.Logger
	if logger == nil {
		logger = zap.NewNop()
	}
	logger = logger.Named("http")
	if std, err := zap.NewStdLogAt(logger, zap.WarnLevel); err == nil {
		s.SetErrorLog(std)
	}
	p.Lifecycle.Append(fx.Hook{
		OnStart: func(ctx context.Context) error {
			if err := s.Start(ctx); err != nil {
				return err
			}
			logger.Info("listening", zap.String("addr", s.Addr()), zap.Int("routes", len(p.Routes)))
			return nil
		},
		OnStop: func(ctx context.Context) error {
			logger.Info("draining")
			return s.Stop(ctx)
		},
	})
	return s, nil
}
