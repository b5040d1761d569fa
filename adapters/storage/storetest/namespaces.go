package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func testNamespaces(t *testing.T, e *env) {
	ctx := context.Background()
	id := e.namespace(t)
	rec, err := e.store.Get(ctx, id)
	if err != nil || rec.ID != id || rec.TokenHash == "" || rec.CreatedAt.IsZero() {
		t.Fatalf("get = %+v, %v", rec, err)
	}
	again := namespace.Record{ID: id, TokenHash: "other", CreatedAt: time.Now()}
	if err := e.store.Create(ctx, again); !errors.Is(err, namespace.ErrExists) {
		t.Fatalf("creating %s twice: %v, want ErrExists", id, err)
	}
	list, err := e.store.List(ctx)
	if err != nil || !containsNamespace(list, id) {
		t.Fatalf("list = %v, %v; want it to contain %s", list, err, id)
	}
	appendOne(t, e.store, id, "doc-1", msg("A", map[string]int{}))
	appendOne(t, e.store, id, "doc-2", msg("A", map[string]int{}))
	deleted, err := e.store.Delete(ctx, id)
	if err != nil || deleted != 2 {
		t.Fatalf("delete = %d, %v; want 2 messages", deleted, err)
	}
	if _, err := e.store.Get(ctx, id); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("get after delete: %v, want ErrNotFound", err)
	}
	if _, err := e.store.ReadStream(ctx, id, ports.StreamQuery{Stream: "doc-1", Limit: 10}); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("read after delete: %v, want ErrNotFound", err)
	}
	if _, err := e.store.Delete(ctx, id); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("second delete: %v, want ErrNotFound", err)
	}
	// The id can be used again, starting empty.
	if err := e.store.Create(ctx, namespace.Record{ID: id, TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatalf("recreate: %v", err)
	}
	if n := len(readAll(t, e.store, id, "doc-1")); n != 0 {
		t.Fatalf("recreated namespace has %d old messages", n)
	}
	if _, err := e.store.Version(ctx, "never-created", "doc-1"); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("version in a missing namespace: %v, want ErrNotFound", err)
	}
}

