package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func testConcurrentPositions(t *testing.T, e *env) {
	ns := e.namespace(t)
	const writers, each = 20, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				m := msg("Tick", map[string]int{"w": w, "i": i})
				if _, err := e.store.Append(context.Background(), ns, stream.Append{Stream: "counter-1", Messages: []stream.Proposed{m}}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent append: %v", err)
	}
	msgs := readAll(t, e.store, ns, "counter-1")
	if len(msgs) != writers*each {
		t.Fatalf("stream has %d messages, want %d", len(msgs), writers*each)
	}
	for i, m := range msgs {
		if m.Position != int64(i) {
			t.Fatalf("message %d has position %d: positions are not gap-free", i, m.Position)
		}
		if i > 0 && m.GlobalPosition <= msgs[i-1].GlobalPosition {
			t.Fatalf("global position %d follows %d", m.GlobalPosition, msgs[i-1].GlobalPosition)
		}
	}
}

func testOneWinner(t *testing.T, e *env) {
	ns := e.namespace(t)
	appendOne(t, e.store, ns, "seat-1", msg("Created", map[string]int{}))
	const racers = 20
	var wins, conflicts atomic.Int32
	var wg sync.WaitGroup
	for r := range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.store.Append(context.Background(), ns, stream.Append{
				Stream:          "seat-1",
				Messages:        []stream.Proposed{msg("Reserved", map[string]int{"by": r})},
				ExpectedVersion: stream.ExactVersion(0),
			})
			var conflict *stream.VersionConflictError
			switch {
			case err == nil:
				wins.Add(1)
			case errors.As(err, &conflict) && conflict.Actual == 1:
				conflicts.Add(1)
			default:
				t.Errorf("racer %d: %v", r, err)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 || conflicts.Load() != racers-1 {
		t.Fatalf("%d winners and %d conflicts, want 1 and %d", wins.Load(), conflicts.Load(), racers-1)
	}
	if n := len(readAll(t, e.store, ns, "seat-1")); n != 2 {
		t.Fatalf("stream has %d messages, want 2", n)
	}
}

// testTailNeverSkips hammers a category with concurrent writers (through a
// second store when peer is not nil) while a reader follows it by global
// position, as a subscriber does. The reader must see every acknowledged
// message, in ascending order: a position that became visible before a lower
// one committed would be skipped for good.
func testTailNeverSkips(t *testing.T, e *env, peer ports.Storage) {
	ns := e.namespace(t)
	writersOn := []ports.MessageStore{e.store}
	if peer != nil {
		writersOn = append(writersOn, peer)
	}
	const writers, each = 8, 40
	acked := make(chan int64, writers*each)
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			store := writersOn[w%len(writersOn)]
			for i := range each {
				res, err := store.Append(context.Background(), ns, stream.Append{
					Stream:   fmt.Sprintf("tail-%d", (w*each+i)%13),
					Messages: []stream.Proposed{msg("Tick", map[string]int{"w": w, "i": i})},
				})
				if err != nil {
					t.Errorf("append: %v", err)
					return
				}
				acked <- res.GlobalPosition
			}
		}()
	}
	go func() { wg.Wait(); close(done) }()

	seen := map[int64]bool{}
	cursor := int64(1)
	finished := false
	for !finished {
		select {
		case <-done:
			finished = true // one more read after the last write
		default:
		}
		msgs, err := e.store.ReadCategory(context.Background(), ns, ports.CategoryQuery{Category: "tail", GlobalPosition: cursor, Limit: 50})
		if err != nil {
			t.Fatalf("tail read: %v", err)
		}
		for _, m := range msgs {
			if m.GlobalPosition < cursor || seen[m.GlobalPosition] {
				t.Fatalf("reader got global position %d again or out of order (cursor %d)", m.GlobalPosition, cursor)
			}
			seen[m.GlobalPosition] = true
			cursor = m.GlobalPosition + 1
		}
		if len(msgs) == 50 {
			finished = false // more to read before the final check
		}
	}
	close(acked)
	count := 0
	for g := range acked {
		count++
		if !seen[g] {
			t.Fatalf("the tailing reader skipped acknowledged global position %d", g)
		}
	}
	if count != writers*each || len(seen) != count {
		t.Fatalf("acknowledged %d, reader saw %d; want %d each", count, len(seen), writers*each)
	}
}

// testPeersTakeTurns appends to one stream through two nodes in turn. Each
// node remembers the versions it wrote, so each must notice the other's
// appends: expectedVersion checks, positions and id retries follow the
// stored stream, not a node's memory.
func testPeersTakeTurns(t *testing.T, e *env, peer ports.Storage) {
	ctx := context.Background()
	ns := e.namespace(t)
	nodes := []ports.MessageStore{e.store, peer}
	generated := func() stream.Proposed {
		m := msg("T", map[string]int{})
		m.GeneratedID = true
		return m
	}
	for turn := range 6 {
		node := nodes[turn%2]
		if turn > 0 {
			stale := stream.ExactVersion(int64(turn) - 2) // what this node wrote last
			_, err := node.Append(ctx, ns, stream.Append{Stream: "turns-1", Messages: []stream.Proposed{generated()}, ExpectedVersion: stale})
			var conflict *stream.VersionConflictError
			if !errors.As(err, &conflict) || conflict.Actual != int64(turn)-1 {
				t.Fatalf("turn %d: append expecting the node's own last version = %v, want a conflict at %d", turn, err, turn-1)
			}
		}
		res, err := node.Append(ctx, ns, stream.Append{Stream: "turns-1", Messages: []stream.Proposed{generated()}, ExpectedVersion: stream.ExactVersion(int64(turn) - 1)})
		if err != nil || res.Position != int64(turn) {
			t.Fatalf("turn %d: append = %+v, %v; want position %d", turn, res, err, turn)
		}
	}
	// A message written through one node, retried through the other.
	m := msg("T", map[string]int{})
	first := appendOne(t, nodes[0], ns, "turns-2", m)
	appendOne(t, nodes[1], ns, "turns-3", msg("T", map[string]int{}))
	if again := appendOne(t, nodes[1], ns, "turns-2", m); again != first {
		t.Fatalf("retry through the other node = %+v, want the original %+v", again, first)
	}
	got := readAll(t, e.store, ns, "turns-1")
	if len(got) != 6 {
		t.Fatalf("turns-1 holds %d messages, want 6", len(got))
	}
	for i, m := range got {
		if m.Position != int64(i) || (i > 0 && m.GlobalPosition <= got[i-1].GlobalPosition) {
			t.Fatalf("message %d at position %d, global %d: positions out of order", i, m.Position, m.GlobalPosition)
		}
	}
}
