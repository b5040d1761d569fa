package client_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/eventodb/eventodb/client"
)

// handled records what Consume handlers were given, by worker.
type handled struct {
	mu     sync.Mutex
	by     map[int][]client.Message
	order  []int64 // global positions in the order handled, all workers
	errs   []error
	joined []client.GroupLease
	more   chan struct{} // a message was handled (capacity 1)
}

func newHandled() *handled {
	return &handled{by: map[int][]client.Message{}, more: make(chan struct{}, 1)}
}

func (h *handled) add(worker int, m client.Message) {
	h.mu.Lock()
	h.by[worker] = append(h.by[worker], m)
	h.order = append(h.order, m.GlobalPosition)
	h.mu.Unlock()
	select {
	case h.more <- struct{}{}:
	default:
	}
}

func (h *handled) positions() []int64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.order)
}

func (h *handled) reported() []error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.errs)
}

func (h *handled) joins() []client.GroupLease {
	h.mu.Lock()
	defer h.mu.Unlock()
	return slices.Clone(h.joined)
}

// options returns opts with OnError and OnJoin recording into h.
func (h *handled) options(opts client.ConsumeOptions) *client.ConsumeOptions {
	opts.OnError = func(err error) {
		h.mu.Lock()
		h.errs = append(h.errs, err)
		h.mu.Unlock()
	}
	opts.OnJoin = func(l client.GroupLease) {
		h.mu.Lock()
		h.joined = append(h.joined, l)
		h.mu.Unlock()
	}
	return &opts
}

// waitFor waits until h has handled n messages in all, failing after limit.
func (h *handled) waitFor(t *testing.T, n int, limit time.Duration) {
	t.Helper()
	deadline := time.After(limit)
	for len(h.positions()) < n {
		select {
		case <-h.more:
		case <-deadline:
			t.Fatalf("%d of %d messages handled after %s: %v", len(h.positions()), n, limit, h.positions())
		}
	}
}

// consume runs Consume in a goroutine and returns what it returns.
func consume(c *client.Client, ctx context.Context, name string, handle func(context.Context, client.Message) error, opts *client.ConsumeOptions) <-chan error {
	done := make(chan error, 1)
	go func() { done <- c.Consume(ctx, name, handle, opts) }()
	return done
}

// ended waits for a Consume to return, failing after limit.
func ended(t *testing.T, done <-chan error, limit time.Duration) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		t.Fatalf("Consume did not return within %s", limit)
		return nil
	}
}

// Three workers consume a group of two members: two lease the members, the
// third waits for a free one. Each message is handled once, each stream by
// one worker in order; new messages wake the workers at once (the idle wait
// is far longer), and the group ends without lag.
func TestConsumeSharesAGroup(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		backlog := writeAccounts(t, c, 30)
		if _, err := c.CreateGroup(context.Background(), "billing", client.GroupDefinition{Category: "account", Size: 2}); err != nil {
			t.Fatal(err)
		}
		h := newHandled()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		opts := h.options(client.ConsumeOptions{TTL: time.Minute, IdleWait: 20 * time.Second, RetryWait: 50 * time.Millisecond, BatchSize: 7})
		var workers []<-chan error
		for w := range 3 {
			workers = append(workers, consume(c, ctx, "billing", func(hctx context.Context, m client.Message) error {
				if hctx.Err() != nil {
					return errors.New("the handler's context ended early")
				}
				h.add(w, m)
				return nil
			}, opts))
		}
		h.waitFor(t, len(backlog), 10*time.Second)
		// Let the workers fall idle (they subscribe to pokes then), and
		// write more: only a poke can wake them before IdleWait.
		time.Sleep(300 * time.Millisecond)
		written := time.Now()
		writeAccounts(t, c, 10)
		h.waitFor(t, len(backlog)+10, 10*time.Second)
		if d := time.Since(written); d > 5*time.Second {
			t.Errorf("new messages were handled %s after they were written: pokes did not wake the workers", d)
		}
		cancel()
		for _, done := range workers {
			if err := ended(t, done, 15*time.Second); !errors.Is(err, context.Canceled) {
				t.Errorf("Consume returned %v, want the context's end", err)
			}
		}

		all := share(t, c, "account", 0, 1)
		got := h.positions()
		slices.Sort(got)
		if fmt.Sprint(got) != fmt.Sprint(gpositions(all)) {
			t.Fatalf("handled %v\nwant each of %v once", got, gpositions(all))
		}
		owner := map[string]int{}
		busy := 0
		for w, msgs := range h.by {
			busy++
			for i, m := range msgs {
				if o, ok := owner[m.Stream]; ok && o != w {
					t.Errorf("%s handled by workers %d and %d", m.Stream, o, w)
				}
				owner[m.Stream] = w
				if i > 0 && m.GlobalPosition <= msgs[i-1].GlobalPosition {
					t.Errorf("worker %d handled %d after %d", w, m.GlobalPosition, msgs[i-1].GlobalPosition)
				}
			}
		}
		if joins := h.joins(); busy != 2 || len(joins) != 2 || joins[0].Member == joins[1].Member {
			t.Errorf("%d workers handled messages, joins %+v; want two, one per member", busy, joins)
		}
		if errs := h.reported(); len(errs) != 0 {
			t.Errorf("errors reported: %v", errs)
		}
		info, err := c.GroupInfo(context.Background(), "billing")
		if err != nil || info.Lag != 0 {
			t.Fatalf("after consuming: %+v, %v; want no lag", info, err)
		}
		for m := range int64(2) {
			mine := share(t, c, "account", m, 2)
			if got := info.Members[m].Checkpoint; got != last(mine) {
				t.Errorf("member %d's checkpoint is %d, want %d", m, got, last(mine))
			}
		}
	})
}

