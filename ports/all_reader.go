package ports

import (
	"context"

	"github.com/eventodb/eventodb/domain/stream"
)

// AllReader reads every message of a namespace in global order, for
// subscriptions to a whole namespace. It is an optional capability of a
// MessageStore (a category read cannot express "every category" without
// losing the global order). Implementations are safe for concurrent use.
type AllReader interface {
	// ReadAll returns the messages of ns q selects, by ascending global
	// position. It returns an error wrapping namespace.ErrNotFound when the
	// namespace does not exist.
	ReadAll(ctx context.Context, ns string, q AllQuery) ([]stream.Message, error)
	// LastGlobalPosition is the highest global position of ns, 0 when it has
	// no messages. Global positions become visible in order, so a reader that
	// read every match up to it may move its cursor past it.
	LastGlobalPosition(ctx context.Context, ns string) (int64, error)
}
