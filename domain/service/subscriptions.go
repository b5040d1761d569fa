package service

import (
	"context"
	"errors"
	"time"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Poke tells a subscriber that a message exists; it reads the message itself.
type Poke struct {
	Stream         string
	Position       int64
	GlobalPosition int64
}

// Selector is what a subscription follows, and from where: exactly one of
// Stream, Category (optionally one consumer-group member's share, optionally
// only messages correlated with another category) or All.
type Selector struct {
	Stream      string
	Category    string
	All         bool
	Group       *partition.Group
	Correlation string
	// Position is where to start, inclusive: a stream position for Stream, a
	// global position otherwise.
	Position int64
	// MinGlobal, for Stream, skips messages below this global position: a
	// subscription resumed by global position (Last-Event-ID).
	MinGlobal int64
}

// Output is where a subscription's pokes go. Each call delivers what it is
// given (a network write and flush); an error ends the subscription.
type Output interface {
	// Pokes delivers pokes, in order.
	Pokes(pokes []Poke) error
	// Idle is called when nothing was delivered for the heartbeat interval.
	Idle() error
}

// OutputError is an Output failure (the subscriber went away), as opposed to
// a failed read of the store.
type OutputError struct{ Err error }

func (e *OutputError) Error() string { return "subscriber: " + e.Err.Error() }
func (e *OutputError) Unwrap() error { return e.Err }

// Subscriptions follow streams, categories and namespaces for subscribers:
// first what the store holds, then what is committed. New commits come from
// the node's recent-commit feed when it can vouch for them (no store read
// per subscriber per write); otherwise, and after a notification from
// another node, the subscription reads the store again, positions only.
type Subscriptions struct {
	streams    *Streams
	categories *Categories
	all        ports.AllReader     // nil: no all=true, and no namespace head
	notifier   ports.Notifier      // wakes subscriptions after commits
	recent     ports.RecentCommits // nil: every wake-up reads the store
	opts       SubscriptionOptions
}

// SubscriptionOptions tune subscriptions.
type SubscriptionOptions struct {
	// Heartbeat is how long a subscription stays silent before Output.Idle
	// is called; default 15s.
	Heartbeat time.Duration
	// PageSize is the most messages one read returns while a subscription
	// catches up, and so the most pokes delivered at once; default 1000.
	PageSize int
}

// ErrNoAll refuses an all=true subscription on a store that cannot read a
// whole namespace in global order.
var ErrNoAll = errors.New("subscribing to a whole namespace is not supported by this storage backend")

// NewSubscriptions returns the subscription service. all and recent may be
// nil.
func NewSubscriptions(streams *Streams, categories *Categories, all ports.AllReader, notifier ports.Notifier,
	recent ports.RecentCommits, opts SubscriptionOptions) *Subscriptions {
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = 15 * time.Second
	}
	if opts.PageSize <= 0 {
		opts.PageSize = pageSize
	}
	return &Subscriptions{streams: streams, categories: categories, all: all, notifier: notifier, recent: recent, opts: opts}
}

// Check validates sel before a subscription starts.
func (s *Subscriptions) Check(sel Selector) error {
	switch {
	case sel.All && s.all == nil:
		return ErrNoAll
	case sel.Stream != "":
		return stream.ValidateName("stream", sel.Stream)
	case sel.Category != "":
		if sel.Group != nil {
			if err := sel.Group.Validate(); err != nil {
				return err
			}
		}
		return stream.ValidateName("category", sel.Category)
	case !sel.All:
		return stream.Invalid("query", "must name what to subscribe to")
	}
	return nil
}

// Follow pokes out with every message sel selects in namespace ns, from its
// position on, until ctx ends or a delivery or read fails. Delivery errors
// come back as *OutputError; other errors are failed reads.
func (s *Subscriptions) Follow(ctx context.Context, ns string, sel Selector, out Output) error {
	if err := s.Check(sel); err != nil {
		return err
	}
	// Subscribed before anything is read, so a commit that lands while the
	// backlog is read still wakes the subscription afterwards.
	signal, unsubscribe := s.notifier.Subscribe(ns)
	defer unsubscribe()
	f := &follower{s: s, ns: ns, sel: sel, out: out, pos: sel.Position, global: sel.Position}
	if sel.Stream != "" {
		f.global, f.minGlobal = 0, sel.MinGlobal
	}
	if err := f.catchUp(ctx); err != nil {
		return f.ended(ctx, err)
	}
	idle := time.NewTimer(s.opts.Heartbeat)
	defer idle.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-signal:
			delivered, err := f.next(ctx)
			if err != nil {
				return f.ended(ctx, err)
			}
			if delivered {
				idle.Reset(s.opts.Heartbeat)
			}
		case <-idle.C:
			if err := out.Idle(); err != nil {
				return &OutputError{Err: err}
			}
			idle.Reset(s.opts.Heartbeat)
		}
	}
}

// follower is one subscription's cursor.
type follower struct {
	s   *Subscriptions
	ns  string
	sel Selector
	out Output
	// global: every message below this global position was considered.
	// pos (streams): the next stream position to poke.
	global, pos, minGlobal int64
	pokes                  []Poke
	recent                 []stream.Committed
}

