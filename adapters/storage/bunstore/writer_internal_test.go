package bunstore

import (
	"bytes"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

// A group-commit batch stops growing at its byte limit as well as at its
// message limit, so large messages cannot build one huge transaction.
func TestCollectStopsAtByteLimit(t *testing.T) {
	t.Parallel()
	big := func() *appendReq {
		data := append(append([]byte(`{"s":"`), bytes.Repeat([]byte("x"), 3<<20)...), `"}`...)
		return &appendReq{a: stream.Append{Stream: "s-1", Messages: []stream.Proposed{{Type: "T", Data: data}}}}
	}
	small := func() *appendReq {
		return &appendReq{a: stream.Append{Stream: "s-1", Messages: []stream.Proposed{{Type: "T", Data: []byte(`{}`)}}}}
	}
	for _, tt := range []struct {
		name    string
		first   *appendReq
		waiting []*appendReq
		want    int
	}{
		{"3 MiB messages: three reach 8 MiB", big(), []*appendReq{big(), big(), big(), big()}, 3},
		{"small messages: the message limit", small(), []*appendReq{small(), small(), small(), small(), small()}, 4},
		{"nothing waiting", small(), nil, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := &writer{
				store: &Store{opts: Options{MaxBatchMessages: 4, MaxBatchBytes: 8 << 20}},
				queue: append([]*appendReq{tt.first}, tt.waiting...),
			}
			if got := len(w.take()); got != tt.want {
				t.Fatalf("batch of %d appends, want %d", got, tt.want)
			}
			if left := len(w.queue); left != len(tt.waiting)+1-tt.want {
				t.Fatalf("%d appends left queued, want %d", left, len(tt.waiting)+1-tt.want)
			}
		})
	}
}
