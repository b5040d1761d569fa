package memory

import (
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/ports"
)

// Params are what the module takes from the application: a clock when it has
// one (the system's otherwise), so tests can stop time for the whole server.
type Params struct {
	fx.In
	Lifecycle fx.Lifecycle
	Clock     ports.Clock `optional:"true"`
}

// Module provides the memory *Store and every storage port it implements. It
// needs nothing. The store closes after the HTTP server stopped (fx stops in
// reverse), and its data goes with it.
var Module = fx.Module("storage.memory",
	fx.Provide(
		func(p Params) *Store {
			s := New(Options{Clock: p.Clock})
			p.Lifecycle.Append(fx.StopHook(s.Close))
			return s
		},
		func(s *Store) ports.Storage { return s },
		func(s *Store) ports.MessageStore { return s },
		func(s *Store) ports.Catalog { return s },
		func(s *Store) ports.NamespaceRegistry { return s },
		func(s *Store) ports.HealthChecker { return s },
		func(s *Store) ports.AllReader { return s },
		func(s *Store) ports.Importer { return s },
		func(s *Store) ports.Exporter { return s },
		func(s *Store) ports.GroupStore { return s },
	),
)
