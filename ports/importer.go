package ports

import (
	"context"
	"time"

	"github.com/eventodb/eventodb/domain/stream"
)

// Importer writes messages that keep the identity and positions they had
// elsewhere (a backup being restored, a namespace being moved). Safe for
// concurrent use; an import never interleaves with an append of the same
// namespace, and appends after it continue after the highest global position.
type Importer interface {
	// Import stores batch in one transaction, keeping every message's id,
	// stream, type, position, global position, data, metadata and time, and
	// keeps each stream's version at the highest position it holds. Global
	// positions need not be in order. A global position, or a stream position,
	// that is already taken (in the namespace or earlier in batch) is a
	// *stream.PositionExistsError, an id already stored is a
	// *stream.DuplicateIDError; either way nothing of batch is stored. An
	// empty batch stores nothing but still fails with namespace.ErrNotFound
	// for a missing namespace.
	Import(ctx context.Context, ns string, batch []stream.Message) error
}

// ExportQuery selects the messages an export writes.
type ExportQuery struct {
	Categories []string   // only these categories; none: every category
	Since      *time.Time // only messages written at or after Since
	Until      *time.Time // only messages written before Until
	FromGlobal int64      // only global positions >= FromGlobal
}

// Exporter reads a namespace's messages in ascending global position, one
// bounded page at a time, so an export of any size uses constant memory.
type Exporter interface {
	// Export hands the messages q selects to page, in ascending global
	// position, in slices page may not keep. An error from page stops the
	// export and is returned.
	Export(ctx context.Context, ns string, q ExportQuery, page func([]stream.Message) error) error
}

// Clearer empties a namespace before a backup is restored into it (import
// --force): every message and stream goes, the namespace and its tokens stay.
// It is an optional capability of an Importer.
type Clearer interface {
	// Clear deletes every message and stream of ns in one transaction that
	// never interleaves with an append, and returns how many messages it
	// deleted. Global positions start again at 1 afterwards, as in a new
	// namespace. It returns an error wrapping namespace.ErrNotFound when the
	// namespace does not exist.
	Clear(ctx context.Context, ns string) (int64, error)
}
