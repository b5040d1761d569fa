package postgres

import (
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
)

// Module opens the PostgreSQL store when the application is built (applying
// migrations under the advisory lock) and closes it on stop, after the HTTP
// server has drained (fx stops in reverse). It provides the *bunstore.Store
// and, through bunstore.Bindings, every storage port. It needs a Config and
// optionally a *zap.Logger. For several nodes, pair it with notify/pgnotify.
var Module = fx.Module("storage.postgres",
	fx.Provide(newFromFx),
	bunstore.Bindings,
)

// Params are the module's dependencies.
type Params struct {
	fx.In

	Config    Config
	Lifecycle fx.Lifecycle
	Logger    *zap.Logger `optional:"true"`
}

func newFromFx(p Params) (*bunstore.Store, error) {
	s, err := Open(p.Config, p.Logger)
	if err != nil {
		return nil, err
	}
	p.Lifecycle.Append(fx.StopHook(s.Close))
	return s, nil
}
