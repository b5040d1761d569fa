package rpc

import (
	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
	"go.uber.org/fx"
)

// Module serves POST /rpc, GET /health and GET /version (into the server's
// "routes" group) and provides the built-in methods into the "rpc.methods"
// group; another module adds a method by providing a Method into that group.
// It also provides the *httpapi.AuthMiddleware (rate-limited and in test
// mode as Config says) for other HTTP adapters. It needs a Config, the domain
// services (*service.Streams, *service.Categories, *service.Namespaces,
// *service.Auth), a ports.HealthChecker and optionally a ports.Clock.
var Module = fx.Module("http.rpc",
	fx.Provide(
		fx.Annotate(newMethods, fx.ResultTags(`group:"rpc.methods,flatten"`)),
		fx.Annotate(newHandler, fx.ParamTags(``, `group:"rpc.methods"`, ``)),
		newRateLimiter,
		newAuthMiddleware,
		httpapi.AsRoute(RPCRoute),
		httpapi.AsRoute(HealthRoute),
		httpapi.AsRoute(func(cfg Config) httpapi.Route { return VersionRoute(cfg.Version) }),
	),
)

// newHandler is the /rpc handler, with the authenticator rechecking failures
// that may come from a namespace deleted since its token was checked.
func newHandler(cfg Config, methods []Method, auth *service.Auth) (*Handler, error) {
	h, err := NewHandler(cfg, methods)
	if err != nil {
		return nil, err
	}
	h.SetRechecker(auth)
	return h, nil
}

// MethodParams are the built-in methods' dependencies.
type MethodParams struct {
	fx.In

	Config     Config
	Streams    *service.Streams
	Categories *service.Categories
	Namespaces *service.Namespaces
	Auth       *service.Auth
	Health     ports.HealthChecker
	Clock      ports.Clock               `optional:"true"`
	Expensive  httpapi.ExpensiveRequests `optional:"true"`
	Groups     *service.Groups           `optional:"true"`
}

func newMethods(p MethodParams) ([]Method, error) {
	return Methods(Deps{
		Streams:    p.Streams,
		Categories: p.Categories,
		Namespaces: p.Namespaces,
		Tokens:     p.Auth,
		Health:     p.Health,
		Clock:      p.Clock,
		Version:    p.Config.Version,
		Expensive:  p.Expensive,
		Groups:     groupService(p.Groups),
	})
}

// groupService keeps a missing service nil as an interface, not a typed nil.
func groupService(g *service.Groups) GroupService {
	if g == nil {
		return nil
	}
	return g
}

func newRateLimiter(cfg Config) *httpapi.RateLimiter {
	return httpapi.NewRateLimiter(cfg.RateLimit, cfg.Burst)
}

func newAuthMiddleware(auth *service.Auth, limiter *httpapi.RateLimiter, cfg Config) (*httpapi.AuthMiddleware, error) {
	return httpapi.NewAuthMiddleware(auth, limiter, cfg.TestMode)
}
