package transfer

import (
	"context"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Source reads the messages an export writes, in pages. Pages may not be
// kept after page returns.
type Source interface {
	Export(ctx context.Context, q ports.ExportQuery, page func([]stream.Message) error) error
}

// StoreSource exports namespace Namespace of a store.
type StoreSource struct {
	Exporter  ports.Exporter
	Namespace string
	Groups    ports.GroupStore // for export --groups; nil: none
}

// Export hands the store's pages on.
func (s StoreSource) Export(ctx context.Context, q ports.ExportQuery, page func([]stream.Message) error) error {
	return s.Exporter.Export(ctx, s.Namespace, q, page)
}
