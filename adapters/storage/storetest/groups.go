package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// The contract of ports.GroupStore (PROTOCOL.md §8): definitions, members'
// checkpoints, leases and lag, on one node and on two sharing a database.

// groupStore returns the store's GroupStore, or skips the test.
func groupStore(t *testing.T, s ports.Storage) ports.GroupStore {
	t.Helper()
	gs, ok := s.(ports.GroupStore)
	if !ok {
		t.Skip("the store does not implement ports.GroupStore")
	}
	return gs
}

// groupNow is a time as the stores keep it (UTC, whole microseconds).
func groupNow() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func newGroup(name, category string, size, start int64) group.Group {
	return group.Group{
		Name:       name,
		Definition: group.Definition{Category: category, Size: size},
		Start:      start,
		CreatedAt:  groupNow(),
	}
}

func createGroup(t *testing.T, gs ports.GroupStore, ns string, g group.Group) group.Group {
	t.Helper()
	stored, created, err := gs.CreateGroup(context.Background(), ns, g)
	if err != nil || !created {
		t.Fatalf("CreateGroup(%s) = %v, %v", g.Name, created, err)
	}
	return stored
}

func checkpoints(t *testing.T, gs ports.GroupStore, ns, name string) []int64 {
	t.Helper()
	members, err := gs.Members(context.Background(), ns, name)
	if err != nil {
		t.Fatalf("Members(%s): %v", name, err)
	}
	out := make([]int64, len(members))
	for i, m := range members {
		if m.Member != int64(i) {
			t.Fatalf("Members(%s)[%d] is member %d", name, i, m.Member)
		}
		out[i] = m.Checkpoint
	}
	return out
}

func testGroups(t *testing.T, e *env) {
	gs := groupStore(t, e.store)
	t.Run("create, read, list, count, delete", func(t *testing.T) { t.Parallel(); testGroupDefinitions(t, e, gs) })
	t.Run("acks move checkpoints forward only", func(t *testing.T) { t.Parallel(); testGroupAcks(t, e, gs) })
	t.Run("reset one member or all", func(t *testing.T) { t.Parallel(); testGroupReset(t, e, gs) })
	t.Run("leases", func(t *testing.T) { t.Parallel(); testGroupLeases(t, e, gs) })
	t.Run("lag is counted over each member's share", func(t *testing.T) { t.Parallel(); testGroupLag(t, e, []ports.GroupStore{gs}) })
	t.Run("concurrent acks never move a checkpoint back", func(t *testing.T) {
		t.Parallel()
		testConcurrentAcks(t, e, []ports.GroupStore{gs})
	})
	t.Run("racing joins never lease a member twice", func(t *testing.T) {
		t.Parallel()
		testRacingJoins(t, e, []ports.GroupStore{gs})
	})
	t.Run("missing namespaces and groups", func(t *testing.T) { t.Parallel(); testGroupsMissing(t, e, gs) })
	t.Run("a cleared namespace has no groups", func(t *testing.T) { t.Parallel(); testGroupsCleared(t, e, gs) })
}

