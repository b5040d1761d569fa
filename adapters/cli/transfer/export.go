package transfer

import (
	"bufio"
	"context"
	"io"

	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Export writes the messages of src that q selects to w as NDJSON records and
// returns how many it wrote. progress, when not nil, is called after each
// page with the count so far and the last global position.
func Export(ctx context.Context, src Source, q ports.ExportQuery, w io.Writer, progress func(interchange.Progress)) (int64, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := interchange.NewEncoder(bw)
	var n int64
	err := src.Export(ctx, q, func(msgs []stream.Message) error {
		for i := range msgs {
			if err := enc.Encode(msgs[i]); err != nil {
				return err
			}
		}
		n += int64(len(msgs))
		if progress != nil && len(msgs) > 0 {
			progress(interchange.Progress{Imported: n, GPos: msgs[len(msgs)-1].GlobalPosition})
		}
		return nil
	})
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return n, err
}
