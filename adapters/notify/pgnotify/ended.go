package pgnotify

import (
	"context"
	"time"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

var _ ports.NamespaceEvents = (*Notifier)(nil)

// endedMark starts the namespace of a payload that announces an end rather
// than new messages; namespace ids never start with it.
const endedMark = "!"

// publishEndedTimeout bounds how long PublishEnded waits to tell the others.
const publishEndedTimeout = 2 * time.Second

// PublishEnded signals this node's watchers at once and then tells the other
// nodes before it returns, on a connection of its own: a deleted namespace's
// old token must stop working on every node before the client that deleted
// it hears back. When that fails the announcement is queued like any other
// and the error is logged; the other nodes' token checks expire anyway.
func (n *Notifier) PublishEnded(ctx context.Context, ns string) error {
	n.hub.SignalEnded(ns)
	if !n.publishing() {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, publishEndedTimeout)
	defer cancel()
	conn, err := n.connect(ctx)
	if err == nil {
		_, err = conn.Exec(ctx, "SELECT pg_notify($1, $2)", n.cfg.Channel, n.payload(endedMark+ns))
		n.closeConn(conn)
	}
	if err != nil {
		n.log.Warn("announcing a deleted namespace failed; queued for the publisher", zap.String("namespace", ns), zap.Error(err))
		n.queue(endedMark + ns)
	}
	return nil
}

// WatchEnded returns a watch of namespaces deleted on any node; after the
// listener reconnects it reports that ends may have been missed.
func (n *Notifier) WatchEnded() ports.EndedWatch {
	return n.hub.WatchEnded()
}

var (
	_ ports.CommitFeed    = (*Notifier)(nil)
	_ ports.RecentCommits = (*Notifier)(nil)
)

// Committed feeds this node's subscribers from the commit itself and queues
// the namespace for the other nodes.
func (n *Notifier) Committed(ns string, after int64, msgs []stream.Committed) {
	n.hub.Committed(ns, after, msgs)
	n.queue(ns)
}

// Unsure makes this node's subscribers read the store, and tells the others.
func (n *Notifier) Unsure(ns string) {
	n.hub.Unsure(ns)
	n.queue(ns)
}

// Since reads this node's recent commits; another node's write, heard of
// through the bus, makes them unsure (deliver), so subscribers read the store.
func (n *Notifier) Since(ns string, from int64, limit int, match func(*stream.Committed) bool, dst []stream.Committed) ([]stream.Committed, int64, bool) {
	return n.hub.Since(ns, from, limit, match, dst)
}
