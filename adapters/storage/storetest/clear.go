package storetest

import (
	"context"
	"errors"
	"testing"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// testClear is the contract of emptying a namespace before a restore.
func testClear(t *testing.T, e *env) {
	c, ok := e.store.(ports.Clearer)
	if !ok {
		t.Fatalf("%T does not implement ports.Clearer", e.store)
	}
	p, ok := e.store.(porter)
	if !ok {
		t.Fatalf("%T does not implement import and export", e.store)
	}
	ctx := context.Background()
	ns := e.namespace(t)
	other := e.namespace(t)
	for i := 0; i < 3; i++ {
		appendOne(t, e.store, ns, "clear-1", msg("T", map[string]int{"i": i}))
		appendOne(t, e.store, ns, "clear-2", msg("T", map[string]int{"i": i}))
	}
	kept := appendOne(t, e.store, other, "clear-1", msg("T", map[string]int{}))

	deleted, err := c.Clear(ctx, ns)
	if err != nil || deleted != 6 {
		t.Fatalf("Clear = %d, %v; want 6 messages deleted", deleted, err)
	}
	if msgs := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "clear"}); len(msgs) != 0 {
		t.Fatalf("the cleared namespace still reads %d messages", len(msgs))
	}
	if v, err := e.store.Version(ctx, ns, "clear-1"); err != nil || v != stream.NoStream {
		t.Fatalf("version after Clear = %d, %v; want no stream", v, err)
	}
	if stats, err := e.store.Stats(ctx, ns); err != nil || stats.MessageCount != 0 || stats.StreamCount != 0 {
		t.Fatalf("stats after Clear = %+v, %v; want empty", stats, err)
	}
	if _, err := e.store.Get(ctx, ns); err != nil {
		t.Fatalf("the namespace itself must stay: %v", err)
	}
	if got := readAll(t, e.store, other, "clear-1"); len(got) != 1 || got[0].GlobalPosition != kept.GlobalPosition {
		t.Fatalf("another namespace lost its messages: %+v", got)
	}

	// A backup restores into the empty namespace with its own positions, and
	// appends continue after it.
	backup := []stream.Message{imported("clear-1", 0, 1, 0), imported("clear-1", 1, 2, 1)}
	if err := p.Import(ctx, ns, backup); err != nil {
		t.Fatalf("import after Clear: %v", err)
	}
	next := appendOne(t, e.store, ns, "clear-1", msg("T", map[string]int{}))
	if next.Position != 2 || next.GlobalPosition != 3 {
		t.Fatalf("append after restore = %+v, want position 2 global position 3", next)
	}

	if _, err := c.Clear(ctx, "t"+randomHex(8)); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("Clear of a missing namespace: %v, want namespace.ErrNotFound", err)
	}
}