// testGroupsTwoNodes runs the concurrent cases with half the work on a second
// store on the same database.
func testGroupsTwoNodes(t *testing.T, e *env, peer ports.Storage) {
	gs := groupStore(t, e.store)
	nodes := []ports.GroupStore{gs, groupStore(t, peer)}
	t.Run("concurrent acks never move a checkpoint back", func(t *testing.T) { t.Parallel(); testConcurrentAcks(t, e, nodes) })
	t.Run("racing joins never lease a member twice", func(t *testing.T) { t.Parallel(); testRacingJoins(t, e, nodes) })
	t.Run("lag is the same from either node", func(t *testing.T) { t.Parallel(); testGroupLag(t, e, nodes) })
	t.Run("racing creates store one group", func(t *testing.T) {
		t.Parallel()
		ns := e.namespace(t)
		results := make(chan bool, 20)
		errs := make(chan error, 20)
		for i := range 20 {
			go func() {
				_, created, err := nodes[i%2].CreateGroup(context.Background(), ns, newGroup("race", "account", 3, 0))
				results <- created
				errs <- err
			}()
		}
		createdCount := 0
		for range 20 {
			if <-results {
				createdCount++
			}
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if createdCount != 1 {
			t.Fatalf("%d creates reported creating the group, want 1", createdCount)
		}
		if cps := checkpoints(t, nodes[1], ns, "race"); len(cps) != 3 {
			t.Fatalf("the group has %d members, want 3", len(cps))
		}
	})
}

func testGroupDefinitions(t *testing.T, e *env, gs ports.GroupStore) {
	ctx := context.Background()
	ns := e.namespace(t)
	if n, err := gs.CountGroups(ctx, ns); err != nil || n != 0 {
		t.Fatalf("CountGroups of a new namespace = %d, %v", n, err)
	}
	if list, err := gs.Groups(ctx, ns); err != nil || len(list) != 0 {
		t.Fatalf("Groups of a new namespace = %v, %v", list, err)
	}
	end := group.StartAt{Kind: group.End}
	billing := newGroup("billing", "account", 3, 7)
	billing.Correlation, billing.StartAt = "workflow", end
	stored := createGroup(t, gs, ns, billing)
	if stored.Name != "billing" || stored.Definition != billing.Definition || stored.Start != 7 || !stored.CreatedAt.Equal(billing.CreatedAt) {
		t.Fatalf("CreateGroup stored %+v, want %+v", stored, billing)
	}
	// Creating it again stores nothing and returns what is stored, whatever
	// the second definition says.
	again := newGroup("billing", "order", 1, 0)
	got, created, err := gs.CreateGroup(ctx, ns, again)
	if err != nil || created || got.Definition != billing.Definition || got.Start != 7 || !got.CreatedAt.Equal(billing.CreatedAt) {
		t.Fatalf("CreateGroup again = %+v, %v, %v; want the stored group, not created", got, created, err)
	}
	createGroup(t, gs, ns, newGroup("audit", "account", 1, 0))
	createGroup(t, gs, ns, newGroup("zeta-1", "order", 2, 0))

	if g, err := gs.Group(ctx, ns, "billing"); err != nil || g.Definition != billing.Definition || g.Start != 7 {
		t.Fatalf("Group(billing) = %+v, %v", g, err)
	}
	list, err := gs.Groups(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range list {
		names = append(names, g.Name)
	}
	if fmt.Sprint(names) != "[audit billing zeta-1]" {
		t.Fatalf("Groups = %v, want sorted by name", names)
	}
	if n, err := gs.CountGroups(ctx, ns); err != nil || n != 3 {
		t.Fatalf("CountGroups = %d, %v; want 3", n, err)
	}
	members, err := gs.Members(ctx, ns, "billing")
	if err != nil || len(members) != 3 {
		t.Fatalf("Members = %+v, %v", members, err)
	}
	for i, m := range members {
		if m.Member != int64(i) || m.Checkpoint != 7 || m.UpdatedAt != nil || m.Lease.ID != "" || m.Lag != 0 {
			t.Fatalf("new member %d = %+v, want checkpoint 7, never updated, no lease", i, m)
		}
	}
	if m, err := gs.Member(ctx, ns, "billing", 2); err != nil || m.Member != 2 || m.Checkpoint != 7 {
		t.Fatalf("Member(2) = %+v, %v", m, err)
	}

	if err := gs.DeleteGroup(ctx, ns, "billing"); err != nil {
		t.Fatal(err)
	}
	if err := gs.DeleteGroup(ctx, ns, "billing"); !errors.Is(err, group.ErrNotFound) {
		t.Fatalf("deleting it twice: %v, want group.ErrNotFound", err)
	}
	if _, err := gs.Group(ctx, ns, "billing"); !errors.Is(err, group.ErrNotFound) {
		t.Fatalf("Group after delete: %v", err)
	}
	if _, err := gs.Members(ctx, ns, "billing"); !errors.Is(err, group.ErrNotFound) {
		t.Fatalf("Members after delete: %v", err)
	}
	// A new group of the name starts afresh.
	fresh := createGroup(t, gs, ns, newGroup("billing", "account", 2, 0))
	if fresh.Size != 2 || fmt.Sprint(checkpoints(t, gs, ns, "billing")) != "[0 0]" {
		t.Fatalf("re-created group = %+v, checkpoints %v", fresh, checkpoints(t, gs, ns, "billing"))
	}
}

func testGroupAcks(t *testing.T, e *env, gs ports.GroupStore) {
	ctx := context.Background()
	ns := e.namespace(t)
	createGroup(t, gs, ns, newGroup("g", "account", 2, 0))
	at := groupNow()
	steps := []struct {
		member, pos, want int64
		moved             bool
	}{
		{member: 0, pos: 5, want: 5, moved: true},
		{member: 0, pos: 9, want: 9, moved: true},
		{member: 0, pos: 3, want: 9}, // a lower ack answers the current checkpoint
		{member: 0, pos: 9, want: 9},
		{member: 1, pos: 0, want: 0}, // at the start already: nothing moves
		{member: 1, pos: 2, want: 2, moved: true},
	}
	for i, s := range steps {
		at = at.Add(time.Second)
		m, err := gs.Ack(ctx, ns, "g", group.Ack{Member: s.member, Position: s.pos, At: at})
		if err != nil || m.Member != s.member || m.Checkpoint != s.want {
			t.Fatalf("step %d: Ack(%d, %d) = %+v, %v; want checkpoint %d", i, s.member, s.pos, m, err, s.want)
		}
		if s.moved && (m.UpdatedAt == nil || !m.UpdatedAt.Equal(at)) {
			t.Fatalf("step %d: updatedAt = %v, want %s", i, m.UpdatedAt, at)
		}
		if !s.moved && m.UpdatedAt != nil && m.UpdatedAt.Equal(at) {
			t.Fatalf("step %d: an ack that moved nothing set updatedAt", i)
		}
	}
	if got := fmt.Sprint(checkpoints(t, gs, ns, "g")); got != "[9 2]" {
		t.Fatalf("checkpoints = %s, want [9 2]", got)
	}
}

func testGroupReset(t *testing.T, e *env, gs ports.GroupStore) {
	ctx := context.Background()
	ns := e.namespace(t)
	createGroup(t, gs, ns, newGroup("g", "account", 3, 0))
	at := groupNow()
	for m := range int64(3) {
		if _, err := gs.Ack(ctx, ns, "g", group.Ack{Member: m, Position: 10 + m, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	steps := []struct {
		reset group.Reset
		want  string
	}{
		{group.Reset{Member: 1, Position: 4}, "[10 4 12]"}, // back
		{group.Reset{Member: 1, Position: 20}, "[10 20 12]"},
		{group.Reset{Member: group.AllMembers, Position: 0}, "[0 0 0]"}, // replay everything
		{group.Reset{Member: group.AllMembers, Position: 6}, "[6 6 6]"},
	}
	for i, s := range steps {
		s.reset.At = at.Add(time.Duration(i+1) * time.Second)
		if err := gs.Reset(ctx, ns, "g", s.reset); err != nil {
			t.Fatalf("step %d: Reset: %v", i, err)
		}
		if got := fmt.Sprint(checkpoints(t, gs, ns, "g")); got != s.want {
			t.Fatalf("step %d: checkpoints = %s, want %s", i, got, s.want)
		}
		m, err := gs.Member(ctx, ns, "g", 0)
		if err != nil {
			t.Fatal(err)
		}
		if s.reset.Member == group.AllMembers && (m.UpdatedAt == nil || !m.UpdatedAt.Equal(s.reset.At)) {
			t.Fatalf("step %d: a reset of every member left member 0 updated at %v", i, m.UpdatedAt)
		}
	}
	// Acks go on forward from a reset.
	if m, err := gs.Ack(ctx, ns, "g", group.Ack{Member: 2, Position: 5, At: at}); err != nil || m.Checkpoint != 6 {
		t.Fatalf("ack below a reset checkpoint = %+v, %v; want 6", m, err)
	}
}

func testGroupLeases(t *testing.T, e *env, gs ports.GroupStore) {
	ctx := context.Background()
	ns := e.namespace(t)
	createGroup(t, gs, ns, newGroup("g", "account", 2, 0))
	now := groupNow()
	ttl := 10 * time.Second
	join := func(at time.Time) (group.Member, error) {
		return gs.Join(ctx, ns, "g", group.NewLease(uuid.NewString(), at, ttl), at)
	}
	a, err := join(now)
	if err != nil || a.Member != 0 || !a.Lease.ExpiresAt.Equal(now.Add(ttl)) || a.Lease.TTL != ttl {
		t.Fatalf("first join = %+v, %v; want member 0 until %s", a, err, now.Add(ttl))
	}
	b, err := join(now)
	if err != nil || b.Member != 1 || b.Lease.ID == a.Lease.ID {
		t.Fatalf("second join = %+v, %v; want member 1 with another lease", b, err)
	}
	if _, err := join(now.Add(time.Second)); !errors.Is(err, group.ErrFull) {
		t.Fatalf("third join = %v, want group.ErrFull", err)
	}
	if m, err := gs.Member(ctx, ns, "g", 0); err != nil || m.Lease.ID != a.Lease.ID {
		t.Fatalf("Member(0) = %+v, %v; want it to show its lease", m, err)
	}

	// Renewing and acking with the lease keep it alive, from the time given.
	later := now.Add(8 * time.Second)
	m, err := gs.Renew(ctx, ns, "g", 0, a.Lease.ID, later)
	if err != nil || !m.Lease.ExpiresAt.Equal(later.Add(ttl)) {
		t.Fatalf("Renew = %+v, %v; want it to expire at %s", m, err, later.Add(ttl))
	}
	later = later.Add(8 * time.Second)
	m, err = gs.Ack(ctx, ns, "g", group.Ack{Member: 0, Position: 3, Lease: a.Lease.ID, At: later})
	if err != nil || m.Checkpoint != 3 || !m.Lease.ExpiresAt.Equal(later.Add(ttl)) {
		t.Fatalf("Ack with the lease = %+v, %v; want checkpoint 3 and the lease until %s", m, err, later.Add(ttl))
	}
	// Member 1's lease was not renewed: it has expired, and its member is free.
	if _, err := gs.Renew(ctx, ns, "g", 1, b.Lease.ID, later); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("renewing an expired lease: %v, want group.ErrLeaseExpired", err)
	}
	if _, err := gs.Ack(ctx, ns, "g", group.Ack{Member: 1, Position: 2, Lease: b.Lease.ID, At: later}); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("acking with an expired lease: %v, want group.ErrLeaseExpired", err)
	}
	if cps := fmt.Sprint(checkpoints(t, gs, ns, "g")); cps != "[3 0]" {
		t.Fatalf("checkpoints = %s, want [3 0]: an ack with an expired lease leaves the checkpoint", cps)
	}
	c, err := join(later)
	if err != nil || c.Member != 1 {
		t.Fatalf("join after member 1's lease expired = %+v, %v; want member 1", c, err)
	}
	// The old lease stays invalid even though its member is held again.
	if _, err := gs.Ack(ctx, ns, "g", group.Ack{Member: 1, Position: 2, Lease: b.Lease.ID, At: later}); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("acking with a lease whose member was taken over: %v", err)
	}
	// A lease is its member's only: another member's lease does not do.
	if _, err := gs.Renew(ctx, ns, "g", 1, a.Lease.ID, later); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("renewing member 1 with member 0's lease: %v", err)
	}
	// An ack without a lease needs none.
	if m, err := gs.Ack(ctx, ns, "g", group.Ack{Member: 1, Position: 1, At: later}); err != nil || m.Checkpoint != 1 {
		t.Fatalf("ack without a lease = %+v, %v", m, err)
	}
	// At its expiry time exactly, a lease is over.
	if _, err := gs.Renew(ctx, ns, "g", 1, c.Lease.ID, c.Lease.ExpiresAt); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("renewing at the expiry time: %v, want group.ErrLeaseExpired", err)
	}
}

