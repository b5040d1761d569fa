package sse_test

import (
	"context"
	"net/url"
	"os"
	"sort"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/notify/pgnotify"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
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

// freshPostgres creates a database for one test on EVENTODB_TEST_PG_URL's
// server (or skips) and drops it afterwards.
func freshPostgres(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("EVENTODB_TEST_PG_URL")
	if admin == "" {
		t.Skip("EVENTODB_TEST_PG_URL not set: skipping PostgreSQL tests")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("EVENTODB_TEST_PG_URL: %v", err)
	}
	name := "eventodb_sse_" + randomHex(6)
	exec := func(sql string) {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			t.Fatalf("connect: %v", err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'")
	t.Cleanup(func() { exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u.Path = "/" + name
	q := u.Query()
	q.Del("dbname")
	u.RawQuery = q.Encode()
	return u.String()
}
