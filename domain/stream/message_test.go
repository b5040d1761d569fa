package stream_test

import (
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

func TestSameContent(t *testing.T) {
	t.Parallel()
	stored := stream.Message{
		ID:       "00000000-0000-4000-8000-000000000001",
		Stream:   "account-1",
		Type:     "Deposited",
		Position: 4,
		Data:     []byte(`{"amount":10,"currency":"EUR","tags":["a","b"]}`),
		Metadata: []byte(`{"by":"alice"}`),
	}
	tests := []struct {
		name   string
		stream string
		p      stream.Proposed
		want   bool
	}{
		{"identical bytes", "account-1", stream.Proposed{Type: "Deposited", Data: []byte(`{"amount":10,"currency":"EUR","tags":["a","b"]}`)}, true},
		{"key order", "account-1", stream.Proposed{Type: "Deposited", Data: []byte(`{"tags":["a","b"],"currency":"EUR","amount":10}`)}, true},
		{"whitespace", "account-1", stream.Proposed{Type: "Deposited", Data: []byte("{ \"amount\" : 10 ,\n\t\"currency\":\"EUR\", \"tags\": [ \"a\", \"b\" ] }")}, true},
		{"metadata is not compared", "account-1", stream.Proposed{Type: "Deposited", Data: []byte(`{"amount":10,"currency":"EUR","tags":["a","b"]}`), Metadata: []byte(`{"by":"bob"}`)}, true},
		{"other stream", "account-2", stream.Proposed{Type: "Deposited", Data: []byte(`{"amount":10,"currency":"EUR","tags":["a","b"]}`)}, false},
		{"other type", "account-1", stream.Proposed{Type: "Withdrawn", Data: []byte(`{"amount":10,"currency":"EUR","tags":["a","b"]}`)}, false},
		{"other value", "account-1", stream.Proposed{Type: "Deposited", Data: []byte(`{"amount":11,"currency":"EUR","tags":["a","b"]}`)}, false},
		{"array order matters", "account-1", stream.Proposed{Type: "Deposited", Data: []byte(`{"amount":10,"currency":"EUR","tags":["b","a"]}`)}, false},
		{"missing key", "account-1", stream.Proposed{Type: "Deposited", Data: []byte(`{"amount":10,"currency":"EUR"}`)}, false},
		{"number vs string", "account-1", stream.Proposed{Type: "Deposited", Data: []byte(`{"amount":"10","currency":"EUR","tags":["a","b"]}`)}, false},
		{"invalid JSON", "account-1", stream.Proposed{Type: "Deposited", Data: []byte(`{"amount":10,`)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := stored.SameContent(tt.stream, tt.p); got != tt.want {
				t.Errorf("SameContent = %v, want %v", got, tt.want)
			}
		})
	}
}

// Integers beyond float64 precision are different data: a retry that changed
// such a number must be refused, not answered as the original write.
func TestSameContentLargeIntegers(t *testing.T) {
	t.Parallel()
	stored := stream.Message{Stream: "account-1", Type: "T", Data: []byte(`{"n":9007199254740993}`)}
	if stored.SameContent("account-1", stream.Proposed{Type: "T", Data: []byte(`{"n":9007199254740992}`)}) {
		t.Error("SameContent treats 9007199254740993 and 9007199254740992 as equal")
	}
	if !stored.SameContent("account-1", stream.Proposed{Type: "T", Data: []byte(`{ "n": 9007199254740993 }`)}) {
		t.Error("SameContent refuses the same large integer with other spacing")
	}
}
