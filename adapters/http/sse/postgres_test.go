package sse_test

import (
	"context"
	"sort"
	"sync"
	"testing"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/notify/pgnotify"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/adapters/storage/postgres/pgtest"
)

// Two server nodes on one PostgreSQL database: writes on either node reach a
// subscriber on the other, every global position once and in order.
func TestTwoNodesOnPostgres(t *testing.T) {
	t.Parallel()
	dsn := freshPostgres(t)
	node := func(peer *env) *env {
		store, err := postgres.Open(postgres.Config{URL: dsn}, zap.NewNop())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = store.Close() })
		n, err := pgnotify.New(pgnotify.Config{URL: dsn}, zap.NewNop())
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = n.Stop(context.Background()) })
		return newEnv(t, envOptions{storage: store, notifier: n, peer: peer})
	}
	a := node(nil)
	b := node(a)

	first := a.write(t, a.ns, "acct-1", 3)
	subs := []*client{b.subscribe(t, "all=true", nil), a.subscribe(t, "category=acct", nil)}
	want := []int64{first.GlobalPosition, first.GlobalPosition + 1, first.GlobalPosition + 2}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i, e := range []*env{a, b, a, b} {
		wg.Go(func() {
			for range 25 {
				res, err := e.tryWrite(e.ns, "acct-"+string(rune('a'+i)), 2)
				if err != nil {
					t.Errorf("write on node %d: %v", i%2, err)
					return
				}
				mu.Lock()
				want = append(want, res.GlobalPosition, res.GlobalPosition+1)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	sort.Slice(want, func(i, j int) bool { return want[i] < want[j] })
	for i, c := range subs {
		for k, p := range c.pokes(t, len(want)) {
			if p.GlobalPosition != want[k] {
				t.Fatalf("subscriber %d: poke %d at global %d, want %d", i, k, p.GlobalPosition, want[k])
			}
		}
	}
}

// freshPostgres creates a database for one test (or skips) and drops it afterwards.
func freshPostgres(t *testing.T) string { return pgtest.FreshDatabase(t) }
