package sse

import (
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// Module serves GET /subscribe (into the server's "routes" group) and
// provides the *Handler. It needs a Config, *service.Streams,
// *service.Categories, a ports.Notifier and the *rpc.AuthMiddleware (from
// rpc.Module). Optional: a ports.AllReader for all=true (else the
// ports.MessageStore is used when it implements one), a Gauge counting open
// subscriptions, *service.Sessions, *service.Groups (for group=NAME
// subscriptions) and a *zap.Logger.
var Module = fx.Module("http.sse",
	fx.Provide(
		newFromFx,
		server.AsRoute(Route),
	),
)

// Params are the module's dependencies.
type Params struct {
	fx.In

	Config     Config
	Streams    *service.Streams
	Categories *service.Categories
	Notifier   ports.Notifier
	All        ports.AllReader    `optional:"true"`
	Store      ports.MessageStore `optional:"true"`
	Gauge      Gauge              `optional:"true"`
	Sessions   *service.Sessions  `optional:"true"`
	Groups     *service.Groups    `optional:"true"`
	Logger     *zap.Logger        `optional:"true"`
}

func newFromFx(p Params) (*Handler, error) {
	all := p.All
	if all == nil {
		all, _ = p.Store.(ports.AllReader)
	}
	return NewHandler(p.Config, Deps{
		Streams:    p.Streams,
		Categories: p.Categories,
		All:        all,
		Notifier:   p.Notifier,
		Sessions:   sessions(p.Sessions),
		Groups:     groups(p.Groups),
		Gauge:      p.Gauge,
		Logger:     p.Logger,
	})
}

// sessions keeps a missing tracker nil as an interface, not a typed nil.
func sessions(s *service.Sessions) SessionHolder {
	if s == nil {
		return nil
	}
	return s
}

// groups keeps a missing service nil as an interface, not a typed nil.
func groups(g *service.Groups) GroupResolver {
	if g == nil {
		return nil
	}
	return g
}
