package pgnotify

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"go.uber.org/zap"
)

// listen delivers notifications from conn until ctx ends, replacing conn when
// it breaks. After each reconnection every subscriber is signalled: what was
// published while the listener was away is found by re-reading the store.
func (n *Notifier) listen(ctx context.Context, conn *pgx.Conn) {
	for {
		err := n.receive(ctx, conn)
		n.closeConn(conn)
		if ctx.Err() != nil {
			return
		}
		n.log.Warn("listener connection lost; reconnecting", zap.Error(err))
		if conn = n.reconnect(ctx); conn == nil {
			return
		}
		n.log.Info("listener reconnected")
		n.hub.SignalAll()
		n.hub.SignalAllEnded()
		// A hello may have been missed meanwhile: publish from now on.
		if announce := n.heardPeer(""); announce != "" {
			_ = n.send(ctx, conn, announce)
		}
	}
}

// receive delivers notifications until conn fails or ctx ends. When none
// arrives for a ping interval it pings, so a silently dead connection is
// noticed.
func (n *Notifier) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		waitCtx, cancel := context.WithTimeout(ctx, n.cfg.PingInterval)
		note, err := conn.WaitForNotification(waitCtx)
		cancel()
		switch {
		case err == nil:
			if reply := n.deliver(note.Payload); reply != "" {
				if err := n.send(ctx, conn, reply); err != nil {
					return err
				}
			}
			continue
		case ctx.Err() != nil:
			return ctx.Err()
		case !pgconn.Timeout(err):
			return err
		}
		pingCtx, cancel := context.WithTimeout(ctx, n.cfg.ConnectTimeout)
		err = conn.Ping(pingCtx)
		cancel()
		if err != nil {
			return err
		}
	}
}

// reconnect opens a listening connection, pausing with backoff between
// attempts; it returns nil when ctx ends first.
func (n *Notifier) reconnect(ctx context.Context) *pgx.Conn {
	b := backoff{min: n.cfg.MinBackoff, max: n.cfg.MaxBackoff}
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(b.next()):
		}
		conn, err := n.listenConn(ctx)
		if err == nil {
			return conn
		}
		n.log.Warn("listener reconnect failed", zap.Error(err))
	}
}

// listenConn opens a connection, LISTENs on the channel and says hello.
func (n *Notifier) listenConn(ctx context.Context) (*pgx.Conn, error) {
	conn, err := n.connect(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{n.cfg.Channel}.Sanitize()); err != nil {
		n.closeConn(conn)
		return nil, err
	}
	if err := n.send(ctx, conn, helloMark); err != nil {
		n.closeConn(conn)
		return nil, err
	}
	return conn, nil
}

// send notifies the channel of mark (a control payload) from this node.
func (n *Notifier) send(ctx context.Context, conn *pgx.Conn, mark string) error {
	_, err := conn.Exec(ctx, "SELECT pg_notify($1, $2)", n.cfg.Channel, n.payload(mark))
	return err
}

func (n *Notifier) connect(ctx context.Context) (*pgx.Conn, error) {
	return pgx.ConnectConfig(ctx, n.connCfg.Copy())
}

// closeConn closes conn, waiting at most the connect timeout.
func (n *Notifier) closeConn(conn *pgx.Conn) {
	if conn == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), n.cfg.ConnectTimeout)
	defer cancel()
	_ = conn.Close(ctx)
}
