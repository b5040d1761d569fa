package bunstore

import (
	"context"
	"strings"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

var _ ports.Exporter = (*Store)(nil)

// exportPage is how many messages one export query reads, and exportBytes
// the payload it stops after, so large messages don't multiply its memory.
const (
	exportPage  = 1000
	exportBytes = 8 << 20
)

// Export pages through the namespace by global position: each page is a range
// scan of the primary key from just past the previous page, filtered by
// category and time, so no page costs more than the rows it passes over and
// memory holds one page at a time.
func (s *Store) Export(ctx context.Context, ns string, q ports.ExportQuery, page func([]stream.Message) error) error {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return err
	}
	defer h.release()
	var filter strings.Builder
	var args []any
	if len(q.Categories) > 0 {
		filter.WriteString(" AND category IN (?" + strings.Repeat(",?", len(q.Categories)-1) + ")")
		for _, c := range q.Categories {
			args = append(args, c)
		}
	}
	if q.Since != nil {
		filter.WriteString(" AND time >= ?")
		args = append(args, q.Since.UnixMicro())
	}
	if q.Until != nil {
		filter.WriteString(" AND time < ?")
		args = append(args, q.Until.UnixMicro())
	}
	query := h.writer.q.bind("SELECT " + messageColumns + " FROM " + h.ns.Messages +
		" WHERE global_position >= ?" + filter.String() + " ORDER BY global_position LIMIT ?")
	next := max(q.FromGlobal, 1)
	for {
		msgs, err := collect(exportPage, func(visit func(*stream.Message) error) (ports.Scanned, error) {
			return s.scan(ctx, h, exportBytes, visit, query, append(append([]any{next}, args...), exportPage)...)
		})
		if err != nil {
			return err
		}
		if len(msgs) == 0 {
			return nil
		}
		if err := page(msgs); err != nil {
			return err
		}
		if len(msgs) < exportPage && payload(msgs) < exportBytes {
			return nil
		}
		next = msgs[len(msgs)-1].GlobalPosition + 1
	}
}

// payload is the data and metadata bytes of msgs.
func payload(msgs []stream.Message) int {
	n := 0
	for i := range msgs {
		n += ports.PayloadBytes(&msgs[i])
	}
	return n
}
