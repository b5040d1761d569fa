package stream_test

import (
	"errors"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

func TestCheckImportBatch(t *testing.T) {
	t.Parallel()
	msg := func(id, name string, pos, gpos int64) stream.Message {
		return stream.Message{ID: id, Stream: name, Type: "T", Position: pos, GlobalPosition: gpos, Data: []byte(`{}`)}
	}
	var invalid *stream.ValidationError
	var taken *stream.PositionExistsError
	var dup *stream.DuplicateIDError
	for _, tt := range []struct {
		name  string
		batch []stream.Message
		want  any // nil, or a pointer to the error type wanted
	}{
		{"a consistent batch", []stream.Message{msg("a", "s-1", 0, 5), msg("b", "s-1", 1, 9), msg("c", "s-2", 0, 7)}, nil},
		{"global position 0", []stream.Message{msg("a", "s-1", 0, 0)}, &invalid},
		{"global position past 2^53-1", []stream.Message{msg("a", "s-1", 0, stream.MaxPosition+1)}, &invalid},
		{"negative stream position", []stream.Message{msg("a", "s-1", -1, 1)}, &invalid},
		{"a global position twice", []stream.Message{msg("a", "s-1", 0, 3), msg("b", "s-2", 0, 3)}, &taken},
		{"an id twice", []stream.Message{msg("a", "s-1", 0, 1), msg("a", "s-2", 0, 2)}, &dup},
		{"a stream position twice", []stream.Message{msg("a", "s-1", 0, 1), msg("b", "s-1", 0, 2)}, &taken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := stream.CheckImportBatch(tt.batch)
			switch want := tt.want.(type) {
			case nil:
				if err != nil {
					t.Fatalf("CheckImportBatch = %v, want nil", err)
				}
			case **stream.ValidationError:
				if !errors.As(err, want) {
					t.Fatalf("CheckImportBatch = %v, want a validation error", err)
				}
			case **stream.PositionExistsError:
				if !errors.As(err, want) {
					t.Fatalf("CheckImportBatch = %v, want a position taken", err)
				}
			case **stream.DuplicateIDError:
				if !errors.As(err, want) {
					t.Fatalf("CheckImportBatch = %v, want a duplicate id", err)
				}
			}
		})
	}
}
