package app

import (
	"context"

	"go.uber.org/fx"
	"go.uber.org/zap"

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
		func(reg ports.NamespaceRegistry, cat ports.Catalog, clock ports.Clock, events ports.NamespaceEvents) *service.Namespaces {
			return service.NewNamespaces(reg, cat, clock).AnnounceTo(events)
		},
		func(reg ports.NamespaceRegistry, ns *service.Namespaces, cfg config.Config) *service.Auth {
			return service.NewAuth(reg, ns, cfg.TestMode)
		},
		func(auth *service.Auth) *service.Sessions { return auth.Sessions() },
	),
	fx.Invoke(followNamespaceEnds),
)

// followNamespaceEnds runs Auth.Follow for the life of the application, so
// deletes on any node end what the deleted namespace's tokens were granted
// here.
func followNamespaceEnds(lc fx.Lifecycle, auth *service.Auth, events ports.NamespaceEvents, log *zap.Logger) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			watch := events.WatchEnded()
			go func() {
				defer close(done)
				auth.Follow(ctx, watch, func(err error) {
					log.Warn("rechecking subscriptions and imports after missed namespace deletes failed", zap.Error(err))
				})
			}()
			return nil
		},
		OnStop: func(context.Context) error {
			cancel()
			<-done
			return nil
		},
	})
}
