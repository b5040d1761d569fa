package sqlite

import (
	"go.uber.org/fx"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
)

// Module provides the SQLite-backed *bunstore.Store and its ports; it needs a
// Config. The store closes after the HTTP server stopped (fx stops in reverse).
var Module = fx.Module("storage.sqlite",
	fx.Provide(func(lc fx.Lifecycle, cfg Config, log *zap.Logger) (*bunstore.Store, error) {
		s, err := Open(cfg, log.Named("sqlite"))
		if err != nil {
			return nil, err
		}
		lc.Append(fx.StopHook(s.Close))
		return s, nil
	}),
	bunstore.Bindings,
)
