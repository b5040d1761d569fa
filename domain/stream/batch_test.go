package stream_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

func ptr[T any](v T) *T { return &v }

func TestBatchSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		requested *int64
		max       int
		want      int
		errSubstr string // "" means no error
	}{
		{"nil is the default", nil, 10000, stream.DefaultBatchSize, ""},
		{"nil is capped by a small maximum", nil, 50, 50, ""},
		{"unlimited", ptr[int64](-1), 10000, stream.Unlimited, ""},
		{"one", ptr[int64](1), 10000, 1, ""},
		{"at the maximum", ptr[int64](10000), 10000, 10000, ""},
		{"zero reads nothing", ptr[int64](0), 10000, 0, ""},
		{"minus two", ptr[int64](-2), 10000, 0, "got -2"},
		{"very negative", ptr[int64](-1 << 40), 10000, 0, "must be -1"},
		{"above the maximum", ptr[int64](10001), 10000, 0, "above the maximum"},
		{"far above the maximum", ptr[int64](1 << 40), 10000, 0, "above the maximum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := stream.BatchSize(tt.requested, tt.max)
			if tt.errSubstr == "" {
				if err != nil {
					t.Fatalf("BatchSize = %v", err)
				}
				if got != tt.want {
					t.Fatalf("BatchSize = %d, want %d", got, tt.want)
				}
				return
			}
			var ve *stream.ValidationError
			if !errors.As(err, &ve) || ve.Field != "batchSize" {
				t.Fatalf("BatchSize error = %v, want a batchSize ValidationError", err)
			}
			if !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("error %q does not say %q", err, tt.errSubstr)
			}
		})
	}
}