// testLongNamespaceID uses the longest id allowed, which must still make a
// valid file name or schema name.
func testLongNamespaceID(t *testing.T, e *env) {
	id := "L" + randomHex(namespace.MaxIDLength)[:namespace.MaxIDLength-1]
	if err := e.store.Create(context.Background(), namespace.Record{ID: id, TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatalf("create a namespace with a %d-character id: %v", len(id), err)
	}
	appendOne(t, e.store, id, "long-1", msg("A", map[string]int{}))
	if n := len(readAll(t, e.store, id, "long-1")); n != 1 {
		t.Fatalf("read %d messages, want 1", n)
	}
}

func containsNamespace(list []namespace.Record, id string) bool {
	for _, r := range list {
		if r.ID == id {
			return true
		}
	}
	return false
}

func testIsolation(t *testing.T, e *env) {
	a, b := e.namespace(t), e.namespace(t)
	ra := appendOne(t, e.store, a, "shared-1", msg("A", map[string]int{}))
	rb := appendOne(t, e.store, b, "shared-1", msg("B", map[string]int{}))
	if ra.GlobalPosition != 1 || rb.GlobalPosition != 1 {
		t.Fatalf("global positions %d and %d; each namespace starts at 1", ra.GlobalPosition, rb.GlobalPosition)
	}
	got := readAll(t, e.store, b, "shared-1")
	if len(got) != 1 || got[0].Type != "B" {
		t.Fatalf("namespace %s sees %+v", b, got)
	}
}

func testCatalog(t *testing.T, e *env) {
	ctx := context.Background()
	ns := e.namespace(t)
	st, err := e.store.Stats(ctx, ns)
	if err != nil || st.MessageCount != 0 || st.StreamCount != 0 || st.LastActivity != nil {
		t.Fatalf("stats of an empty namespace = %+v, %v", st, err)
	}
	for _, s := range []string{"user-1", "user-2", "user-2", "user-3", "order-1", "order%-1", "order_x"} {
		appendOne(t, e.store, ns, s, msg("E", map[string]int{}))
	}
	all, err := e.store.ListStreams(ctx, ns, ports.StreamListQuery{Limit: 100})
	if err != nil || len(all) != 6 || all[0].Stream != "order%-1" || all[5].Stream != "user-3" {
		t.Fatalf("all streams = %+v, %v", all, err)
	}
	users, err := e.store.ListStreams(ctx, ns, ports.StreamListQuery{Prefix: "user-", After: "user-1", Limit: 1})
	if err != nil || len(users) != 1 || users[0].Stream != "user-2" || users[0].Version != 1 || users[0].LastActivity.IsZero() {
		t.Fatalf("users after user-1, limit 1 = %+v, %v", users, err)
	}
	from, err := e.store.ListStreams(ctx, ns, ports.StreamListQuery{Prefix: "user-", After: "order_x", Limit: 10})
	if err != nil || len(from) != 3 || from[0].Stream != "user-1" || from[2].Stream != "user-3" {
		t.Fatalf("users after a cursor below the prefix = %+v, %v", from, err)
	}
	literal, err := e.store.ListStreams(ctx, ns, ports.StreamListQuery{Prefix: "order%", Limit: 10})
	if err != nil || len(literal) != 1 || literal[0].Stream != "order%-1" {
		t.Fatalf("prefix 'order%%' = %+v, %v; the prefix is literal", literal, err)
	}
	cats, err := e.store.Categories(ctx, ns)
	want := []ports.CategoryInfo{
		{Category: "order", StreamCount: 1, MessageCount: 1},
		{Category: "order%", StreamCount: 1, MessageCount: 1},
		{Category: "order_x", StreamCount: 1, MessageCount: 1},
		{Category: "user", StreamCount: 3, MessageCount: 4},
	}
	if err != nil || len(cats) != len(want) {
		t.Fatalf("categories = %+v, %v", cats, err)
	}
	for i := range want {
		if cats[i] != want[i] {
			t.Fatalf("category %d = %+v, want %+v", i, cats[i], want[i])
		}
	}
	st, err = e.store.Stats(ctx, ns)
	if err != nil || st.MessageCount != 7 || st.StreamCount != 6 || st.LastActivity == nil {
		t.Fatalf("stats = %+v, %v", st, err)
	}
}

// testWritesRacingCreate writes to namespaces while they are being created, as
// the first requests with a new token may: every acknowledged write must
// survive the creation.
func testWritesRacingCreate(t *testing.T, e *env) {
	ctx := context.Background()
	for range 20 {
		id := "r" + randomHex(8)
		var acked []int64
		done := make(chan struct{})
		go func() {
			defer close(done)
			for range 200 {
				res, err := e.store.Append(ctx, id, stream.Append{Stream: "race-1", Messages: []stream.Proposed{msg("W", map[string]int{})}})
				if err == nil {
					acked = append(acked, res.GlobalPosition)
				}
			}
		}()
		if err := e.store.Create(ctx, namespace.Record{ID: id, TokenHash: "x", CreatedAt: time.Now()}); err != nil {
			t.Fatalf("create: %v", err)
		}
		<-done
		got := readAll(t, e.store, id, "race-1")
		if len(got) != len(acked) {
			t.Fatalf("namespace %s holds %d messages, %d were acknowledged", id, len(got), len(acked))
		}
	}
}

// testDeleteRaces runs two deletes of one namespace against a create of it
// again: whatever wins, the registry and the storage must agree — a
// namespace either exists and keeps what is written, or refuses writes.
func testDeleteRaces(t *testing.T, e *env) {
	ctx := context.Background()
	for range 30 {
		id := "d" + randomHex(8)
		if err := e.store.Create(ctx, namespace.Record{ID: id, TokenHash: "x", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		done := make(chan struct{})
		for range 2 {
			go func() {
				defer func() { done <- struct{}{} }()
				_, _ = e.store.Delete(ctx, id)
			}()
		}
		go func() {
			defer func() { done <- struct{}{} }()
			for range 100 {
				if e.store.Create(ctx, namespace.Record{ID: id, TokenHash: "x", CreatedAt: time.Now()}) == nil {
					return
				}
			}
		}()
		for range 3 {
			<-done
		}
		_, getErr := e.store.Get(ctx, id)
		_, appendErr := e.store.Append(ctx, id, stream.Append{Stream: "race-1", Messages: []stream.Proposed{msg("W", map[string]int{})}})
		switch {
		case getErr == nil && appendErr != nil:
			t.Fatalf("namespace %s exists but refuses a write: %v", id, appendErr)
		case getErr != nil && appendErr == nil:
			t.Fatalf("namespace %s is not registered (%v) yet accepted a write", id, getErr)
		case getErr == nil:
			if n := len(readAll(t, e.store, id, "race-1")); n != 1 {
				t.Fatalf("namespace %s holds %d messages after one acknowledged write", id, n)
			}
		}
	}
}
