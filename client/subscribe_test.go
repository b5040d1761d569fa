package client_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventodb/eventodb/client"
)

// receive takes n pokes from sub, failing after a few seconds without one.
func receive(t *testing.T, sub *client.Subscription, n int) []client.Poke {
	t.Helper()
	var got []client.Poke
	for len(got) < n {
		select {
		case p, ok := <-sub.Pokes():
			if !ok {
				t.Fatalf("the subscription ended after %d of %d pokes: %v", len(got), n, sub.Err())
			}
			got = append(got, p)
		case <-time.After(10 * time.Second):
			t.Fatalf("no poke for 10 s after %d of %d", len(got), n)
		}
	}
	return got
}

// quiet checks that sub delivers nothing more for a moment.
func quiet(t *testing.T, sub *client.Subscription) {
	t.Helper()
	select {
	case p := <-sub.Pokes():
		t.Fatalf("unexpected poke %+v", p)
	case <-time.After(100 * time.Millisecond):
	}
}

func subscribe(t *testing.T, c *client.Client, opts client.SubscribeOptions) *client.Subscription {
	t.Helper()
	sub, err := c.Subscribe(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Close() })
	return sub
}

func TestSubscribeBacklogThenLive(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		var written []client.Poke
		put := func(stream string) {
			res, err := c.Write(ctx, stream, msg("T", `{}`), nil)
			if err != nil {
				t.Fatal(err)
			}
			written = append(written, client.Poke{Stream: stream, Position: res.Position, GlobalPosition: res.GlobalPosition})
		}
		for _, stream := range []string{"order-1", "order-2", "other-1", "order-1"} {
			put(stream)
		}
		tests := []struct {
			name string
			opts client.SubscribeOptions
			keep func(p client.Poke) bool
		}{
			{"a category", client.SubscribeOptions{Category: "order"}, func(p client.Poke) bool { return p.Stream != "other-1" }},
			{"a stream from a position", client.SubscribeOptions{Stream: "order-1", Position: 1}, func(p client.Poke) bool {
				return p.Stream == "order-1" && p.Position >= 1
			}},
			{"the namespace from a global position", client.SubscribeOptions{All: true, Position: written[1].GlobalPosition},
				func(p client.Poke) bool { return p.GlobalPosition >= written[1].GlobalPosition }},
			{"a consumer group member", client.SubscribeOptions{Category: "order", ConsumerGroup: &client.ConsumerGroup{Member: 0, Size: 1}},
				func(p client.Poke) bool { return p.Stream != "other-1" }},
		}
		subs := make([]*client.Subscription, len(tests))
		for i, tt := range tests {
			subs[i] = subscribe(t, c, tt.opts)
		}
		for _, stream := range []string{"other-1", "order-2", "order-1"} {
			put(stream) // live
		}
		for i, tt := range tests {
			var want []client.Poke
			for _, p := range written {
				if tt.keep(p) {
					want = append(want, p)
				}
			}
			if got := receive(t, subs[i], len(want)); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: pokes %v, want %v", tt.name, got, want)
			}
			quiet(t, subs[i])
			if err := subs[i].Close(); err != nil || subs[i].Err() != nil {
				t.Errorf("%s: Close = %v, Err = %v", tt.name, err, subs[i].Err())
			}
			if _, open := <-subs[i].Pokes(); open {
				t.Errorf("%s: pokes still open after Close", tt.name)
			}
		}
	})
}

// Connections cut while messages are written are reopened, and every poke
// arrives exactly once, in order.
func TestSubscribeReconnectsWithoutLossOrRepeats(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		_, token := s.newNamespace(t)
		direct := newClient(t, s.url, client.WithToken(token))
		proxy, proxyURL := newDropProxy(t, s.url)
		viaProxy := newClient(t, proxyURL, client.WithToken(token),
			client.WithRetry(client.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 20 * time.Millisecond}))
		ctx := context.Background()
		const n = 150
		var gpos []int64
		for i := range 20 { // a backlog
			res, err := direct.Write(ctx, fmt.Sprintf("job-%d", i%3), msg("T", `{}`), nil)
			if err != nil {
				t.Fatal(err)
			}
			gpos = append(gpos, res.GlobalPosition)
		}
		var reconnects atomic.Int32
		sub := subscribe(t, viaProxy, client.SubscribeOptions{Category: "job", Buffer: 1,
			OnReconnect: func(error) { reconnects.Add(1) }})
		done := make(chan error, 1)
		written := make(chan int64, n)
		go func() {
			for i := 20; i < n; i++ {
				res, err := direct.Write(ctx, fmt.Sprintf("job-%d", i%3), msg("T", `{}`), nil)
				if err != nil {
					done <- err
					return
				}
				written <- res.GlobalPosition
				time.Sleep(time.Millisecond)
			}
			done <- nil
		}()
		var got []int64
		for len(got) < n {
			p := receive(t, sub, 1)[0]
			got = append(got, p.GlobalPosition)
			if len(got)%25 == 0 {
				proxy.cut()
			}
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		close(written)
		for g := range written {
			gpos = append(gpos, g)
		}
		if fmt.Sprint(got) != fmt.Sprint(gpos) {
			t.Fatalf("pokes %v\nwant %v", got, gpos)
		}
		quiet(t, sub)
		if reconnects.Load() < 3 {
			t.Errorf("%d reconnections after 6 cuts", reconnects.Load())
		}
	})
}

// A silent connection is replaced after IdleTimeout; nothing is repeated.
func TestSubscribeReplacesSilentConnections(t *testing.T) {
	t.Parallel()
	c, _ := testModeServer.namespace(t)
	first, err := c.Write(context.Background(), "idle-1", msg("T", `{}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	var reconnects atomic.Int32
	sub := subscribe(t, c, client.SubscribeOptions{Stream: "idle-1", IdleTimeout: 50 * time.Millisecond,
		OnReconnect: func(error) { reconnects.Add(1) }})
	if p := receive(t, sub, 1)[0]; p.GlobalPosition != first.GlobalPosition {
		t.Fatalf("poke %+v", p)
	}
	time.Sleep(300 * time.Millisecond)
	if reconnects.Load() < 2 {
		t.Fatalf("%d reconnections of a silent subscription", reconnects.Load())
	}
	second, err := c.Write(context.Background(), "idle-1", msg("T", `{}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p := receive(t, sub, 1)[0]; p.GlobalPosition != second.GlobalPosition || p.Position != 1 {
		t.Fatalf("poke %+v after the reconnections, want position 1", p)
	}
}
