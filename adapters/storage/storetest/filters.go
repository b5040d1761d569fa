package storetest

import (
	"fmt"
	"testing"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func testConsumerGroups(t *testing.T, e *env) {
	ns := e.namespace(t)
	var names []string
	for i := range 40 {
		names = append(names, fmt.Sprintf("account-%d", i), fmt.Sprintf("account-%d+retry", i))
	}
	names = append(names, "account") // a stream without an id still lands in one member
	for _, name := range names {
		appendOne(t, e.store, ns, name, msg("Opened", map[string]string{"s": name}))
	}
	const size = 4
	owner := map[string]int64{}
	total := 0
	for member := int64(0); member < size; member++ {
		g := &partition.Group{Member: member, Size: size}
		msgs := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "account", Group: g})
		total += len(msgs)
		for _, m := range msgs {
			if prev, ok := owner[m.Stream]; ok && prev != member {
				t.Fatalf("stream %s in members %d and %d", m.Stream, prev, member)
			}
			owner[m.Stream] = member
			if !g.Contains(m.Stream) {
				t.Fatalf("store put %s in member %d; the domain hash says otherwise", m.Stream, member)
			}
		}
	}
	if total != len(names) || len(owner) != len(names) {
		t.Fatalf("members returned %d messages of %d streams, want %d", total, len(owner), len(names))
	}
	for i := range 40 {
		a, b := fmt.Sprintf("account-%d", i), fmt.Sprintf("account-%d+retry", i)
		if owner[a] != owner[b] {
			t.Fatalf("%s in member %d but %s in %d: compound ids must share a member", a, owner[a], b, owner[b])
		}
	}
}

func testCorrelation(t *testing.T, e *env) {
	ns := e.namespace(t)
	withMeta := func(meta string) stream.Proposed {
		m := msg("Done", map[string]int{})
		if meta != "" {
			m.Metadata = []byte(meta)
		}
		return m
	}
	want := appendOne(t, e.store, ns, "task-1", withMeta(`{"correlationStreamName":"workflow-7"}`))
	appendOne(t, e.store, ns, "task-2", withMeta(`{"correlationStreamName":"workflowx-7"}`))
	appendOne(t, e.store, ns, "task-3", withMeta(`{"other":"workflow-7"}`))
	appendOne(t, e.store, ns, "task-4", withMeta(""))
	want2 := appendOne(t, e.store, ns, "task-5", withMeta(`{"correlationStreamName":"workflow"}`))
	got := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "task", Correlation: "workflow"})
	if len(got) != 2 || got[0].GlobalPosition != want.GlobalPosition || got[1].GlobalPosition != want2.GlobalPosition {
		t.Fatalf("correlation workflow returned %+v", got)
	}
}
