package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// testReadAll checks the optional ports.AllReader: every message of the
// namespace, across categories, by ascending global position, in pages.
func testReadAll(t *testing.T, e *env) {
	all, ok := e.store.(ports.AllReader)
	if !ok {
		t.Skip("the store does not implement ports.AllReader")
	}
	ctx := context.Background()
	ns := e.namespace(t)
	other := e.namespace(t)
	appendOne(t, e.store, other, "elsewhere-1", msg("Noise", map[string]int{}))
	var want []int64
	var streams []string
	for i := range 9 {
		name := fmt.Sprintf("%s-%d", []string{"account", "order", "task"}[i%3], i/3)
		want = append(want, appendOne(t, e.store, ns, name, msg("Made", map[string]int{"i": i})).GlobalPosition)
		streams = append(streams, name)
	}

	for id, last := range map[string]int64{ns: want[len(want)-1], e.namespace(t): 0} {
		if got, err := all.LastGlobalPosition(ctx, id); err != nil || got != last {
			t.Fatalf("LastGlobalPosition(%s) = %d, %v; want %d", id, got, err, last)
		}
	}

	got, err := all.ReadAll(ctx, ns, ports.AllQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("ReadAll returned %d messages, want %d", len(got), len(want))
	}
	for i, m := range got {
		if m.GlobalPosition != want[i] || m.Stream != streams[i] || m.Type != "Made" {
			t.Fatalf("message %d = %s @ %d, want %s @ %d", i, m.Stream, m.GlobalPosition, streams[i], want[i])
		}
	}

	// Paging from an inclusive global position, limit respected.
	var paged []int64
	for from := int64(0); ; {
		page, err := all.ReadAll(ctx, ns, ports.AllQuery{GlobalPosition: from, Limit: 4})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) > 4 {
			t.Fatalf("ReadAll with limit 4 returned %d messages", len(page))
		}
		for _, m := range page {
			paged = append(paged, m.GlobalPosition)
		}
		if len(page) < 4 {
			break
		}
		from = page[len(page)-1].GlobalPosition + 1
	}
	if fmt.Sprint(paged) != fmt.Sprint(want) {
		t.Fatalf("paged ReadAll = %v, want %v", paged, want)
	}
	if page, err := all.ReadAll(ctx, ns, ports.AllQuery{GlobalPosition: want[3], Limit: 1}); err != nil || len(page) != 1 || page[0].GlobalPosition != want[3] {
		t.Fatalf("ReadAll from %d = %+v, %v; want that message (inclusive)", want[3], page, err)
	}
	if page, err := all.ReadAll(ctx, ns, ports.AllQuery{GlobalPosition: want[len(want)-1] + 1, Limit: 10}); err != nil || len(page) != 0 {
		t.Fatalf("ReadAll past the end = %+v, %v", page, err)
	}
	if _, err := all.ReadAll(ctx, "missing"+randomHex(4), ports.AllQuery{Limit: 10}); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("ReadAll of a missing namespace: %v, want namespace.ErrNotFound", err)
	}
}
