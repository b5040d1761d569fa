package hub_test

import (
	"slices"
	"testing"

	"github.com/eventodb/eventodb/adapters/notify/hub"
	"github.com/eventodb/eventodb/domain/stream"
)

func commits(from, to int64) []stream.Committed {
	var out []stream.Committed
	for g := from; g <= to; g++ {
		out = append(out, stream.Committed{Stream: "a-1", Category: "a", Position: g - 1, GlobalPosition: g})
	}
	return out
}

func positions(ms []stream.Committed) []int64 {
	var out []int64
	for _, m := range ms {
		out = append(out, m.GlobalPosition)
	}
	return out
}

func all(*stream.Committed) bool { return true }

// The ring vouches only for an unbroken run of commits, and only while the
// namespace has subscribers.
func TestRecentCommits(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		feed     func(h *hub.Hub)
		from     int64
		limit    int
		want     []int64
		wantNext int64
		wantOK   bool
	}{
		{"unbroken run", func(h *hub.Hub) {
			h.Committed("ns", 0, commits(1, 3))
			h.Committed("ns", 3, commits(4, 5))
		}, 2, 10, []int64{2, 3, 4, 5}, 6, true},
		{"limit", func(h *hub.Hub) { h.Committed("ns", 0, commits(1, 5)) }, 1, 2, []int64{1, 2}, 3, true},
		{"a gap starts the ring again", func(h *hub.Hub) {
			h.Committed("ns", 0, commits(1, 3))
			h.Committed("ns", 7, commits(8, 9))
		}, 1, 10, nil, 1, false},
		{"after the gap", func(h *hub.Hub) {
			h.Committed("ns", 0, commits(1, 3))
			h.Committed("ns", 7, commits(8, 9))
		}, 8, 10, []int64{8, 9}, 10, true},
		{"unsure", func(h *hub.Hub) {
			h.Committed("ns", 0, commits(1, 3))
			h.Unsure("ns")
		}, 1, 10, nil, 1, false},
		{"signal all", func(h *hub.Hub) {
			h.Committed("ns", 0, commits(1, 3))
			h.SignalAll()
		}, 1, 10, nil, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := hub.New()
			ch, cancel := h.Subscribe("ns")
			defer cancel()
			tt.feed(h)
			got, next, ok := h.Since("ns", tt.from, tt.limit, all, nil)
			if !slices.Equal(positions(got), tt.want) || next != tt.wantNext || ok != tt.wantOK {
				t.Fatalf("Since(%d, %d) = %v, %d, %v; want %v, %d, %v", tt.from, tt.limit, positions(got), next, ok, tt.want, tt.wantNext, tt.wantOK)
			}
			select {
			case <-ch:
			default:
				t.Fatal("the subscriber was not woken")
			}
		})
	}
}

func TestNoRingWithoutSubscribers(t *testing.T) {
	t.Parallel()
	h := hub.New()
	h.Committed("ns", 0, commits(1, 3))
	if _, _, ok := h.Since("ns", 1, 10, all, nil); ok {
		t.Fatal("a namespace nobody subscribes to keeps a ring")
	}
	_, cancel := h.Subscribe("ns")
	h.Committed("ns", 3, commits(4, 4))
	cancel()
	if _, _, ok := h.Since("ns", 4, 10, all, nil); ok {
		t.Fatal("the ring outlived the namespace's last subscriber")
	}
}

func TestEndedWatch(t *testing.T) {
	t.Parallel()
	h := hub.New()
	w := h.WatchEnded()
	h.SignalEnded("a")
	h.SignalEnded("b")
	<-w.Ready()
	if ids, all := w.Take(); !slices.Equal(ids, []string{"a", "b"}) || all {
		t.Fatalf("Take = %v, %v; want [a b], false", ids, all)
	}
	h.SignalAllEnded()
	<-w.Ready()
	if ids, all := w.Take(); ids != nil || !all {
		t.Fatalf("Take after SignalAllEnded = %v, %v; want nil, true", ids, all)
	}
	w.Close()
	h.SignalEnded("c")
	select {
	case <-w.Ready():
		t.Fatal("a closed watch was woken")
	default:
	}
}