// Without pokes a worker that has caught up fetches every IdleWait.
func TestConsumeWithoutPokes(t *testing.T) {
	t.Parallel()
	c, _ := testModeServer.namespace(t)
	writeAccounts(t, c, 2)
	if _, err := c.CreateGroup(context.Background(), "g", client.GroupDefinition{Category: "account"}); err != nil {
		t.Fatal(err)
	}
	h := newHandled()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := consume(c, ctx, "g", func(_ context.Context, m client.Message) error { h.add(0, m); return nil },
		h.options(client.ConsumeOptions{NoPokes: true, IdleWait: 100 * time.Millisecond}))
	h.waitFor(t, 2, 10*time.Second)
	writeAccounts(t, c, 1)
	h.waitFor(t, 3, 10*time.Second)
	cancel()
	if err := ended(t, done, 5*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Consume = %v", err)
	}
}

// A handler slower than the lease loses it: the ack is LEASE_EXPIRED, the
// worker joins again and is handed the unacked messages again.
func TestConsumeRejoinsAfterLosingItsLease(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		msgs := writeAccounts(t, c, 3)
		if _, err := c.CreateGroup(context.Background(), "g", client.GroupDefinition{Category: "account"}); err != nil {
			t.Fatal(err)
		}
		h := newHandled()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		slow := true
		done := consume(c, ctx, "g", func(_ context.Context, m client.Message) error {
			if m.GlobalPosition == msgs[1].GlobalPosition && slow {
				slow = false
				time.Sleep(1500 * time.Millisecond) // the lease lives 600 ms
			}
			h.add(0, m)
			return nil
		}, h.options(client.ConsumeOptions{TTL: 600 * time.Millisecond, RetryWait: 50 * time.Millisecond}))
		h.waitFor(t, 5, 10*time.Second)
		g := gpositions(msgs)
		if want := []int64{g[0], g[1], g[0], g[1], g[2]}; fmt.Sprint(h.positions()) != fmt.Sprint(want) {
			t.Fatalf("handled %v, want %v: the unacked messages again after the rejoin", h.positions(), want)
		}
		errs := h.reported()
		if len(errs) == 0 || !errors.Is(errs[0], client.ErrLeaseExpired) {
			t.Errorf("errors reported: %v; want LEASE_EXPIRED", errs)
		}
		if joins := h.joins(); len(joins) != 2 || joins[0].Lease == joins[1].Lease {
			t.Errorf("joins %+v, want two leases", joins)
		}
		waitCheckpoint(t, c, "g", g[2])
		cancel()
		if err := ended(t, done, 5*time.Second); !errors.Is(err, context.Canceled) {
			t.Fatalf("Consume = %v", err)
		}
	})
}

