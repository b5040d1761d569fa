package bunstore

import (
	"context"
	"database/sql"

	"github.com/uptrace/bun"

	"github.com/eventodb/eventodb/ports"
)

// Backend is what a database adapter provides to the shared store. The store
// never runs CreateNamespace, OpenNamespace or DropNamespace of one id at once.
type Backend interface {
	// Name is the backend reported by sys.health: "sqlite" or "postgres".
	Name() string
	// Registry is the database holding the namespaces table.
	Registry() bun.IDB
	// CreateNamespace prepares empty storage for namespace id and opens it.
	CreateNamespace(ctx context.Context, id string) (*Namespace, error)
	// OpenNamespace opens the existing storage of namespace id.
	OpenNamespace(ctx context.Context, id string) (*Namespace, error)
	// DropNamespace closes ns and removes its storage and messages.
	DropNamespace(ctx context.Context, ns *Namespace) error
	// LockForAppend serializes append transactions of namespace id across every
	// process sharing the database, so global positions commit in order. It is
	// called first in each append transaction and released at its end.
	LockForAppend(ctx context.Context, tx *sql.Tx, id string) error
	// Placeholders is how the database numbers query parameters: false for
	// SQLite's "?", true for PostgreSQL's "$1, $2, …".
	Placeholders() bool
	// Networked reports whether statements travel over a network and may
	// hang with it: then they follow their callers' contexts. Embedded
	// SQLite runs them to the end (a cancellable context would cost its
	// driver a goroutine per statement), bounded by its busy timeout.
	Networked() bool
	// StatementArgs go before the parameters of every fixed statement of the
	// hot paths (reads, versions, the append's lookups): a driver option
	// such as pgx's exec mode, which prepares each statement once per
	// connection. Nil for none. On PostgreSQL they run generic plans, made
	// without their parameters' values (see CategoryReadSQL).
	StatementArgs() []any
	// Health reports connection-pool figures; it returns an error wrapping
	// ports.ErrUnavailable when the database cannot be reached.
	Health(ctx context.Context) (ports.Health, error)
	// IsUnavailable reports whether err means the database cannot be reached.
	IsUnavailable(err error) bool
	// IsMissingNamespace reports whether err means the namespace's storage is gone.
	IsMissingNamespace(err error) bool
	// Close releases the registry and every connection the backend opened.
	Close() error
}

// Namespace is an open namespace: where its appends and reads run and the
// (qualified) names of its tables.
type Namespace struct {
	ID       string
	Writer   *bun.DB // append transactions run here
	Reader   *bun.DB // reads run here (may be Writer)
	Messages string  // messages table, quoted and qualified as needed
	Streams  string  // streams table, quoted and qualified as needed
	// Durable consumer groups' tables (groups.go), quoted and qualified as needed.
	Groups, GroupMembers, GroupTallies string
	// Close releases the namespace's own connections, if it has any.
	Close func() error
}
