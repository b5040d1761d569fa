package hub

import (
	"sort"
	"sync"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

var (
	_ ports.CommitFeed    = (*Hub)(nil)
	_ ports.RecentCommits = (*Hub)(nil)
)

// ringSize is how many recent messages a namespace's feed keeps: enough for
// every subscriber that is keeping up; one further behind reads the store.
const ringSize = 16384

// ring is one namespace's recent commits: an unbroken run of messages in
// global order, from first to last. Unbroken means every commit appended
// followed the previous one (its "after" was the last global position the
// ring held), so no message between first and last is missing.
type ring struct {
	mu      sync.RWMutex
	entries []stream.Committed // circular; grows up to ringSize
	start   int                // index of the oldest entry
	n       int                // entries held
	valid   bool               // entries form the unbroken run
	last    int64              // global position of the newest entry
}

// Committed appends msgs to ns's ring, or starts it again with them when
// they do not follow what it holds, then wakes ns's subscribers.
func (h *Hub) Committed(ns string, after int64, msgs []stream.Committed) {
	if len(msgs) == 0 {
		return
	}
	if h.Subscribers(ns) == 0 {
		// Nobody listens here: keep no ring. A subscriber reads the store
		// first, and the ring starts again with the next commit.
		h.dropRing(ns)
		return
	}
	r := h.ring(ns)
	r.mu.Lock()
	if !r.valid || after != r.last {
		r.start, r.n, r.valid = 0, 0, true
	}
	for _, m := range msgs {
		r.push(m)
	}
	r.last = msgs[len(msgs)-1].GlobalPosition
	r.mu.Unlock()
	h.Signal(ns)
}

// Unsure empties ns's ring until the next commit and wakes its subscribers,
// which then read the store.
func (h *Hub) Unsure(ns string) {
	r := h.ring(ns)
	r.mu.Lock()
	r.valid, r.n, r.start = false, 0, 0
	r.mu.Unlock()
	h.Signal(ns)
}

// unsureAll does Unsure for every namespace, after notifications may have
// been lost.
func (h *Hub) unsureAll() {
	h.ringsMu.Lock()
	rings := make([]*ring, 0, len(h.rings))
	for _, r := range h.rings {
		rings = append(rings, r)
	}
	h.ringsMu.Unlock()
	for _, r := range rings {
		r.mu.Lock()
		r.valid, r.n, r.start = false, 0, 0
		r.mu.Unlock()
	}
}

// Since reads matching messages from ns's ring (see ports.RecentCommits).
func (h *Hub) Since(ns string, from int64, limit int, match func(*stream.Committed) bool, dst []stream.Committed) ([]stream.Committed, int64, bool) {
	h.ringsMu.Lock()
	r := h.rings[ns]
	h.ringsMu.Unlock()
	if r == nil {
		return dst, from, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if !r.valid || r.n == 0 || from < r.at(0).GlobalPosition {
		return dst, from, false
	}
	// Global positions grow along the ring: search the first at or after from.
	i := sort.Search(r.n, func(i int) bool { return r.at(i).GlobalPosition >= from })
	for ; i < r.n; i++ {
		m := r.at(i)
		if !match(m) {
			continue
		}
		if len(dst) == limit {
			return dst, m.GlobalPosition, true
		}
		dst = append(dst, *m)
	}
	return dst, max(from, r.last+1), true
}

// ring returns ns's ring, making it on first use.
func (h *Hub) ring(ns string) *ring {
	h.ringsMu.Lock()
	defer h.ringsMu.Unlock()
	r := h.rings[ns]
	if r == nil {
		if h.rings == nil {
			h.rings = map[string]*ring{}
		}
		r = &ring{}
		h.rings[ns] = r
	}
	return r
}

// dropRing forgets ns's ring once it has no subscribers left.
func (h *Hub) dropRing(ns string) {
	h.ringsMu.Lock()
	delete(h.rings, ns)
	h.ringsMu.Unlock()
}

// push adds m as the newest entry, dropping the oldest when full.
func (r *ring) push(m stream.Committed) {
	if r.n == len(r.entries) {
		if len(r.entries) == ringSize {
			r.entries[r.start] = m
			r.start = (r.start + 1) % ringSize
			return
		}
		r.grow()
	}
	r.entries[(r.start+r.n)%len(r.entries)] = m
	r.n++
}

// grow doubles the ring's room, up to ringSize, keeping its order.
func (r *ring) grow() {
	e := make([]stream.Committed, min(ringSize, max(64, 2*len(r.entries))))
	for i := 0; i < r.n; i++ {
		e[i] = *r.at(i)
	}
	r.entries, r.start = e, 0
}

// at is the i-th oldest entry.
func (r *ring) at(i int) *stream.Committed {
	return &r.entries[(r.start+i)%len(r.entries)]
}
