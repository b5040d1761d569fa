package pgnotify

import (
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/ports"
)

// Module provides the PostgreSQL notifier as ports.Notifier (and as
// *Notifier), started and stopped with the application. It needs a Config
// and optionally a *zap.Logger.
var Module = fx.Module("notify.pgnotify",
	fx.Provide(fx.Annotate(newFromFx, fx.As(fx.Self()), fx.As(new(ports.Notifier)), fx.As(new(ports.NamespaceEvents)),
		fx.As(new(ports.CommitFeed)), fx.As(new(ports.RecentCommits)))),
)

// Params are the module's dependencies.
type Params struct {
	fx.In

	Config    Config
	Lifecycle fx.Lifecycle
	Logger    *zap.Logger `optional:"true"`
}

func newFromFx(p Params) (*Notifier, error) {
	n, err := New(p.Config, p.Logger)
	if err != nil {
		return nil, err
	}
	p.Lifecycle.Append(fx.Hook{OnStart: n.Start, OnStop: n.Stop})
	return n, nil
}
