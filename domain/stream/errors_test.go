package stream_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"invalid", stream.Invalid("streamName", "must not be empty"), []string{"streamName must not be empty"}},
		{"invalidf", stream.Invalidf("batchSize", "%d is too big", 7), []string{"batchSize 7 is too big"}},
		{"conflict", &stream.VersionConflictError{Stream: "a-1", Expected: 2, Actual: -1}, []string{`"a-1"`, "-1", "2"}},
		{"duplicate", &stream.DuplicateIDError{ID: "abc"}, []string{"abc"}},
		{"too large", &stream.TooLargeError{What: "message", Size: 11, Limit: 10}, []string{"message", "11", "10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, w := range tt.want {
				if !strings.Contains(tt.err.Error(), w) {
					t.Errorf("%q does not contain %q", tt.err.Error(), w)
				}
			}
		})
	}
	var ve *stream.ValidationError
	if !errors.As(stream.Invalidf("f", "x"), &ve) || ve.Field != "f" || ve.Reason != "x" {
		t.Errorf("Invalidf did not build a ValidationError: %+v", ve)
	}
}

// A version conflict's message keeps its wire text whatever the stream's
// name holds (quotes, backslashes, non-ASCII, control characters).
func TestVersionConflictMessage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  stream.VersionConflictError
		want string
	}{
		{stream.VersionConflictError{Stream: "a-1", Expected: 1, Actual: 3}, `stream "a-1" is at version 3, expected 1`},
		{stream.VersionConflictError{Stream: "new-1", Expected: 0, Actual: -1}, `stream "new-1" is at version -1, expected 0`},
		{stream.VersionConflictError{Stream: "q\"b\\-é\t", Expected: 9, Actual: 10}, `stream "q\"b\\-é\t" is at version 10, expected 9`},
	} {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %s, want %s", got, tt.want)
		}
	}
}
