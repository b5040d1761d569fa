package importer

import (
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// Module serves POST /import (into the server's "routes" group). It needs a
// ports.Importer, a ports.IDGenerator and the rpc module's *AuthMiddleware;
// it uses a ports.Notifier, a Config and service.Limits (for the message size
// limit) when they are provided.
var Module = fx.Module("http.importer",
	fx.Provide(
		newLoader,
		newHandler,
		httpapi.AsRoute(func(h *Handler, auth *httpapi.AuthMiddleware) httpapi.Route { return Route(h, auth) }),
	),
)

// Params are the loader's dependencies.
type Params struct {
	fx.In

	Importer ports.Importer
	IDs      ports.IDGenerator
	Notifier ports.Notifier  `optional:"true"`
	Config   Config          `optional:"true"`
	Limits   service.Limits  `optional:"true"`
	Groups   *service.Groups `optional:"true"`
}

func newLoader(p Params) (*Loader, error) {
	cfg := p.Config
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = p.Limits.MaxMessageBytes
	}
	l, err := NewLoader(p.Importer, p.IDs, p.Notifier, cfg)
	if err != nil || p.Groups == nil {
		return l, err
	}
	return l.RestoreGroupsWith(p.Groups), nil
}

// HandlerParams are the handler's dependencies.
type HandlerParams struct {
	fx.In

	Loader    *Loader
	Options   Options                   `optional:"true"`
	Expensive httpapi.ExpensiveRequests `optional:"true"`
	Sessions  *service.Sessions         `optional:"true"`
}

func newHandler(p HandlerParams) (*Handler, error) {
	opts := p.Options
	if opts.Expensive.TokenLimiter == nil {
		opts.Expensive = p.Expensive
	}
	if opts.Sessions == nil && p.Sessions != nil {
		opts.Sessions = p.Sessions
	}
	return New(p.Loader, opts)
}
