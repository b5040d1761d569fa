package client

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"

	"github.com/eventodb/eventodb/domain/interchange"
)

// TimeLayout is how the server writes every time: RFC 3339 in UTC with
// exactly six fractional digits.
const TimeLayout = interchange.TimeLayout

// RecordEncoder writes messages as NDJSON records, the format of `eventodb
// export`, which Import and `eventodb import` read. Not safe for concurrent
// use.
type RecordEncoder struct {
	enc *json.Encoder
}

// NewRecordEncoder returns an encoder writing to w; buffer w for speed.
func NewRecordEncoder(w io.Writer) *RecordEncoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // data goes out byte for byte
	return &RecordEncoder{enc: enc}
}

// Encode writes m as one line.
func (e *RecordEncoder) Encode(m Message) error {
	meta := m.Metadata
	if len(meta) == 0 {
		meta = json.RawMessage("null")
	}
	data := m.Data
	if len(data) == 0 {
		data = json.RawMessage("{}")
	}
	r := interchange.Record{ID: m.ID, Stream: m.Stream, Type: m.Type, Pos: m.Position, GPos: m.GlobalPosition,
		Data: data, Meta: meta, Time: m.Time.UTC().Format(TimeLayout)}
	if err := e.enc.Encode(r); err != nil {
		return fmt.Errorf("encode message %d: %w", m.GlobalPosition, err)
	}
	return nil
}

// ExportTo runs Export and writes its messages to w as NDJSON records. It
// returns how many it wrote, also when it stopped early.
func (c *Client) ExportTo(ctx context.Context, opts *ExportOptions, w io.Writer) (int64, error) {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := NewRecordEncoder(bw)
	var n int64
	err := c.Export(ctx, opts, func(msgs []Message) error {
		for _, m := range msgs {
			if err := enc.Encode(m); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	return n, err
}
