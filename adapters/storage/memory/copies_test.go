package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// No caller can change what the store holds through a slice it passed in or
// got back.
func TestDataIsCopied(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, time.Now())
	data, meta := []byte(`{"a":1}`), []byte(`{"m":1}`)
	m := stream.Proposed{ID: uuid.NewString(), Type: "T", Data: data, Metadata: meta}
	if _, err := s.Append(ctx, "ns", stream.Append{Stream: "copy-1", Messages: []stream.Proposed{m}}); err != nil {
		t.Fatal(err)
	}
	copy(data, `{"a":9}`) // the writer reuses its buffers
	copy(meta, `{"m":9}`)
	imported := stream.Message{ID: uuid.NewString(), Stream: "copy-2", Type: "T", GlobalPosition: 50,
		Data: []byte(`{"a":1}`), Metadata: []byte(`{"m":1}`), Time: time.Now()}
	if err := s.Import(ctx, "ns", []stream.Message{imported}); err != nil {
		t.Fatal(err)
	}
	copy(imported.Data, `{"a":9}`)
	copy(imported.Metadata, `{"m":9}`)

	reads := map[string]func() []stream.Message{
		"ReadStream": func() []stream.Message {
			msgs, _ := s.ReadStream(ctx, "ns", ports.StreamQuery{Stream: "copy-1", Limit: 10})
			more, _ := s.ReadStream(ctx, "ns", ports.StreamQuery{Stream: "copy-2", Limit: 10})
			return append(msgs, more...)
		},
		"ReadCategory": func() []stream.Message {
			msgs, _ := s.ReadCategory(ctx, "ns", ports.CategoryQuery{Category: "copy", Limit: 10})
			return msgs
		},
		"ReadAll": func() []stream.Message {
			msgs, _ := s.ReadAll(ctx, "ns", ports.AllQuery{Limit: 10})
			return msgs
		},
		"Last": func() []stream.Message {
			a, _ := s.Last(ctx, "ns", "copy-1", "")
			b, _ := s.Last(ctx, "ns", "copy-2", "T")
			return []stream.Message{*a, *b}
		},
		"Export": func() []stream.Message {
			var out []stream.Message
			_ = s.Export(ctx, "ns", ports.ExportQuery{}, func(page []stream.Message) error {
				out = append(out, page...)
				return nil
			})
			return out
		},
	}
	for name, read := range reads {
		for round := range 2 { // the second round sees what the first one did
			msgs := read()
			if len(msgs) != 2 {
				t.Fatalf("%s returned %d messages, want 2", name, len(msgs))
			}
			for _, got := range msgs {
				if string(got.Data) != `{"a":1}` || string(got.Metadata) != `{"m":1}` {
					t.Fatalf("%s round %d: data %s, metadata %s: the store shares a caller's bytes", name, round, got.Data, got.Metadata)
				}
				copy(got.Data, `{"a":7}`)
				copy(got.Metadata, `{"m":7}`)
			}
		}
	}
}
