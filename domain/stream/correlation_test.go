package stream_test

import (
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

func TestCorrelationCategory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		metadata string
		want     string
	}{
		{"stream with id", `{"correlationStreamName":"workflow-123"}`, "workflow"},
		{"compound id", `{"correlationStreamName":"workflow-123+retry"}`, "workflow"},
		{"category name", `{"correlationStreamName":"workflow"}`, "workflow"},
		{"with other keys", `{"a":1,"correlationStreamName":"order:command-9","b":[]}`, "order:command"},
		{"empty name", `{"correlationStreamName":""}`, ""},
		{"no metadata", ``, ""},
		{"null metadata", `null`, ""},
		{"no key", `{"other":"workflow-1"}`, ""},
		{"null value", `{"correlationStreamName":null}`, ""},
		{"not a string", `{"correlationStreamName":42}`, ""},
		{"not an object", `["workflow-1"]`, ""},
		{"broken JSON", `{"correlationStreamName":"workflow-1"`, ""},
		// PostgreSQL: metadata->>'correlationStreamName' is exact and the last duplicate wins.
		{"key is case sensitive", `{"CorrelationStreamName":"workflow-1"}`, ""},
		{"last duplicate key wins", `{"correlationStreamName":"a-1","correlationStreamName":"b-1"}`, "b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := stream.CorrelationCategory([]byte(tt.metadata)); got != tt.want {
				t.Errorf("CorrelationCategory(%s) = %q, want %q", tt.metadata, got, tt.want)
			}
		})
	}
}
