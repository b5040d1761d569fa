package pgnotify

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"
)

// notifySQL announces every payload of $2 on channel $1 in one statement.
const notifySQL = "SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p"

// publish sends queued namespaces to the other nodes until ctx ends or Stop
// is called (then it makes one last attempt). A failed send keeps them queued
// and is retried after a backoff on a new connection.
func (n *Notifier) publish(ctx context.Context) {
	var conn *pgx.Conn
	defer func() { n.closeConn(conn) }()
	b := backoff{min: n.cfg.MinBackoff, max: n.cfg.MaxBackoff}
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.stop:
			_ = n.flush(ctx, &conn)
			return
		case <-n.wake:
		}
		for {
			err := n.flush(ctx, &conn)
			if err == nil {
				b.reset()
				break
			}
			n.log.Warn("publishing notifications failed; retrying", zap.Error(err))
			select {
			case <-ctx.Done():
				return
			case <-n.stop:
				return
			case <-time.After(b.next()):
			}
		}
	}
}

// flush sends every queued namespace in one statement, connecting first if
// needed. On failure the namespaces are queued again and the connection is
// dropped.
func (n *Notifier) flush(ctx context.Context, conn **pgx.Conn) error {
	batch := n.take()
	if len(batch) == 0 {
		return nil
	}
	if *conn == nil {
		c, err := n.connect(ctx)
		if err != nil {
			n.requeue(batch)
			return err
		}
		*conn = c
	}
	payloads := make([]string, len(batch))
	for i, ns := range batch {
		payloads[i] = n.payload(ns)
	}
	if _, err := (*conn).Exec(ctx, notifySQL, n.cfg.Channel, payloads); err != nil {
		n.requeue(batch)
		n.closeConn(*conn)
		*conn = nil
		return err
	}
	return nil
}

// take empties the queue.
func (n *Notifier) take() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	batch := make([]string, 0, len(n.pending))
	for ns := range n.pending {
		batch = append(batch, ns)
	}
	clear(n.pending)
	return batch
}

func (n *Notifier) requeue(batch []string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, ns := range batch {
		n.pending[ns] = struct{}{}
	}
}