// waitCheckpoint waits until member 0 of group name is at gpos.
func waitCheckpoint(t *testing.T, c *client.Client, name string, gpos int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		info, err := c.GroupInfo(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		if info.Members[0].Checkpoint == gpos {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("checkpoint %d, want %d", info.Members[0].Checkpoint, gpos)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var errBoom = errors.New("boom")

// A handler's error is reported; what was handled before it is acked, and
// the failed message comes again after RetryWait.
func TestConsumeRetriesAFailedMessage(t *testing.T) {
	t.Parallel()
	c, _ := testModeServer.namespace(t)
	msgs := writeAccounts(t, c, 4)
	if _, err := c.CreateGroup(context.Background(), "g", client.GroupDefinition{Category: "account"}); err != nil {
		t.Fatal(err)
	}
	h := newHandled()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fail := true
	var checkpointAtFailure int64 = -1
	var failedAt time.Time
	var retryAfter time.Duration
	done := consume(c, ctx, "g", func(_ context.Context, m client.Message) error {
		if m.GlobalPosition == msgs[2].GlobalPosition && fail {
			fail, failedAt = false, time.Now()
			return errBoom
		}
		if m.GlobalPosition == msgs[2].GlobalPosition {
			// The retry: the messages before the failure were acked.
			retryAfter = time.Since(failedAt)
			info, err := c.GroupInfo(context.Background(), "g")
			if err == nil {
				checkpointAtFailure = info.Members[0].Checkpoint
			}
		}
		h.add(0, m)
		return nil
	}, h.options(client.ConsumeOptions{RetryWait: 200 * time.Millisecond}))
	h.waitFor(t, 4, 10*time.Second)
	if fmt.Sprint(h.positions()) != fmt.Sprint(gpositions(msgs)) {
		t.Fatalf("handled %v, want %v: each once, the failed one after its retry", h.positions(), gpositions(msgs))
	}
	if checkpointAtFailure != msgs[1].GlobalPosition {
		t.Errorf("the checkpoint was %d when the failed message came again, want %d", checkpointAtFailure, msgs[1].GlobalPosition)
	}
	if retryAfter < 150*time.Millisecond {
		t.Errorf("the failed message came again after %s, before RetryWait", retryAfter)
	}
	if errs := h.reported(); len(errs) != 1 || !errors.Is(errs[0], errBoom) {
		t.Errorf("errors reported: %v, want the handler's", errs)
	}
	waitCheckpoint(t, c, "g", msgs[3].GlobalPosition)
	cancel()
	if err := ended(t, done, 5*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Consume = %v", err)
	}
}

// A RetryWait longer than the lease lets it expire: the next fetch is
// LEASE_EXPIRED, and the worker joins again.
func TestConsumeRejoinsAfterALongRetryWait(t *testing.T) {
	t.Parallel()
	c, _ := testModeServer.namespace(t)
	msgs := writeAccounts(t, c, 2)
	if _, err := c.CreateGroup(context.Background(), "g", client.GroupDefinition{Category: "account"}); err != nil {
		t.Fatal(err)
	}
	h := newHandled()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fail := true
	done := consume(c, ctx, "g", func(_ context.Context, m client.Message) error {
		if fail {
			fail = false
			return errBoom
		}
		h.add(0, m)
		return nil
	}, h.options(client.ConsumeOptions{TTL: 200 * time.Millisecond, RetryWait: 500 * time.Millisecond}))
	h.waitFor(t, 2, 10*time.Second)
	if fmt.Sprint(h.positions()) != fmt.Sprint(gpositions(msgs)) {
		t.Fatalf("handled %v, want %v", h.positions(), gpositions(msgs))
	}
	errs := h.reported()
	if len(errs) != 2 || !errors.Is(errs[0], errBoom) || !errors.Is(errs[1], client.ErrLeaseExpired) {
		t.Errorf("errors reported: %v; want the handler's, then LEASE_EXPIRED", errs)
	}
	if joins := h.joins(); len(joins) != 2 {
		t.Errorf("joins %+v, want two", joins)
	}
	cancel()
	if err := ended(t, done, 5*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Consume = %v", err)
	}
}

// While a live lease holds every member the worker waits, without calling
// it an error, and takes the member once the lease expires.
func TestConsumeWaitsForAFreeMember(t *testing.T) {
	t.Parallel()
	c, _ := testModeServer.namespace(t)
	writeAccounts(t, c, 2)
	if _, err := c.CreateGroup(context.Background(), "g", client.GroupDefinition{Category: "account"}); err != nil {
		t.Fatal(err)
	}
	held, err := c.JoinGroup(context.Background(), "g", &client.JoinOptions{TTL: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	h := newHandled()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	done := consume(c, ctx, "g", func(_ context.Context, m client.Message) error { h.add(0, m); return nil },
		h.options(client.ConsumeOptions{RetryWait: 50 * time.Millisecond}))
	h.waitFor(t, 2, 10*time.Second)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("handled after %s, while another lease held the member", d)
	}
	if joins := h.joins(); len(joins) != 1 || joins[0].Member != 0 || joins[0].Lease == held.Lease {
		t.Errorf("joins %+v", joins)
	}
	if errs := h.reported(); len(errs) != 0 {
		t.Errorf("errors reported while waiting: %v", errs)
	}
	cancel()
	if err := ended(t, done, 5*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Consume = %v", err)
	}
}

// When its context ends mid-batch, Consume finishes the message in hand,
// acks what was handled and returns; idle, it returns at once.
func TestConsumeStopsWithItsContext(t *testing.T) {
	t.Parallel()
	c, _ := testModeServer.namespace(t)
	msgs := writeAccounts(t, c, 5)
	if _, err := c.CreateGroup(context.Background(), "g", client.GroupDefinition{Category: "account"}); err != nil {
		t.Fatal(err)
	}
	h := newHandled()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := consume(c, ctx, "g", func(hctx context.Context, m client.Message) error {
		h.add(0, m)
		if m.GlobalPosition == msgs[1].GlobalPosition {
			cancel()
			if hctx.Err() == nil {
				return errors.New("the handler's context did not end with Consume's")
			}
		}
		return nil
	}, h.options(client.ConsumeOptions{}))
	if err := ended(t, done, 10*time.Second); !errors.Is(err, context.Canceled) {
		t.Fatalf("Consume = %v", err)
	}
	if fmt.Sprint(h.positions()) != fmt.Sprint(gpositions(msgs[:2])) {
		t.Fatalf("handled %v, want the first two only", h.positions())
	}
	info, err := c.GroupInfo(context.Background(), "g")
	if err != nil || info.Members[0].Checkpoint != msgs[1].GlobalPosition {
		t.Fatalf("after the stop: %+v, %v; want the handled messages acked", info, err)
	}
	if errs := h.reported(); len(errs) != 0 {
		t.Errorf("errors reported: %v", errs)
	}

	// Idle, it returns as soon as the context ends. (The stopped worker's
	// lease holds g's member until it expires: this one reads another group.)
	if _, err := c.CreateGroup(context.Background(), "idle", client.GroupDefinition{Category: "account", StartAt: client.StartAtPosition(msgs[2].GlobalPosition)}); err != nil {
		t.Fatal(err)
	}
	idle, stop := context.WithCancel(context.Background())
	defer stop()
	h = newHandled()
	done = consume(c, idle, "idle", func(_ context.Context, m client.Message) error { h.add(0, m); return nil },
		h.options(client.ConsumeOptions{IdleWait: time.Minute, TTL: time.Hour}))
	h.waitFor(t, 3, 10*time.Second)
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	stop()
	if err := ended(t, done, 5*time.Second); !errors.Is(err, context.Canceled) || time.Since(start) > time.Second {
		t.Fatalf("an idle Consume returned %v after %s", err, time.Since(start))
	}
}

// Refusals that a repeat would meet again end Consume with the server's
// error: a missing group, a bad option, a group deleted under it.
func TestConsumeReturnsPermanentErrors(t *testing.T) {
	t.Parallel()
	c, _ := testModeServer.namespace(t)
	ctx := context.Background()
	nothing := func(context.Context, client.Message) error { return nil }
	if err := ended(t, consume(c, ctx, "missing", nothing, nil), 5*time.Second); !errors.Is(err, client.ErrGroupNotFound) {
		t.Errorf("Consume of a missing group = %v", err)
	}
	if _, err := c.CreateGroup(ctx, "g", client.GroupDefinition{Category: "account"}); err != nil {
		t.Fatal(err)
	}
	if err := ended(t, consume(c, ctx, "g", nothing, &client.ConsumeOptions{TTL: time.Millisecond}), 5*time.Second); !errors.Is(err, client.ErrInvalidRequest) {
		t.Errorf("Consume with a TTL of 1 ms = %v", err)
	}
	h := newHandled()
	done := consume(c, ctx, "g", nothing, h.options(client.ConsumeOptions{IdleWait: 50 * time.Millisecond, TTL: time.Second}))
	deadline := time.Now().Add(5 * time.Second)
	for len(h.joins()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := c.DeleteGroup(ctx, "g"); err != nil {
		t.Fatal(err)
	}
	if err := ended(t, done, 5*time.Second); !errors.Is(err, client.ErrGroupNotFound) {
		t.Errorf("Consume of a deleted group = %v", err)
	}
}
