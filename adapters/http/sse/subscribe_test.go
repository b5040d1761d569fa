package sse_test

import (
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/eventodb/eventodb/domain/partition"
)

// The whole backlog arrives, in order, across many pages, then live writes.
func TestStreamBacklogThenLive(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		pageSize int
		stream   string
	}{
		{"default page size", 1000, "account-1"},
		{"small pages", 7, "account-2"},
		{"a name JSON must escape", 100, `ac"c\ount-ü+1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOptions{pageSize: tc.pageSize})
			const backlog = 1203
			first := e.write(t, e.ns, tc.stream, 1000)
			e.write(t, e.ns, "other-1", 5)
			e.write(t, e.ns, tc.stream, backlog-1000)

			c := e.subscribe(t, "stream="+url.QueryEscape(tc.stream), nil)
			got := c.pokes(t, backlog)
			for i, p := range got {
				if p.Stream != tc.stream || p.Position != int64(i) {
					t.Fatalf("poke %d = %+v, want %s position %d", i, p, tc.stream, i)
				}
				if i > 0 && p.GlobalPosition <= got[i-1].GlobalPosition {
					t.Fatalf("poke %d global position %d after %d", i, p.GlobalPosition, got[i-1].GlobalPosition)
				}
			}
			if got[0].GlobalPosition != first.GlobalPosition {
				t.Fatalf("first poke at global %d, want %d", got[0].GlobalPosition, first.GlobalPosition)
			}

			for i := range 3 {
				e.write(t, e.ns, "other-1", 1)
				live := e.write(t, e.ns, tc.stream, 1)
				p := c.pokes(t, 1)[0]
				want := poke{Stream: tc.stream, Position: int64(backlog + i), GlobalPosition: live.GlobalPosition}
				if p != want {
					t.Fatalf("live poke = %+v, want %+v", p, want)
				}
			}
		})
	}
}

func TestStreamPosition(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.write(t, e.ns, "account-1", 5)
	c := e.subscribe(t, "stream=account-1&position=3", nil)
	got := c.pokes(t, 2)
	if got[0].Position != 3 || got[1].Position != 4 {
		t.Fatalf("pokes from position 3 = %+v", got)
	}
	// Past the end: nothing until a write reaches the position.
	c2 := e.subscribe(t, "stream=account-1&position=6", nil)
	e.write(t, e.ns, "account-1", 2)
	if p := c2.pokes(t, 1)[0]; p.Position != 6 {
		t.Fatalf("first poke from position 6 = %+v", p)
	}
	if p := c.pokes(t, 2); p[0].Position != 5 || p[1].Position != 6 {
		t.Fatalf("live pokes = %+v", p)
	}
}

// Last-Event-ID resumes after that global position and wins over position.
func TestLastEventIDResumes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.write(t, e.ns, "account-1", 3)
	e.write(t, e.ns, "account-2", 2)
	mid := e.write(t, e.ns, "account-1", 3) // positions 3..5
	e.write(t, e.ns, "account-2", 2)
	last := mid.GlobalPosition + 1 // account-1 position 4

	for _, tc := range []struct {
		query string
		first poke
		count int
	}{
		{"stream=account-1&position=0", poke{"account-1", 5, last + 1}, 1},
		{"category=account&position=0", poke{"account-1", 5, last + 1}, 3},
		{"all=true&position=1", poke{"account-1", 5, last + 1}, 3},
	} {
		c := e.subscribe(t, tc.query, http.Header{"Last-Event-Id": {strconv.FormatInt(last, 10)}})
		got := c.pokes(t, tc.count)
		if got[0] != tc.first {
			t.Fatalf("%s after Last-Event-ID %d: first poke %+v, want %+v", tc.query, last, got[0], tc.first)
		}
		for i := 1; i < len(got); i++ {
			if got[i].GlobalPosition <= got[i-1].GlobalPosition {
				t.Fatalf("%s: pokes out of order: %+v", tc.query, got)
			}
		}
	}
}

// A stream subscription resumed at its stream's newest message waits through
// wake-ups from other streams and then pokes the stream's next message.
func TestLastEventIDAtTheEndOfAStream(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	end := e.write(t, e.ns, "ledger-1", 4) // positions 0..3
	last := end.GlobalPosition + 3
	c := e.subscribe(t, "stream=ledger-1", http.Header{"Last-Event-Id": {strconv.FormatInt(last, 10)}})
	e.write(t, e.ns, "other-1", 3) // wakes the subscription, nothing for it
	next := e.write(t, e.ns, "ledger-1", 1)
	if p := c.pokes(t, 1)[0]; p != (poke{"ledger-1", 4, next.GlobalPosition}) {
		t.Fatalf("first poke after resuming at the end = %+v, want position 4 at %d", p, next.GlobalPosition)
	}
}

func TestCategory(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	a := e.write(t, e.ns, "account-1", 1)
	e.write(t, e.ns, "accounting-1", 1)
	b := e.write(t, e.ns, "account-2", 1)

	c := e.subscribe(t, "category=account", nil)
	got := c.pokes(t, 2)
	if got[0] != (poke{"account-1", 0, a.GlobalPosition}) || got[1] != (poke{"account-2", 0, b.GlobalPosition}) {
		t.Fatalf("category backlog = %+v", got)
	}
	// position is a global position.
	c2 := e.subscribe(t, "category=account&position="+strconv.FormatInt(b.GlobalPosition, 10), nil)
	if p := c2.pokes(t, 1)[0]; p.GlobalPosition != b.GlobalPosition {
		t.Fatalf("category from global %d: %+v", b.GlobalPosition, p)
	}
	e.write(t, e.ns, "other-3", 1)
	live := e.write(t, e.ns, "account-3", 1)
	for _, sub := range []*client{c, c2} {
		if p := sub.pokes(t, 1)[0]; p != (poke{"account-3", 0, live.GlobalPosition}) {
			t.Fatalf("live category poke = %+v", p)
		}
	}
}

func TestConsumerGroup(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	var streams []string
	for i := range 24 {
		streams = append(streams, "order-"+strconv.Itoa(i))
	}
	for _, s := range streams[:12] {
		e.write(t, e.ns, s, 1)
	}
	const size = 3
	member := func(s string) int64 { return partition.MemberOf(partition.Hash64(partition.Key(s)), size) }

	for _, query := range []string{"consumer=1&size=3", "consumerGroupMember=1&consumerGroupSize=3"} {
		t.Run(query, func(t *testing.T) {
			c := e.subscribe(t, "category=order&"+query, nil)
			var want []string
			for _, s := range streams {
				if member(s) == 1 {
					want = append(want, s)
				}
			}
			var backlog int
			for _, s := range streams[:12] {
				if member(s) == 1 {
					backlog++
				}
			}
			got := c.pokes(t, backlog)
			for i, p := range got {
				if p.Stream != want[i] {
					t.Fatalf("poke %d for %s, want %s (member 1 of 3 owns %v)", i, p.Stream, want[i], want)
				}
			}
			c.close()
		})
	}
	// Live: only the member's streams, still in order.
	c := e.subscribe(t, "category=order&consumer=1&size=3&position=0", nil)
	var want []string
	for _, s := range streams {
		if member(s) == 1 {
			want = append(want, s)
		}
	}
	for _, s := range streams[12:] {
		e.write(t, e.ns, s, 1)
	}
	got := c.pokes(t, len(want))
	for i, p := range got {
		if p.Stream != want[i] {
			t.Fatalf("poke %d for %s, want %s", i, p.Stream, want[i])
		}
	}
}

func TestAll(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	other := "o" + randomHex(6)
	if _, err := e.namespaces.Create(t.Context(), other, "", ""); err != nil {
		t.Fatal(err)
	}
	a := e.write(t, e.ns, "account-1", 1)
	e.write(t, other, "account-1", 1)
	b := e.write(t, e.ns, "order-1", 2)
	c := e.subscribe(t, "all=true", nil)
	want := []poke{{"account-1", 0, a.GlobalPosition}, {"order-1", 0, b.GlobalPosition}, {"order-1", 1, b.GlobalPosition + 1}}
	for i, p := range c.pokes(t, 3) {
		if p != want[i] {
			t.Fatalf("all backlog poke %d = %+v, want %+v", i, p, want[i])
		}
	}
	e.write(t, other, "task-1", 3)
	live := e.write(t, e.ns, "task-1", 1)
	if p := c.pokes(t, 1)[0]; p != (poke{"task-1", 0, live.GlobalPosition}) {
		t.Fatalf("live all poke = %+v (another namespace's write leaked?)", p)
	}
	// position is a global position.
	c2 := e.subscribe(t, "all=true&position="+strconv.FormatInt(b.GlobalPosition+1, 10), nil)
	if p := c2.pokes(t, 2); p[0].GlobalPosition != b.GlobalPosition+1 || p[1] != (poke{"task-1", 0, live.GlobalPosition}) {
		t.Fatalf("all from a position = %+v", p)
	}
}
