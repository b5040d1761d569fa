package pgnotify

import (
	"context"
	"time"

	"go.uber.org/zap"

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
