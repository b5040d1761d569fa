package hub

import (
	"sync"

	"github.com/eventodb/eventodb/ports"
)

// endedHub fans namespace ends out to watchers. Each watcher collects what it
// has not taken yet, so a slow watcher loses nothing and never blocks a
// publisher: past maxPending ids it only remembers to check everything.
type endedHub struct {
	mu       sync.Mutex
	watchers map[*endedWatch]struct{}
}

// maxPending bounds the ids a watcher keeps before it switches to "all".
const maxPending = 1024

// SignalEnded hands ns to every watcher.
func (h *Hub) SignalEnded(ns string) {
	h.ended.each(func(w *endedWatch) { w.add(ns, false) })
}

// SignalAllEnded tells every watcher that ends may have been missed.
func (h *Hub) SignalAllEnded() {
	h.ended.each(func(w *endedWatch) { w.add("", true) })
}

// WatchEnded returns a new watch of namespace ends.
func (h *Hub) WatchEnded() ports.EndedWatch {
	w := &endedWatch{ready: make(chan struct{}, 1), hub: &h.ended}
	h.ended.mu.Lock()
	if h.ended.watchers == nil {
		h.ended.watchers = map[*endedWatch]struct{}{}
	}
	h.ended.watchers[w] = struct{}{}
	h.ended.mu.Unlock()
	return w
}

func (h *endedHub) each(f func(*endedWatch)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for w := range h.watchers {
		f(w)
	}
}

// endedWatch is one watcher's collection.
type endedWatch struct {
	hub   *endedHub
	ready chan struct{}

	mu      sync.Mutex
	pending []string
	all     bool
}

func (w *endedWatch) add(ns string, all bool) {
	w.mu.Lock()
	switch {
	case all || w.all || len(w.pending) >= maxPending:
		w.all, w.pending = true, nil
	default:
		w.pending = append(w.pending, ns)
	}
	w.mu.Unlock()
	wake(w.ready)
}

func (w *endedWatch) Ready() <-chan struct{} { return w.ready }

func (w *endedWatch) Take() ([]string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids, all := w.pending, w.all
	w.pending, w.all = nil, false
	return ids, all
}

func (w *endedWatch) Close() {
	w.hub.mu.Lock()
	delete(w.hub.watchers, w)
	w.hub.mu.Unlock()
}
