// Package local is the in-process ports.Notifier (and ports.NamespaceEvents)
// of a single server node: a write signals every subscriber of its namespace
// in this process, a deleted namespace every watcher. The fan-out itself,
// coalescing signals and the ring of recent commits, is the shared hub
// (notify/hub), which the PostgreSQL notifier builds on too.
package local

import (
	"context"

	"github.com/eventodb/eventodb/adapters/notify/hub"
	"github.com/eventodb/eventodb/ports"
)

var (
	_ ports.Notifier        = (*Notifier)(nil)
	_ ports.NamespaceEvents = (*Notifier)(nil)
	_ ports.CommitFeed      = (*Notifier)(nil)
	_ ports.RecentCommits   = (*Notifier)(nil)
)

// Notifier is a hub.Hub that publishes to itself: its Signal, Subscribe,
// Subscribers, Committed, Since and WatchEnded are the hub's. It is safe for
// concurrent use; the zero value is not usable, use New.
type Notifier struct {
	*hub.Hub
}

// New returns a notifier without subscribers.
func New() *Notifier {
	return &Notifier{Hub: hub.New()}
}

// Publish signals every subscriber of ns. It never blocks and never fails.
func (n *Notifier) Publish(_ context.Context, ns string, _ int64) error {
	n.Signal(ns)
	return nil
}

// PublishEnded tells this process's watchers that ns ended.
func (n *Notifier) PublishEnded(_ context.Context, ns string) error {
	n.SignalEnded(ns)
	return nil
}
