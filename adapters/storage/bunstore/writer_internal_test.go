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
				reqs:  make(chan *appendReq, len(tt.waiting)),
			}
			for _, r := range tt.waiting {
				w.reqs <- r
			}
			if got := len(w.collect(tt.first)); got != tt.want {
				t.Fatalf("batch of %d appends, want %d", got, tt.want)
			}
		})
	}
}
