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
