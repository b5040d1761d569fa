package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"
)

// errServerEnded is a subscription answer that ended: the server restarted,
// drained, or a proxy cut it.
var errServerEnded = errors.New("the server ended the subscription's connection")

// sseConn is one open GET /subscribe answer.
type sseConn struct {
	resp   *http.Response
	cancel context.CancelFunc // aborts the request; the idle timer calls it
	idle   *time.Timer
	opened time.Time
}

func (c *sseConn) close() {
	c.idle.Stop()
	c.cancel()
	_ = c.resp.Body.Close()
}

// connect opens one connection, resuming after the last poke delivered.
func (s *Subscription) connect(ctx context.Context) (*sseConn, error) {
	connCtx, cancel := context.WithCancel(ctx)
	req, err := http.NewRequestWithContext(connCtx, http.MethodGet, s.url, nil)
	if err != nil {
		cancel()
		return nil, err
	}
	s.c.setHeaders(req.Header, "")
	req.Header.Set("Accept", "text/event-stream")
	if s.last > 0 {
		// The server resumes after it; the header wins over position.
		req.Header.Set("Last-Event-ID", strconv.FormatInt(s.last, 10))
	}
	resp, err := s.c.http.Do(req)
	if err != nil {
		cancel()
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		e := readError(resp)
		_ = resp.Body.Close()
		cancel()
		return nil, e
	}
	return &sseConn{resp: resp, cancel: cancel, idle: time.AfterFunc(s.idle, cancel), opened: time.Now()}, nil
}

// run delivers pokes, reconnecting after every drop, until the
// subscription ends.
func (s *Subscription) run(ctx context.Context, conn *sseConn) {
	var err error
	defer func() {
		switch {
		case s.closed.Load():
			s.err = nil
		case ctx.Err() != nil:
			s.err = ctx.Err()
		default:
			s.err = opError("subscribe", err)
		}
		close(s.pokes)
		close(s.done)
	}()
	policy := s.c.retry.reconnectPolicy()
	failures := 0
	for {
		var delivered bool
		delivered, err = s.consume(ctx, conn)
		conn.close()
		if delivered || time.Since(conn.opened) > policy.MaxBackoff {
			// The connection worked: start over with short waits. One that
			// keeps failing at once gets ever longer ones.
			failures = 0
		}
		for {
			if ctx.Err() != nil || permanent(err) {
				return
			}
			if s.hook != nil {
				s.hook(err)
			}
			failures++
			if sleep(ctx, policy.backoff(failures)) != nil {
				return
			}
			if conn, err = s.connect(ctx); err == nil {
				break
			}
		}
	}
}

// consume reads one connection's events until it ends, delivering pokes it
// has not delivered before. delivered says whether it delivered any.
func (s *Subscription) consume(ctx context.Context, conn *sseConn) (delivered bool, err error) {
	r := newSSEReader(conn.resp.Body, func() { conn.idle.Reset(s.idle) })
	for {
		ev, err := r.next()
		switch {
		case ctx.Err() != nil:
			return delivered, ctx.Err()
		case errors.Is(err, io.EOF):
			return delivered, errServerEnded
		case err != nil && errors.Is(err, context.Canceled):
			return delivered, fmt.Errorf("no event or heartbeat for %s: %w", s.idle, err)
		case err != nil:
			return delivered, err
		}
		switch ev.name {
		case "poke":
			var p Poke
			if err := json.Unmarshal(ev.data, &p); err != nil {
				return delivered, &protocolError{err: fmt.Errorf("poke %q: %w", ev.data, err)}
			}
			if p.GlobalPosition <= s.last {
				continue // already delivered before a reconnection
			}
			select {
			case s.pokes <- p:
				s.last, delivered = p.GlobalPosition, true
			case <-ctx.Done():
				return delivered, ctx.Err()
			}
		case "error":
			// The server ends the subscription after a failed read.
			var e Error
			if err := json.Unmarshal(ev.data, &e); err != nil || e.Code == "" {
				return delivered, &protocolError{err: fmt.Errorf("error event %q", ev.data)}
			}
			e.Status = statusOf(e.Code)
			return delivered, &e
		}
	}
}

// reconnectPolicy is p's backoff for reconnections, which go on as long as
// the subscription lives: a client without retries still reconnects, with
// the default waits.
func (p RetryPolicy) reconnectPolicy() RetryPolicy {
	def := DefaultRetryPolicy()
	if p.MinBackoff <= 0 {
		p.MinBackoff = def.MinBackoff
	}
	if p.MaxBackoff < p.MinBackoff {
		p.MaxBackoff = max(def.MaxBackoff, p.MinBackoff)
	}
	return p
}
