package sse

import (
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
)

// Module serves GET /subscribe (into the server's "routes" group) and
// provides the *Handler. It needs a Config, the *service.Subscriptions and
// the *httpapi.AuthMiddleware (from rpc.Module). Optional: the *service.Sessions
// that end subscriptions of deleted namespaces, *service.Groups (for
// group=NAME subscriptions), a Gauge counting open subscriptions, and a
// *zap.Logger.
var Module = fx.Module("http.sse",
	fx.Provide(
		newFromFx,
		httpapi.AsRoute(Route),
	),
)

// Params are the module's dependencies.
type Params struct {
	fx.In

	Config        Config
	Subscriptions *service.Subscriptions
	Gauge         Gauge             `optional:"true"`
	Sessions      *service.Sessions `optional:"true"`
	Groups        *service.Groups   `optional:"true"`
	Logger        *zap.Logger       `optional:"true"`
}

func newFromFx(p Params) (*Handler, error) {
	return NewHandler(p.Config, Deps{
		Subscriptions: p.Subscriptions,
		Sessions:      sessions(p.Sessions),
		Groups:        groups(p.Groups),
		Gauge:         p.Gauge,
		Logger:        p.Logger,
	})
}

// sessions keeps a missing tracker nil as an interface, not a typed nil.
func sessions(s *service.Sessions) SessionHolder {
	if s == nil {
		return nil
	}
	return s
}

// groups keeps a missing *service.Groups a nil interface.
func groups(g *service.Groups) GroupResolver {
	if g == nil {
		return nil
	}
	return g
}
