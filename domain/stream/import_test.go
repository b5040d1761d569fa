package stream_test

import (
	"errors"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

// isA reports whether err is, or wraps, an error of type T. Each call has a
// target of its own, so parallel subtests share nothing.
func isA[T error](err error) bool {
	var target T
	return errors.As(err, &target)
}

func TestCheckImportBatch(t *testing.T) {
	t.Parallel()
	msg := func(id, name string, pos, gpos int64) stream.Message {
		return stream.Message{ID: id, Stream: name, Type: "T", Position: pos, GlobalPosition: gpos, Data: []byte(`{}`)}
	}
	invalid, taken, dup := isA[*stream.ValidationError], isA[*stream.PositionExistsError], isA[*stream.DuplicateIDError]
	for _, tt := range []struct {
		name  string
		batch []stream.Message
		want  func(error) bool // nil: no error wanted
	}{
		{"a consistent batch", []stream.Message{msg("a", "s-1", 0, 5), msg("b", "s-1", 1, 9), msg("c", "s-2", 0, 7)}, nil},
		{"global position 0", []stream.Message{msg("a", "s-1", 0, 0)}, invalid},
		{"global position past 2^53-1", []stream.Message{msg("a", "s-1", 0, stream.MaxPosition+1)}, invalid},
		{"negative stream position", []stream.Message{msg("a", "s-1", -1, 1)}, invalid},
		{"a global position twice", []stream.Message{msg("a", "s-1", 0, 3), msg("b", "s-2", 0, 3)}, taken},
		{"an id twice", []stream.Message{msg("a", "s-1", 0, 1), msg("a", "s-2", 0, 2)}, dup},
		{"a stream position twice", []stream.Message{msg("a", "s-1", 0, 1), msg("b", "s-1", 0, 2)}, taken},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := stream.CheckImportBatch(tt.batch)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("CheckImportBatch = %v, want nil", err)
			case tt.want != nil && !tt.want(err):
				t.Fatalf("CheckImportBatch = %v, not the error of the kind wanted", err)
			}
		})
	}
}
