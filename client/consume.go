package client

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ConsumeOptions are the options of Consume; nil means the defaults.
type ConsumeOptions struct {
	// TTL is the lease's time to live (see JoinOptions); default 30 s. The
	// lease is renewed between messages, so one message must take a
	// handler well under a third of it.
	TTL time.Duration
	// BatchSize is the most messages fetched at once; default 100.
	BatchSize int
	// IdleWait is how long a consumer that has caught up waits for a poke
	// before it fetches again (which renews its lease); default 1 s, and at
	// most a third of TTL.
	IdleWait time.Duration
	// RetryWait is the wait after a handler's error, a failed request, or a
	// join that found every member held, before trying again; default 1 s.
	RetryWait time.Duration
	// NoPokes turns off the subscription that wakes a consumer that has
	// caught up as soon as a message of its share is written; it then
	// fetches every IdleWait.
	NoPokes bool
	// OnError, when set, is told of every failure Consume carries on after:
	// a handler's error, a failed request, a lost lease (matching
	// ErrLeaseExpired). It runs on Consume's goroutine: keep it short.
	OnError func(error)
	// OnJoin, when set, is told of every member leased.
	OnJoin func(GroupLease)
}

// Defaults of ConsumeOptions.
const (
	defaultConsumeTTL  = 30 * time.Second
	defaultConsumeWait = time.Second
	// finalAck bounds the ack of what was handled when Consume stops.
	finalAck = 10 * time.Second
)

// Consume runs a worker of durable consumer group name (create it first,
// e.g. with CreateGroup at every start) until ctx ends or the server refuses
// something a repeat would not change (ErrGroupNotFound, a bad token or
// option), and returns why. It leases a free member with JoinGroup (waiting
// while every member is held), fetches the member's next batch, calls
// handle with each message in order, and acks the batch's last message,
// which renews the lease; a long batch also acks its progress every third
// of TTL. When caught up, it waits for a poke of the member's share (or
// IdleWait) and fetches again. A lost lease (ErrLeaseExpired) makes it join
// again and resume from the checkpoint, as a new process would after a
// crash: every message is handled at least once, and one handled but not
// acked is handled again. A handler's error is told to OnError; what was
// handled before it is acked, and the failed message is fetched again after
// RetryWait. When ctx ends, the message in hand is finished (handle's ctx
// ends too) and what was handled is acked before Consume returns. The lease
// is not given back (the protocol has no way to): the member goes to the
// next join once it expires, TTL after its last renewal.
func (c *Client) Consume(ctx context.Context, name string, handle func(ctx context.Context, m Message) error, opts *ConsumeOptions) error {
	k := &consumer{c: c, name: name, handle: handle, wake: make(chan struct{}, 1)}
	if opts != nil {
		k.ConsumeOptions = *opts
	}
	k.defaults()
	defer k.drop()
	for ctx.Err() == nil {
		if k.lease == nil {
			err := k.join(ctx)
			switch {
			case err == nil || ctx.Err() != nil:
			case errors.Is(err, ErrGroupFull):
				_ = sleep(ctx, k.RetryWait)
			case permanent(err):
				return err
			default:
				k.report(err)
				_ = sleep(ctx, k.RetryWait)
			}
			continue
		}
		renewed := time.Now()
		msgs, err := c.FetchGroup(ctx, name, GroupFetchOptions{Lease: k.lease.Lease, BatchSize: k.BatchSize})
		switch {
		case ctx.Err() != nil:
		case errors.Is(err, ErrLeaseExpired):
			k.report(err)
			k.drop()
		case err != nil && permanent(err):
			return err
		case err != nil:
			k.report(err)
			_ = sleep(ctx, k.RetryWait)
		case len(msgs) == 0:
			k.idle(ctx)
		default:
			k.batch(ctx, msgs, renewed)
		}
	}
	return opError("consume", ctx.Err())
}

// consumer is the state of one Consume.
type consumer struct {
	ConsumeOptions
	c      *Client
	name   string
	handle func(context.Context, Message) error
	lease  *GroupLease   // nil: none held
	sub    *Subscription // the lease's member's pokes; nil: none yet
	wake   chan struct{} // a poke arrived (capacity 1)
}

func (k *consumer) defaults() {
	if k.TTL <= 0 {
		k.TTL = defaultConsumeTTL
	}
	if k.IdleWait <= 0 {
		k.IdleWait = defaultConsumeWait
	}
	k.IdleWait = min(k.IdleWait, k.TTL/3)
	if k.RetryWait <= 0 {
		k.RetryWait = defaultConsumeWait
	}
}

func (k *consumer) report(err error) {
	if k.OnError != nil {
		k.OnError(err)
	}
}

// join leases a member.
func (k *consumer) join(ctx context.Context) error {
	l, err := k.c.JoinGroup(ctx, k.name, &JoinOptions{TTL: k.TTL})
	if err != nil {
		return err
	}
	k.lease = l
	if k.OnJoin != nil {
		k.OnJoin(*l)
	}
	return nil
}

// drop forgets the lease and stops its member's pokes.
func (k *consumer) drop() {
	k.lease = nil
	if k.sub != nil {
		_ = k.sub.Close()
		k.sub = nil
	}
}

// idle waits for a poke, IdleWait or the end of ctx. The first time a
// member has caught up it subscribes to its share: from the checkpoint,
// which is where it caught up, so the subscription has no backlog to poke
// and misses nothing written since the fetch.
func (k *consumer) idle(ctx context.Context) {
	if k.sub == nil && !k.NoPokes {
		sub, err := k.c.Subscribe(ctx, SubscribeOptions{Group: k.name, Member: k.lease.Member, Buffer: 1})
		if err != nil {
			if ctx.Err() == nil {
				k.report(err) // fetch every IdleWait instead
			}
		} else {
			k.sub = sub
			go func() {
				for range sub.Pokes() {
					select {
					case k.wake <- struct{}{}:
					default:
					}
				}
			}()
		}
	}
	t := time.NewTimer(k.IdleWait)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-k.wake:
	case <-t.C:
	}
}

// batch hands msgs to the handler and acks its progress: every third of
// the TTL since renewed (when the lease was last renewed), and at the end.
func (k *consumer) batch(ctx context.Context, msgs []Message, renewed time.Time) {
	var handled int64
	pending, failed := false, false
	for _, m := range msgs {
		if ctx.Err() != nil {
			break
		}
		if err := k.handle(ctx, m); err != nil {
			if ctx.Err() == nil {
				k.report(fmt.Errorf("eventodb: consume %s: the handler failed on message %d of %s: %w", k.name, m.GlobalPosition, m.Stream, err))
				failed = true
			}
			break
		}
		handled, pending = m.GlobalPosition, true
		if time.Since(renewed) >= k.TTL/3 {
			renewed = time.Now()
			if !k.ack(ctx, handled) {
				return
			}
			pending = false
		}
	}
	if pending && !k.ack(ctx, handled) {
		return
	}
	if failed {
		_ = sleep(ctx, k.RetryWait)
	}
}

// ack moves the checkpoint to gpos, also after ctx has ended (within
// finalAck), and reports whether it did; a lost lease is dropped.
func (k *consumer) ack(ctx context.Context, gpos int64) bool {
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), finalAck)
	defer cancel()
	_, err := k.c.AckGroup(actx, k.name, GroupAckOptions{Lease: k.lease.Lease, GlobalPosition: gpos})
	if err != nil {
		k.report(err)
		if errors.Is(err, ErrLeaseExpired) {
			k.drop()
		}
		return false
	}
	return true
}
