package bunstore

import (
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/ports"
)

// Bindings offers a *Store, provided by a database adapter's module, as every
// storage port.
var Bindings = fx.Provide(
	func(s *Store) ports.Storage { return s },
	func(s *Store) ports.MessageStore { return s },
	func(s *Store) ports.Catalog { return s },
	func(s *Store) ports.NamespaceRegistry { return s },
	func(s *Store) ports.HealthChecker { return s },
	func(s *Store) ports.AllReader { return s },
	func(s *Store) ports.Importer { return s },
	func(s *Store) ports.Exporter { return s },
	func(s *Store) ports.GroupStore { return s },
)
