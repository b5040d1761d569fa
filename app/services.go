package app

import (
	"context"
	"time"

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
		func(reg ports.NamespaceRegistry, cat ports.Catalog, clock ports.Clock, events ports.NamespaceEvents, groups ports.GroupStore) *service.Namespaces {
			return service.NewNamespaces(reg, cat, clock).AnnounceTo(events).CountGroupsWith(groups)
		},
		func(store ports.GroupStore, cats *service.Categories, head ports.AllReader, clock ports.Clock, ids ports.IDGenerator) *service.Groups {
			return service.NewGroups(store, cats, head, clock, ids)
		},
		func(reg ports.NamespaceRegistry, ns *service.Namespaces, cfg config.Config) *service.Auth {
			auth := service.NewAuth(reg, ns, cfg.TestMode)
			auth.SetTestModeLimits(service.TestModeLimits{MaxNamespaces: cfg.TestModeMaxNamespaces, IdleTTL: cfg.TestModeNamespaceTTL})
			return auth
		},
		func(auth *service.Auth) *service.Sessions { return auth.Sessions() },
		newSubscriptions,
		newImports,
	),
	fx.Invoke(publishCommits, followNamespaceEnds, expireTestNamespaces),
)

// expireTestNamespaces deletes, in test mode, the namespaces created on first
// use of a token once they are idle for the configured TTL: checked every
// minute, or every quarter of the TTL when that is shorter.
func expireTestNamespaces(lc fx.Lifecycle, cfg config.Config, auth *service.Auth, log *zap.Logger) {
	if !cfg.TestMode || cfg.TestModeNamespaceTTL <= 0 {
		return
	}
	every := min(time.Minute, cfg.TestModeNamespaceTTL/4)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			go func() {
				defer close(done)
				tick := time.NewTicker(every)
				defer tick.Stop()
				for {
					select {
					case <-ctx.Done():
						return
					case <-tick.C:
					}
					expired, err := auth.ExpireIdle(ctx)
					if len(expired) > 0 {
						log.Info("deleted idle test-mode namespaces", zap.Strings("namespaces", expired))
					}
					if err != nil && ctx.Err() == nil {
						log.Warn("deleting idle test-mode namespaces failed", zap.Error(err))
					}
				}
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

// subscriptionParams are what the subscription service is made of.
type subscriptionParams struct {
	fx.In

	Config     config.Config
	Streams    *service.Streams
	Categories *service.Categories
	Store      ports.MessageStore
	Notifier   ports.Notifier
	Recent     ports.RecentCommits `optional:"true"`
}

func newSubscriptions(p subscriptionParams) *service.Subscriptions {
	all, _ := p.Store.(ports.AllReader)
	return service.NewSubscriptions(p.Streams, p.Categories, all, p.Notifier, p.Recent,
		service.SubscriptionOptions{Heartbeat: p.Config.SSEHeartbeat, PageSize: min(1000, p.Config.MaxBatchSize)})
}

// importParams are what the import use case is made of.
type importParams struct {
	fx.In

	Importer ports.Importer
	IDs      ports.IDGenerator
	Notifier ports.Notifier
	Limits   service.Limits
	Groups   *service.Groups
}

// newImports is the import use case of POST /import: records as large as a
// write accepts, group lines restored with ?groups=true.
func newImports(p importParams) (*service.Imports, error) {
	imports, err := service.NewImports(p.Importer, p.IDs, p.Notifier, service.ImportConfig{MaxMessageBytes: p.Limits.MaxMessageBytes})
	if err != nil {
		return nil, err
	}
	return imports.RestoreGroupsWith(p.Groups), nil
}

// publishCommits has the store tell the node's notifier of every commit, so
// subscriptions learn of them without reading the store.
func publishCommits(store ports.MessageStore, feed ports.CommitFeed) {
	if p, ok := store.(ports.CommitPublisher); ok {
		p.PublishCommits(feed)
	}
}
