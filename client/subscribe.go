package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// SubscribeOptions say what a subscription follows: exactly one of Stream,
// Category, All and Group.
type SubscribeOptions struct {
	// Stream follows one stream.
	Stream string
	// Category follows every stream of a category.
	Category string
	// All follows the whole namespace.
	All bool
	// Position is where to start, inclusive: a stream position for Stream,
	// a global position otherwise; default 0, the beginning. Every message
	// from there on is poked (the backlog), then every new one.
	Position int64
	// ConsumerGroup, with Category, follows one member's share.
	ConsumerGroup *ConsumerGroup
	// Group follows one member's share of a durable consumer group (see
	// CreateGroup), from the member's checkpoint on: the group says the
	// category, the share and where to start, so Stream, Category, All,
	// Position and ConsumerGroup must be left out. Pokes do not move the
	// checkpoint: fetch and ack as you go.
	Group string
	// Member is the group member followed, 0 to Size-1; ignored when Lease
	// is set.
	Member int64
	// Lease, with Group, follows the member that this lease from JoinGroup
	// holds, and renews it once, when the subscription (or a reconnection)
	// starts: an expired lease ends the subscription with ErrLeaseExpired.
	Lease string
	// Buffer is the capacity of the Pokes channel; 0 (or less) means 64.
	// A consumer that falls behind slows the subscription down; nothing is
	// lost.
	Buffer int
	// IdleTimeout is how long a connection may stay silent before it is
	// taken for dead and replaced: the server sends a heartbeat every 15 s.
	// Default 45 s.
	IdleTimeout time.Duration
	// OnReconnect, when set, is called before each attempt to reconnect,
	// with why the previous connection or attempt failed (for logs). It
	// runs on the subscription's goroutine: keep it short.
	OnReconnect func(err error)
}

// Poke tells that a message was written: read it with Read or ReadCategory.
type Poke struct {
	// Stream is the stream written to.
	Stream string `json:"stream"`
	// Position is the message's position in it.
	Position int64 `json:"position"`
	// GlobalPosition is the message's global position; pokes come in its
	// order.
	GlobalPosition int64 `json:"globalPosition"`
}

// Subscription delivers pokes on a channel until it is closed, its context
// ends, or the server refuses to take it back after a disconnection.
// Dropped connections are reopened with growing waits, resuming after the
// last poke delivered (Last-Event-ID), so no poke is lost or repeated.
type Subscription struct {
	c      *Client
	url    string
	idle   time.Duration
	hook   func(error)
	pokes  chan Poke
	done   chan struct{}
	cancel context.CancelFunc
	closed atomic.Bool
	last   int64 // global position of the last poke delivered
	err    error // why it ended; written before done closes
}

// Subscribe opens a subscription (GET /subscribe, PROTOCOL.md §3). The
// first connection is made before it returns, so refused options or tokens
// are returned here; it is retried like a read. Close the subscription, or
// end ctx, to release it.
func (c *Client) Subscribe(ctx context.Context, opts SubscribeOptions) (*Subscription, error) {
	if err := opts.check(); err != nil {
		return nil, opError("subscribe", err)
	}
	buffer, idle := opts.Buffer, opts.IdleTimeout
	if buffer <= 0 {
		buffer = 64
	}
	if idle <= 0 {
		idle = 45 * time.Second
	}
	ctx, cancel := context.WithCancel(ctx)
	s := &Subscription{
		c: c, url: c.base + "/subscribe?" + subscribeQuery(opts).Encode(), idle: idle, hook: opts.OnReconnect,
		pokes: make(chan Poke, buffer), done: make(chan struct{}), cancel: cancel,
	}
	var first *sseConn
	for attempt := 1; ; attempt++ {
		conn, err := s.connect(ctx)
		if err == nil {
			first = conn
			break
		}
		wait, again := c.retry.retryWait(ctx, attempt, true, err)
		if !again || sleep(ctx, wait) != nil {
			cancel()
			return nil, opError("subscribe", err)
		}
	}
	go s.run(ctx, first)
	return s, nil
}

// check refuses group options mixed with others, which the server would
// refuse too; other mistakes are left to the server to explain.
func (o SubscribeOptions) check() error {
	switch {
	case o.Group == "" && (o.Member != 0 || o.Lease != ""):
		return &usageError{"Member and Lease are options of a Group subscription"}
	case o.Group != "" && (o.Stream != "" || o.Category != "" || o.All || o.Position != 0 || o.ConsumerGroup != nil):
		return &usageError{"Group cannot be combined with Stream, Category, All, Position or ConsumerGroup: the group names the category, the share and where to start"}
	}
	return nil
}

func subscribeQuery(o SubscribeOptions) url.Values {
	// Everything given is sent: the server explains what does not go
	// together (check has refused what contradicts a group).
	q := url.Values{}
	if o.Group != "" {
		q.Set("group", o.Group)
		if o.Lease != "" {
			q.Set("lease", o.Lease)
		} else {
			q.Set("member", strconv.FormatInt(o.Member, 10))
		}
		return q
	}
	if o.Stream != "" {
		q.Set("stream", o.Stream)
	}
	if o.Category != "" {
		q.Set("category", o.Category)
	}
	if o.All {
		q.Set("all", "true")
	}
	if o.Position != 0 {
		q.Set("position", strconv.FormatInt(o.Position, 10))
	}
	if g := o.ConsumerGroup; g != nil {
		q.Set("consumer", strconv.FormatInt(g.Member, 10))
		q.Set("size", strconv.FormatInt(g.Size, 10))
	}
	return q
}

// Pokes returns the channel of pokes, in ascending global position. It is
// closed when the subscription ends; Err then says why.
func (s *Subscription) Pokes() <-chan Poke { return s.pokes }

// Done is closed when the subscription has ended.
func (s *Subscription) Done() <-chan struct{} { return s.done }

// Err returns why the subscription ended, once it has: nil after Close, the
// context's error when its context ended, or the error that stopped
// reconnecting (an *Error, e.g. ErrAuthInvalid after the namespace was
// deleted). Before the end it returns nil.
func (s *Subscription) Err() error {
	select {
	case <-s.done:
		return s.err
	default:
		return nil
	}
}

// Close ends the subscription and waits until its connection is released.
// It always returns nil.
func (s *Subscription) Close() error {
	s.closed.Store(true)
	s.cancel()
	<-s.done
	return nil
}

// permanent reports whether err ends a subscription instead of a
// reconnection: a refusal that a repeat would meet again.
func permanent(err error) bool {
	var e *Error
	var bad *protocolError
	switch {
	case errors.As(err, &bad):
		return true
	case errors.As(err, &e):
		return e.Status >= 400 && e.Status < 500 && e.Status != http.StatusTooManyRequests && e.Status != http.StatusRequestTimeout
	}
	return false
}
