// Package local is the in-process ports.Notifier (and ports.NamespaceEvents)
// of a single server node: a write signals every subscriber of its namespace
// in this process, a deleted namespace every watcher. Signals
// carry nothing and coalesce (each subscriber has a one-slot channel that a
// signal fills unless it is full), so a burst of writes wakes a subscriber
// once and a slow subscriber never blocks a writer; subscribers re-read the
// store when woken. The PostgreSQL notifier uses it for its local fan-out.
package local

import (
	"context"
	"sync"

	"github.com/eventodb/eventodb/ports"
)

var _ ports.Notifier = (*Notifier)(nil)

// Notifier fans signals out to the subscribers of each namespace. It is safe
// for concurrent use; the zero value is not usable, use New.
type Notifier struct {
	mu   sync.Mutex
	subs map[string]map[chan struct{}]struct{} // namespace -> subscriber channels

	ended endedHub // watchers of namespace ends (ended.go)

	ringsMu sync.Mutex
	rings   map[string]*ring // recent commits of namespaces with subscribers (feed.go)
}

// New returns a notifier without subscribers.
func New() *Notifier {
	return &Notifier{subs: map[string]map[chan struct{}]struct{}{}}
}

// Publish signals every subscriber of ns. It never blocks and never fails.
func (n *Notifier) Publish(_ context.Context, ns string, _ int64) error {
	n.Signal(ns)
	return nil
}

// Signal wakes every subscriber of ns whose channel is not already full.
func (n *Notifier) Signal(ns string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for ch := range n.subs[ns] {
		wake(ch)
	}
}

// SignalAll wakes every subscriber of every namespace, for when notifications
// may have been missed (a shared bus reconnected): the recent commits it
// holds no longer vouch for everything, so subscribers read the store.
func (n *Notifier) SignalAll() {
	n.unsureAll()
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, subs := range n.subs {
		for ch := range subs {
			wake(ch)
		}
	}
}

// Subscribe returns a channel that receives a value after ns's next commits
// (several may yield one value) and a function that ends the subscription.
// After cancel the channel receives nothing more; it is not closed. cancel
// may be called more than once.
func (n *Notifier) Subscribe(ns string) (<-chan struct{}, func()) {
	ch := make(chan struct{}, 1)
	n.mu.Lock()
	if n.subs[ns] == nil {
		n.subs[ns] = map[chan struct{}]struct{}{}
	}
	n.subs[ns][ch] = struct{}{}
	n.mu.Unlock()
	var once sync.Once
	cancel := func() {
		once.Do(func() {
			n.mu.Lock()
			defer n.mu.Unlock()
			delete(n.subs[ns], ch)
			if len(n.subs[ns]) == 0 {
				delete(n.subs, ns)
				n.dropRing(ns)
			}
		})
	}
	return ch, cancel
}

// Subscribers is how many subscriptions ns has, for metrics.
func (n *Notifier) Subscribers(ns string) int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.subs[ns])
}

// wake fills ch's slot unless it is already full: signals coalesce.
func wake(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}