// testGroupLag checks MembersLag against a count done by hand over the
// whole category, as messages arrive and checkpoints move. With two nodes,
// writes and acks alternate between them and both must agree.
func testGroupLag(t *testing.T, e *env, nodes []ports.GroupStore) {
	ctx := context.Background()
	ns := e.namespace(t)
	stores := []ports.MessageStore{e.store}
	if len(nodes) > 1 {
		stores = append(stores, nodes[1].(ports.MessageStore))
	}
	write := func(n int) {
		for i := range n {
			name := fmt.Sprintf("account-%d", i%13)
			if i%5 == 0 {
				name = "account" // a stream without an id belongs to a member too
			}
			p := msg("Done", map[string]int{"i": i})
			if i%3 == 0 {
				p.Metadata = []byte(fmt.Sprintf(`{"correlationStreamName":"workflow-%d"}`, i))
			}
			if _, err := stores[i%len(stores)].Append(ctx, ns, stream.Append{Stream: name, Messages: []stream.Proposed{p}}); err != nil {
				t.Fatal(err)
			}
			if i%4 == 0 {
				appendOne(t, stores[i%len(stores)], ns, fmt.Sprintf("order-%d", i), msg("Noise", map[string]int{}))
			}
		}
	}
	write(60)
	first := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "account"})
	defs := []group.Group{newGroup("one", "account", 1, 0), newGroup("three", "account", 3, 0), newGroup("corr", "account", 2, 0),
		newGroup("late", "account", 3, first[len(first)/2].GlobalPosition)} // members starting mid-category
	defs[2].Correlation = "workflow"
	for i, g := range defs {
		defs[i] = createGroup(t, nodes[0], ns, g)
	}
	check := func(step string) {
		t.Helper()
		all := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "account"})
		for _, g := range defs {
			for n, gs := range nodes {
				members, err := gs.MembersLag(ctx, ns, g.Name)
				if err != nil {
					t.Fatalf("%s: MembersLag(%s): %v", step, g.Name, err)
				}
				for _, m := range members {
					var want int64
					for i := range all {
						if all[i].GlobalPosition > m.Checkpoint && g.InShare(&all[i], m.Member) {
							want++
						}
					}
					if m.Lag != want {
						t.Fatalf("%s: node %d: group %s member %d at %d has lag %d, counted %d by hand",
							step, n, g.Name, m.Member, m.Checkpoint, m.Lag, want)
					}
				}
			}
		}
	}
	check("created")
	all := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "account"})
	at := groupNow()
	for i, g := range defs {
		for m := range g.Size {
			pos := all[(int(m)*7+i*11)%len(all)].GlobalPosition
			if _, err := nodes[int(m)%len(nodes)].Ack(ctx, ns, g.Name, group.Ack{Member: m, Position: pos, At: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("acked")
	write(45)
	check("more written")
	for i, g := range defs {
		last := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "account"})
		for m := range g.Size {
			pos := last[(int(m)*5+i*3+40)%len(last)].GlobalPosition
			if _, err := nodes[(int(m)+1)%len(nodes)].Ack(ctx, ns, g.Name, group.Ack{Member: m, Position: pos, At: at}); err != nil {
				t.Fatal(err)
			}
		}
	}
	check("acked again")
	if err := nodes[0].Reset(ctx, ns, "three", group.Reset{Member: 1, Position: all[3].GlobalPosition, At: at}); err != nil {
		t.Fatal(err)
	}
	if err := nodes[len(nodes)-1].Reset(ctx, ns, "corr", group.Reset{Member: group.AllMembers, Position: 0, At: at}); err != nil {
		t.Fatal(err)
	}
	check("reset")
	last := readCategory(t, e.store, ns, ports.CategoryQuery{Category: "account"})
	if err := nodes[0].Reset(ctx, ns, "one", group.Reset{Member: group.AllMembers, Position: last[len(last)-1].GlobalPosition, At: at}); err != nil {
		t.Fatal(err)
	}
	check("caught up")
	// A group of a category that has no messages has no lag.
	createGroup(t, nodes[0], ns, newGroup("empty", "nothing", 2, 0))
	if members, err := nodes[len(nodes)-1].MembersLag(ctx, ns, "empty"); err != nil || len(members) != 2 || members[0].Lag+members[1].Lag != 0 {
		t.Fatalf("MembersLag of an empty category = %+v, %v", members, err)
	}
}

// testConcurrentAcks acks one member from many goroutines (spread over the
// nodes) while a reader watches: the checkpoint it sees never decreases and
// ends at the highest position acked.
func testConcurrentAcks(t *testing.T, e *env, nodes []ports.GroupStore) {
	ctx := context.Background()
	ns := e.namespace(t)
	for i := range 40 {
		appendOne(t, e.store, ns, fmt.Sprintf("account-%d", i%4), msg("Done", map[string]int{"i": i}))
	}
	createGroup(t, nodes[0], ns, newGroup("g", "account", 1, 0))
	const ackers, each = 8, 25
	done := make(chan struct{})
	watched := make(chan error, 1)
	go func() {
		last := int64(0)
		for {
			select {
			case <-done:
				watched <- nil
				return
			default:
			}
			m, err := nodes[len(nodes)-1].Member(ctx, ns, "g", 0)
			if err != nil {
				watched <- err
				return
			}
			if m.Checkpoint < last {
				watched <- fmt.Errorf("the checkpoint moved back from %d to %d", last, m.Checkpoint)
				return
			}
			last = m.Checkpoint
		}
	}()
	errs := make(chan error, ackers*each)
	finished := make(chan struct{})
	for a := range ackers {
		go func() {
			defer func() { finished <- struct{}{} }()
			for i := range each {
				pos := int64((a*7+i*13)%40 + 1)
				m, err := nodes[(a+i)%len(nodes)].Ack(ctx, ns, "g", group.Ack{Member: 0, Position: pos, At: groupNow()})
				if err != nil {
					errs <- err
					return
				}
				if m.Checkpoint < pos {
					errs <- fmt.Errorf("ack of %d answered checkpoint %d", pos, m.Checkpoint)
					return
				}
			}
		}()
	}
	for range ackers {
		<-finished
	}
	close(done)
	if err := <-watched; err != nil {
		t.Fatal(err)
	}
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := checkpoints(t, nodes[0], ns, "g"); got[0] != 40 {
		t.Fatalf("checkpoint after the acks = %d, want 40 (the highest acked)", got[0])
	}
	members, err := nodes[0].MembersLag(ctx, ns, "g")
	if err != nil || members[0].Lag != 0 {
		t.Fatalf("lag after acking everything = %+v, %v; want 0", members, err)
	}
}

// testRacingJoins has many workers join a group of 3 at once (spread over
// the nodes): exactly three get a member, each a different one, the rest
// hear ErrFull; after the leases expire, three more get them.
func testRacingJoins(t *testing.T, e *env, nodes []ports.GroupStore) {
	ctx := context.Background()
	ns := e.namespace(t)
	createGroup(t, nodes[0], ns, newGroup("g", "account", 3, 0))
	now := groupNow()
	round := func(at time.Time) map[int64]string {
		t.Helper()
		const workers = 12
		type result struct {
			m   group.Member
			err error
		}
		results := make(chan result, workers)
		for w := range workers {
			go func() {
				m, err := nodes[w%len(nodes)].Join(ctx, ns, "g", group.NewLease(uuid.NewString(), at, time.Minute), at)
				results <- result{m, err}
			}()
		}
		held := map[int64]string{}
		for range workers {
			r := <-results
			switch {
			case errors.Is(r.err, group.ErrFull):
			case r.err != nil:
				t.Fatalf("join: %v", r.err)
			case held[r.m.Member] != "":
				t.Fatalf("member %d was leased twice: %s and %s", r.m.Member, held[r.m.Member], r.m.Lease.ID)
			default:
				held[r.m.Member] = r.m.Lease.ID
			}
		}
		if len(held) != 3 {
			t.Fatalf("%d members leased, want 3: %v", len(held), held)
		}
		members, err := nodes[len(nodes)-1].Members(ctx, ns, "g")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range members {
			if m.Lease.ID != held[m.Member] {
				t.Fatalf("member %d holds lease %q, but %q was handed out", m.Member, m.Lease.ID, held[m.Member])
			}
		}
		return held
	}
	first := round(now)
	second := round(now.Add(time.Minute)) // every lease of the first round expired
	for m, lease := range second {
		if first[m] == lease {
			t.Fatalf("member %d kept lease %s across rounds", m, lease)
		}
	}
}

func testGroupsMissing(t *testing.T, e *env, gs ports.GroupStore) {
	ctx := context.Background()
	ns := e.namespace(t)
	missingNS := "missing" + randomHex(4)
	now := groupNow()
	lease := group.NewLease("l", now, time.Minute)
	calls := map[string]func(ns string) error{
		"CreateGroup": func(ns string) error { _, _, err := gs.CreateGroup(ctx, ns, newGroup("g", "a", 1, 0)); return err },
		"Groups":      func(ns string) error { _, err := gs.Groups(ctx, ns); return err },
		"CountGroups": func(ns string) error { _, err := gs.CountGroups(ctx, ns); return err },
	}
	named := map[string]func(ns string) error{
		"Group":       func(ns string) error { _, err := gs.Group(ctx, ns, "nope"); return err },
		"DeleteGroup": func(ns string) error { return gs.DeleteGroup(ctx, ns, "nope") },
		"Member":      func(ns string) error { _, err := gs.Member(ctx, ns, "nope", 0); return err },
		"Members":     func(ns string) error { _, err := gs.Members(ctx, ns, "nope"); return err },
		"MembersLag":  func(ns string) error { _, err := gs.MembersLag(ctx, ns, "nope"); return err },
		"Ack":         func(ns string) error { _, err := gs.Ack(ctx, ns, "nope", group.Ack{At: now}); return err },
		"Reset": func(ns string) error {
			return gs.Reset(ctx, ns, "nope", group.Reset{Member: group.AllMembers, At: now})
		},
		"Join":  func(ns string) error { _, err := gs.Join(ctx, ns, "nope", lease, now); return err },
		"Renew": func(ns string) error { _, err := gs.Renew(ctx, ns, "nope", 0, "l", now); return err },
	}
	for name, call := range named {
		if err := call(ns); !errors.Is(err, group.ErrNotFound) {
			t.Errorf("%s of a missing group: %v, want group.ErrNotFound", name, err)
		}
		calls[name] = call
	}
	for name, call := range calls {
		if err := call(missingNS); !errors.Is(err, namespace.ErrNotFound) {
			t.Errorf("%s in a missing namespace: %v, want namespace.ErrNotFound", name, err)
		}
	}
	// Groups are the namespace's own.
	other := e.namespace(t)
	createGroup(t, gs, other, newGroup("mine", "a", 1, 0))
	if _, err := gs.Group(ctx, ns, "mine"); !errors.Is(err, group.ErrNotFound) {
		t.Fatalf("another namespace's group: %v, want group.ErrNotFound", err)
	}
}

func testGroupsCleared(t *testing.T, e *env, gs ports.GroupStore) {
	c, ok := e.store.(ports.Clearer)
	if !ok {
		t.Skip("the store does not implement ports.Clearer")
	}
	ctx := context.Background()
	ns := e.namespace(t)
	appendOne(t, e.store, ns, "account-1", msg("Done", map[string]int{}))
	createGroup(t, gs, ns, newGroup("g", "account", 2, 0))
	if _, err := c.Clear(ctx, ns); err != nil {
		t.Fatal(err)
	}
	if n, err := gs.CountGroups(ctx, ns); err != nil || n != 0 {
		t.Fatalf("CountGroups after Clear = %d, %v; want 0", n, err)
	}
	createGroup(t, gs, ns, newGroup("g", "account", 1, 0))
	if members, err := gs.MembersLag(ctx, ns, "g"); err != nil || members[0].Lag != 0 {
		t.Fatalf("lag of a group created after Clear = %+v, %v; want 0", members, err)
	}
}
