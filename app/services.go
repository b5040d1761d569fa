package app

import (
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// servicesModule provides the domain services on top of whatever adapters
// provide the ports.
var servicesModule = fx.Module("domain.services",
	fx.Provide(
		func(cfg config.Config) service.Limits { return cfg.Limits() },
		func(store ports.MessageStore, ids ports.IDGenerator, n ports.Notifier, l service.Limits) *service.Streams {
			return service.NewStreams(store, ids, n, l)
		},
		service.NewCategories,
		service.NewNamespaces,
		func(reg ports.NamespaceRegistry, ns *service.Namespaces, cfg config.Config) *service.Auth {
			return service.NewAuth(reg, ns, cfg.TestMode)
		},
	),
)
