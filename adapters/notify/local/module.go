package local

import (
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/ports"
)

// Module provides the in-process notifier as ports.Notifier,
// ports.NamespaceEvents (and as *Notifier), for a single server node. It
// needs nothing.
var Module = fx.Module("notify.local",
	fx.Provide(fx.Annotate(New, fx.As(fx.Self()), fx.As(new(ports.Notifier)), fx.As(new(ports.NamespaceEvents)),
		fx.As(new(ports.CommitFeed)), fx.As(new(ports.RecentCommits)))),
)