// ended says how a subscription ended: nothing went wrong when ctx ended.
func (f *follower) ended(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// next delivers what was committed since the cursor: from the recent-commit
// feed when it holds all of it, else from the store.
func (f *follower) next(ctx context.Context) (bool, error) {
	if delivered, ok, err := f.fromFeed(); ok || err != nil {
		return delivered, err
	}
	return f.catchUpDelivered(ctx)
}

func (f *follower) catchUpDelivered(ctx context.Context) (bool, error) {
	before := f.global
	beforePos := f.pos
	err := f.catchUp(ctx)
	return f.global != before || f.pos != beforePos, err
}

// fromFeed delivers from the node's recent commits. ok is false when the
// feed cannot vouch for everything since the cursor.
func (f *follower) fromFeed() (delivered, ok bool, err error) {
	if f.s.recent == nil || f.global == 0 {
		return false, false, nil
	}
	for {
		var next int64
		f.recent, next, ok = f.s.recent.Since(f.ns, f.global, f.s.opts.PageSize, f.matches, f.recent[:0])
		if !ok {
			return delivered, false, nil
		}
		f.pokes = f.pokes[:0]
		for _, m := range f.recent {
			if f.sel.Stream != "" {
				if m.Position < f.pos || m.GlobalPosition < f.minGlobal {
					continue
				}
				f.pos = m.Position + 1
			}
			f.pokes = append(f.pokes, Poke{Stream: m.Stream, Position: m.Position, GlobalPosition: m.GlobalPosition})
		}
		f.global = next
		if len(f.pokes) > 0 {
			if err := f.out.Pokes(f.pokes); err != nil {
				return delivered, true, &OutputError{Err: err}
			}
			delivered = true
		}
		if len(f.recent) < f.s.opts.PageSize {
			return delivered, true, nil
		}
	}
}

// matches says whether a recent commit belongs to the subscription.
func (f *follower) matches(m *stream.Committed) bool {
	switch {
	case f.sel.Stream != "":
		return m.Stream == f.sel.Stream
	case f.sel.Category != "":
		if m.Category != f.sel.Category || (f.sel.Correlation != "" && m.Correlation != f.sel.Correlation) {
			return false
		}
		return f.sel.Group == nil || partition.MemberOf(m.Hash, f.sel.Group.Size) == f.sel.Group.Member
	default:
		return true
	}
}

// catchUp reads from the store, a page at a time (positions only), until a
// page comes back short, and delivers each page. The namespace's head, read
// first, is where the cursor may move afterwards: every message up to it was
// visible to the reads.
func (f *follower) catchUp(ctx context.Context) error {
	head := int64(-1)
	if f.s.all != nil {
		h, err := f.s.all.LastGlobalPosition(ctx, f.ns)
		if err != nil {
			return err
		}
		head = h
	}
	for {
		n, err := f.page(ctx)
		if err != nil {
			return err
		}
		if n < f.s.opts.PageSize {
			break
		}
	}
	if head >= 0 && head+1 > f.global {
		f.global = head + 1
	}
	return nil
}

// page reads and delivers one page after the cursor and returns its size.
func (f *follower) page(ctx context.Context) (int, error) {
	batch := int64(f.s.opts.PageSize)
	f.pokes = f.pokes[:0]
	collect := func(m *stream.Message) error {
		f.pokes = append(f.pokes, Poke{Stream: m.Stream, Position: m.Position, GlobalPosition: m.GlobalPosition})
		return nil
	}
	var err error
	switch {
	case f.sel.Stream != "":
		err = f.streamPage(ctx, batch, collect)
	case f.sel.Category != "":
		read := CategoryRead{Category: f.sel.Category, GlobalPosition: f.global, BatchSize: &batch,
			Correlation: f.sel.Correlation, Group: f.sel.Group, PositionsOnly: true}
		err = f.s.categories.Scan(ctx, f.ns, read, collect)
	default:
		var msgs []stream.Message
		msgs, err = f.s.all.ReadAll(ctx, f.ns, ports.AllQuery{GlobalPosition: f.global, Limit: f.s.opts.PageSize, ReadShape: ports.ReadShape{PositionsOnly: true}})
		for i := range msgs {
			_ = collect(&msgs[i])
		}
	}
	if err != nil {
		return 0, err
	}
	if len(f.pokes) == 0 {
		return 0, nil
	}
	last := f.pokes[len(f.pokes)-1]
	if f.sel.Stream != "" {
		f.pos = last.Position + 1
		f.minGlobal = 0 // global positions grow with stream positions: the rest all pass
	} else {
		f.global = last.GlobalPosition + 1
	}
	if err := f.out.Pokes(f.pokes); err != nil {
		return 0, &OutputError{Err: err}
	}
	return len(f.pokes), nil
}

// streamPage reads the stream after its cursor. Resuming by global position
// (Last-Event-ID), the filter skips the stream's older messages; the version
// read first lets the cursor move past them once, instead of rescanning them
// on every wake-up.
func (f *follower) streamPage(ctx context.Context, batch int64, collect func(*stream.Message) error) error {
	version := stream.NoStream
	if f.minGlobal > 0 {
		v, err := f.s.streams.Version(ctx, f.ns, f.sel.Stream)
		if err != nil {
			return err
		}
		version = v
	}
	read := StreamRead{Stream: f.sel.Stream, Position: f.pos, GlobalPosition: f.minGlobal, BatchSize: &batch, PositionsOnly: true}
	before := len(f.pokes)
	if err := f.s.streams.Scan(ctx, f.ns, read, collect); err != nil {
		return err
	}
	if len(f.pokes) == before && version >= f.pos {
		f.pos = version + 1 // an empty page: everything up to version is below the filter
	}
	return nil
}
