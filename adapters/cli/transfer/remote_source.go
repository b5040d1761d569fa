package transfer

import (
	"context"

	"github.com/eventodb/eventodb/client"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// RemoteSource exports the namespace of a client's token through a server
// (client.Export: every category read page by page and merged into global
// order). Messages written during the export may or may not be included.
type RemoteSource struct {
	Client *client.Client
	// PageSize is the batch size of each category read; 0 lets the client
	// pick one.
	PageSize int
}

// Export reads q's categories (every category when none) and hands the
// messages on in ascending global position.
func (s RemoteSource) Export(ctx context.Context, q ports.ExportQuery, page func([]stream.Message) error) error {
	opts := &client.ExportOptions{Categories: q.Categories, FromGlobal: q.FromGlobal, PageSize: s.PageSize}
	if q.Since != nil {
		opts.Since = *q.Since
	}
	if q.Until != nil {
		opts.Until = *q.Until
	}
	var buf []stream.Message
	return s.Client.Export(ctx, opts, func(msgs []client.Message) error {
		buf = buf[:0]
		for _, m := range msgs {
			buf = append(buf, stream.Message{
				ID: m.ID, Stream: m.Stream, Type: m.Type, Position: m.Position, GlobalPosition: m.GlobalPosition,
				Data: m.Data, Metadata: m.Metadata, Time: m.Time,
			})
		}
		return page(buf)
	})
}
