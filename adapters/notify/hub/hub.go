// Package hub is the in-process fan-out both notifiers build on: the
// subscribers of each namespace, the watchers of namespace ends and the ring
// of recent commits that lets a subscriber that keeps up skip the store. The
// in-process notifier (notify/local) is a Hub answering Publish; the
// PostgreSQL one (notify/pgnotify) feeds a Hub from this node's writes and
// from the other nodes' notifications. It is its own package so that neither
// notifier imports the other.
//
// Signals carry nothing and coalesce (each subscriber has a one-slot channel
// that a signal fills unless it is full), so a burst of writes wakes a
// subscriber once and a slow subscriber never blocks a writer; subscribers
// re-read the store (or the ring) when woken.
package hub

import "sync"

// Hub fans signals out to the subscribers of each namespace. It is safe for
// concurrent use; the zero value is not usable, use New.
type Hub struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{} // namespace -> subscriber channels

	ended endedHub // watchers of namespace ends (ended.go)

	ringsMu sync.Mutex
	rings   map[string]*ring // recent commits of namespaces with subscribers (feed.go)
}

// New returns a hub without subscribers.
func New() *Hub {
	return &Hub{subs: map[string]map[chan struct{}]struct{}{}}
}

// Signal wakes every subscriber of ns whose channel is not already full.
func (h *Hub) Signal(ns string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs[ns] {
		wake(ch)
	}
}

// SignalAll wakes every subscriber of every namespace, for when notifications
// may have been missed (a shared bus reconnected): the recent commits it
// holds no longer vouch for everything, so subscribers read the store.
func (h *Hub) SignalAll() {
	h.unsureAll()
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, subs := range h.subs {
		for ch := range subs {
			wake(ch)
		}
	}
}

// Subscribe returns a channel that receives a value after ns's next commits
// (several may yield one value) and a function that ends the subscription.
// After cancel the channel receives nothing more; it is not closed. cancel
// may be called more than once.
func (h *Hub) Subscribe(ns string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	if h.subs[ns] == nil {
		h.subs[ns] = map[chan struct{}]struct{}{}
	}
	h.subs[ns][ch] = struct{}{}
	h.mu.Unlock()
	var once sync.Once
	cancel := func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			delete(h.subs[ns], ch)
			if len(h.subs[ns]) == 0 {
				delete(h.subs, ns)
				h.dropRing(ns)
			}
		})
	}
	return ch, cancel
}

// Subscribers is how many subscriptions ns has, for metrics.
func (h *Hub) Subscribers(ns string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.subs[ns])
}

// wake fills ch's slot unless it is already full: signals coalesce.
func wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
