package sse_test

import (
	"context"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/sse"
)

// An idle subscription gets heartbeat comments and still pokes afterwards;
// the server's write timeout (200ms in these tests) does not cut it.
func TestHeartbeat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{heartbeat: 50 * time.Millisecond})
	c := e.subscribe(t, "stream=s-1", nil)
	for range 6 { // 300ms at least, past the server's write timeout
		if f := c.next(t); !f.isComment || f.comment != "heartbeat" {
			t.Fatalf("idle subscription sent %+v, want ': heartbeat'", f)
		}
	}
	live := e.write(t, e.ns, "s-1", 1)
	if p := c.pokes(t, 1)[0]; p.GlobalPosition != live.GlobalPosition {
		t.Fatalf("poke after heartbeats = %+v", p)
	}
}

// A client that leaves frees its slot, the gauge and its notifier subscription.
func TestDisconnect(t *testing.T) {
	t.Parallel()
	cfg := sse.DefaultConfig()
	cfg.MaxPerToken = 1
	e := newEnv(t, envOptions{cfg: &cfg})
	c := e.subscribe(t, "category=s", nil)
	if n := e.gauge.n.Load(); n != 1 {
		t.Fatalf("gauge = %d with one subscription", n)
	}
	// The stream's headers go out before the subscription listens to the
	// notifier (Subscriptions.Follow subscribes), so that may lag a little.
	eventually(t, "one notifier subscription", func() bool { return e.notifier.Subscribers(e.ns) == 1 })
	c.close()
	eventually(t, "the gauge back to 0", func() bool { return e.gauge.n.Load() == 0 })
	eventually(t, "the notifier subscription ended", func() bool { return e.notifier.Subscribers(e.ns) == 0 })
	e.write(t, e.ns, "s-1", 1) // nobody listens: must not block or fail
	c2 := e.subscribe(t, "category=s", nil)
	if p := c2.pokes(t, 1)[0]; p.Stream != "s-1" {
		t.Fatalf("poke %+v", p)
	}
}

// Stopping the server ends subscriptions cleanly: the stream ends (no hang,
// no cut response) and everything is released.
func TestShutdownEndsSubscriptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	subs := []*client{e.subscribe(t, "stream=s-1", nil), e.subscribe(t, "all=true", nil)}
	e.write(t, e.ns, "s-1", 1)
	for _, c := range subs {
		c.pokes(t, 1)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := e.srv.Stop(ctx); err != nil {
		t.Fatalf("stop: %v", err)
	}
	for _, c := range subs {
		if f := c.next(t); !f.isEOF {
			t.Fatalf("after stop: %+v, want the end of the stream", f)
		}
	}
	if n := e.gauge.n.Load(); n != 0 {
		t.Fatalf("gauge = %d after stop", n)
	}
	if n := e.notifier.Subscribers(e.ns); n != 0 {
		t.Fatalf("notifier subscribers = %d after stop", n)
	}
}
