package importer

import (
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
)

// Module serves POST /import (into the server's "routes" group). It needs
// the import use case (*service.Imports) and the *httpapi.AuthMiddleware
// (from rpc.Module); it uses Options, the ExpensiveRequests limiter and the
// *service.Sessions that end imports of deleted namespaces when they are
// provided.
var Module = fx.Module("http.importer",
	fx.Provide(
		newHandler,
		httpapi.AsRoute(func(h *Handler, auth *httpapi.AuthMiddleware) httpapi.Route { return Route(h, auth) }),
	),
)

// HandlerParams are the handler's dependencies.
type HandlerParams struct {
	fx.In

	Imports   *service.Imports
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
	return New(p.Imports, opts)
}
