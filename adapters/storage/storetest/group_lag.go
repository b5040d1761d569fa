package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// GroupLagStore is what RunGroupLag uses of a store.
type GroupLagStore interface {
	ports.MessageStore
	ports.AllReader
	ports.GroupStore
}

// RunGroupLag measures what group.list costs: the lag of 100 groups over
// category "big" of namespace "bench", which the caller has filled (a
// million messages of 1,500,000, some correlated with "workflow"). It
// creates the groups (sizes 1 to 8, one in ten filtered by correlation),
// moves each member to a random checkpoint, calls ready (when set: e.g. to
// log the counting queries' plans), then times the lag of all groups, as
// filled and after 1,000 new messages each time.
func RunGroupLag(b *testing.B, s GroupLagStore, ready func(b *testing.B)) {
	ctx := context.Background()
	head, err := s.LastGlobalPosition(ctx, "bench")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	var groups []group.Group
	for i := range 100 {
		g := group.Group{Name: fmt.Sprintf("g%03d", i), Definition: group.Definition{Category: "big", Size: int64(1 + i%8)}, CreatedAt: time.Now()}
		if i%10 == 9 {
			g.Correlation = "workflow"
		}
		if _, _, err := s.CreateGroup(ctx, "bench", g); err != nil {
			b.Fatal(err)
		}
		groups = append(groups, g)
	}
	b.Logf("created 100 groups (9 tally shapes counted over the category) in %s", time.Since(start).Round(time.Millisecond))
	// Most members near the head, as live consumers are; one in ten far
	// behind. The cost of a lag query does not depend on the lag.
	start = time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	for _, g := range groups {
		for m := range g.Size {
			pos := head - rng.Int64N(100_000)
			if rng.IntN(10) == 0 {
				pos = rng.Int64N(head) + 1
			}
			if _, err := s.Ack(ctx, "bench", g.Name, group.Ack{Member: m, Position: pos, At: time.Now()}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Logf("moved 450 checkpoints from 0 (counting each range once) in %s", time.Since(start).Round(time.Millisecond))
	if ready != nil {
		ready(b)
	}

	lagAll := func() int64 {
		var total int64
		for _, g := range groups {
			members, err := s.MembersLag(ctx, "bench", g.Name)
			if err != nil {
				b.Fatal(err)
			}
			for _, m := range members {
				total += m.Lag
			}
		}
		return total
	}
	b.Logf("total lag of the 100 groups: %d", lagAll())
	b.Run("100 groups", func(b *testing.B) {
		for b.Loop() {
			lagAll()
		}
	})
	b.Run("100 groups after 1000 new messages", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			appendBig(b, s, 1000)
			b.StartTimer()
			lagAll()
		}
	})
}

// appendBig appends n messages to category big, in appends of 100.
func appendBig(b *testing.B, s ports.MessageStore, n int) {
	b.Helper()
	for i := 0; i < n; i += 100 {
		msgs := make([]stream.Proposed, min(100, n-i))
		for j := range msgs {
			msgs[j] = stream.Proposed{ID: uuid.NewString(), Type: "More", Data: []byte(`{}`)}
		}
		if _, err := s.Append(context.Background(), "bench", stream.Append{Stream: fmt.Sprintf("big-%d", i%10000), Messages: msgs}); err != nil {
			b.Fatal(err)
		}
	}
}
