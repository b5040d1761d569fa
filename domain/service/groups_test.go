package service_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// handClock is a clock the test moves by hand, safe for concurrent use.
type handClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *handClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *handClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type groupsEnv struct {
	store  *memory.Store
	groups *service.Groups
	clock  *handClock
	ns     string
}

// newGroupsEnv is the group service over the memory store, with namespace
// "ns" holding 30 messages: account-0..4 (6 each, round robin), every third
// correlated with workflow, and some order noise.
func newGroupsEnv(t *testing.T) *groupsEnv {
	t.Helper()
	clock := &handClock{t: time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)}
	store := memory.New(memory.Options{Clock: clock})
	ctx := context.Background()
	if err := store.Create(ctx, namespace.Record{ID: "ns", CreatedAt: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	ids := &fakeIDs{}
	for i := range 30 {
		p := stream.Proposed{ID: ids.NewID(), Type: "Done", Data: []byte(fmt.Sprintf(`{"i":%d}`, i))}
		if i%3 == 0 {
			p.Metadata = []byte(`{"correlationStreamName":"workflow-1"}`)
		}
		if _, err := store.Append(ctx, "ns", stream.Append{Stream: fmt.Sprintf("account-%d", i%5), Messages: []stream.Proposed{p}}); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			noise := stream.Proposed{ID: ids.NewID(), Type: "Noise", Data: []byte(`{}`)}
			if _, err := store.Append(ctx, "ns", stream.Append{Stream: "order-1", Messages: []stream.Proposed{noise}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	categories := service.NewCategories(store, service.DefaultLimits())
	return &groupsEnv{store: store, groups: service.NewGroups(store, categories, store, clock, ids), clock: clock, ns: "ns"}
}

// fetch collects one group.fetch.
func (e *groupsEnv) fetch(t *testing.T, name string, f service.Fetch) ([]stream.Message, error) {
	t.Helper()
	var out []stream.Message
	err := e.groups.Fetch(context.Background(), e.ns, name, f, func(m *stream.Message) error {
		c := *m // m's payload is only valid during the call
		c.Data, c.Metadata = bytes.Clone(m.Data), bytes.Clone(m.Metadata)
		out = append(out, c)
		return nil
	})
	return out, err
}

// share is what a fetch of member after checkpoint must return, by hand.
func (e *groupsEnv) share(t *testing.T, g group.Group, member, checkpoint int64) []int64 {
	t.Helper()
	var all []stream.Message
	cats := service.NewCategories(e.store, service.DefaultLimits())
	unlimited := int64(stream.Unlimited)
	if err := cats.Get(context.Background(), e.ns, service.CategoryRead{Category: g.Category, BatchSize: &unlimited}, func(msgs []stream.Message) error {
		all = append(all, msgs...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var out []int64
	for i := range all {
		if all[i].GlobalPosition > checkpoint && g.InShare(&all[i], member) {
			out = append(out, all[i].GlobalPosition)
		}
	}
	return out
}

func positions(msgs []stream.Message) []int64 {
	out := make([]int64, len(msgs))
	for i, m := range msgs {
		out[i] = m.GlobalPosition
	}
	return out
}

func TestGroupCreate(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	ctx := context.Background()
	head, _ := e.store.LastGlobalPosition(ctx, e.ns)
	at10, _ := group.AtPosition(10)
	tests := []struct {
		name      string
		group     string
		def       group.Definition
		wantStart int64
		wantErr   error // nil, or what errors.Is must match
		invalid   string
	}{
		{name: "from the beginning", group: "a", def: group.Definition{Category: "account", Size: 1}, wantStart: 0},
		{name: "the same again", group: "a", def: group.Definition{Category: "account", Size: 1}, wantStart: 0},
		{name: "another definition", group: "a", def: group.Definition{Category: "account", Size: 2}, wantErr: group.ErrExists},
		{name: "from the end", group: "b", def: group.Definition{Category: "account", Size: 3, StartAt: group.StartAt{Kind: group.End}}, wantStart: head},
		{name: "from a position", group: "c", def: group.Definition{Category: "account", Size: 2, StartAt: at10}, wantStart: 9},
		{name: "a bad name", group: "", def: group.Definition{Category: "account", Size: 1}, invalid: "groupName"},
		{name: "size 0", group: "d", def: group.Definition{Category: "account"}, invalid: "size"},
		{name: "past the next position", group: "e", def: group.Definition{Category: "account", Size: 1,
			StartAt: group.StartAt{Kind: group.Position, Position: head + 2}}, invalid: "startAt"},
	}
	for _, tt := range tests { // in order: later cases see earlier groups
		g, err := e.groups.Create(ctx, e.ns, tt.group, tt.def)
		var v *stream.ValidationError
		switch {
		case tt.invalid != "":
			if !errors.As(err, &v) || v.Field != tt.invalid {
				t.Errorf("%s: Create = %v, want an invalid %s", tt.name, err, tt.invalid)
			}
		case tt.wantErr != nil:
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("%s: Create = %v, want %v", tt.name, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("%s: Create: %v", tt.name, err)
		case g.Start != tt.wantStart || g.Definition != tt.def || g.Name != tt.group:
			t.Errorf("%s: Create = %+v, want start %d and the definition", tt.name, g, tt.wantStart)
		}
	}
	// "end" is resolved once: created again later, the group keeps its start.
	e.clock.advance(time.Minute)
	writeMore(t, e, 3)
	g, err := e.groups.Create(ctx, e.ns, "b", group.Definition{Category: "account", Size: 3, StartAt: group.StartAt{Kind: group.End}})
	if err != nil || g.Start != head {
		t.Fatalf("creating an 'end' group again = %+v, %v; want start %d", g, err, head)
	}
	if n, err := e.groups.Count(ctx, e.ns); err != nil || n != 3 {
		t.Fatalf("Count = %d, %v; want 3", n, err)
	}
}

func writeMore(t *testing.T, e *groupsEnv, n int) {
	t.Helper()
	for i := range n {
		p := stream.Proposed{ID: fmt.Sprintf("10000000-0000-4000-8000-%012d", time.Now().UnixNano()%1e12+int64(i)), Type: "More", Data: []byte(`{}`)}
		if _, err := e.store.Append(context.Background(), e.ns, stream.Append{Stream: fmt.Sprintf("account-%d", i), Messages: []stream.Proposed{p}}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestGroupFetchAndAck(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	ctx := context.Background()
	g, err := e.groups.Create(ctx, e.ns, "g", group.Definition{Category: "account", Size: 2})
	if err != nil {
		t.Fatal(err)
	}
	for member := range int64(2) {
		want := e.share(t, g, member, 0)
		got, err := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Member: ptr(member)}, BatchSize: ptr[int64](4)})
		if err != nil || fmt.Sprint(positions(got)) != fmt.Sprint(want[:4]) {
			t.Fatalf("member %d: fetch of 4 = %v, %v; want %v", member, positions(got), err, want[:4])
		}
		// A fetch does not move the checkpoint: the same again.
		again, _ := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Member: ptr(member)}, BatchSize: ptr[int64](4)})
		if fmt.Sprint(positions(again)) != fmt.Sprint(want[:4]) {
			t.Fatalf("member %d: second fetch = %v", member, positions(again))
		}
		m, err := e.groups.Ack(ctx, e.ns, "g", service.Ack{Caller: service.Caller{Member: ptr(member)}, GlobalPosition: want[3]})
		if err != nil || m.Checkpoint != want[3] {
			t.Fatalf("member %d: ack = %+v, %v", member, m, err)
		}
		rest, err := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Member: ptr(member)}})
		if err != nil || fmt.Sprint(positions(rest)) != fmt.Sprint(want[4:]) {
			t.Fatalf("member %d: fetch after the ack = %v, %v; want %v", member, positions(rest), err, want[4:])
		}
		// A lower ack leaves the checkpoint and answers it.
		m, err = e.groups.Ack(ctx, e.ns, "g", service.Ack{Caller: service.Caller{Member: ptr(member)}, GlobalPosition: 1})
		if err != nil || m.Checkpoint != want[3] {
			t.Fatalf("member %d: lower ack = %+v, %v", member, m, err)
		}
	}
	head, _ := e.store.LastGlobalPosition(ctx, e.ns)
	bad := []struct {
		name  string
		call  func() error
		field string
	}{
		{"fetch without a member", func() error { _, err := e.fetch(t, "g", service.Fetch{}); return err }, "member"},
		{"fetch of member 2 of 2", func() error {
			_, err := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Member: ptr[int64](2)}})
			return err
		}, "member"},
		{"fetch of a batch too large", func() error {
			_, err := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Member: ptr[int64](0)}, BatchSize: ptr[int64](10001)})
			return err
		}, "batchSize"},
		{"ack past the last position", func() error {
			_, err := e.groups.Ack(ctx, e.ns, "g", service.Ack{Caller: service.Caller{Member: ptr[int64](0)}, GlobalPosition: head + 1})
			return err
		}, "globalPosition"},
		{"negative ack", func() error {
			_, err := e.groups.Ack(ctx, e.ns, "g", service.Ack{Caller: service.Caller{Member: ptr[int64](0)}, GlobalPosition: -1})
			return err
		}, "globalPosition"},
		{"ack of member -1", func() error {
			_, err := e.groups.Ack(ctx, e.ns, "g", service.Ack{Caller: service.Caller{Member: ptr[int64](-1)}, GlobalPosition: 1})
			return err
		}, "member"},
	}
	for _, tt := range bad {
		var v *stream.ValidationError
		if err := tt.call(); !errors.As(err, &v) || v.Field != tt.field {
			t.Errorf("%s: %v, want an invalid %s", tt.name, err, tt.field)
		}
	}
	if _, err := e.fetch(t, "nope", service.Fetch{Caller: service.Caller{Member: ptr[int64](0)}}); !errors.Is(err, group.ErrNotFound) {
		t.Errorf("fetch of a missing group: %v", err)
	}
	if _, err := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Member: ptr[int64](0)}, BatchSize: ptr[int64](0)}); err != nil {
		t.Errorf("fetch of 0: %v", err)
	}
}

func TestGroupCorrelation(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	ctx := context.Background()
	g, err := e.groups.Create(ctx, e.ns, "corr", group.Definition{Category: "account", Size: 1, Correlation: "workflow"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.fetch(t, "corr", service.Fetch{Caller: service.Caller{Member: ptr[int64](0)}})
	want := e.share(t, g, 0, 0)
	if err != nil || len(want) != 10 || fmt.Sprint(positions(got)) != fmt.Sprint(want) {
		t.Fatalf("correlated fetch = %v, %v; want the 10 correlated messages %v", positions(got), err, want)
	}
	st, err := e.groups.Info(ctx, e.ns, "corr")
	if err != nil || st.Lag() != 10 {
		t.Fatalf("lag of the correlated group = %d, %v; want 10", st.Lag(), err)
	}
}

func TestGroupLeases(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	ctx := context.Background()
	g, err := e.groups.Create(ctx, e.ns, "g", group.Definition{Category: "account", Size: 2})
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.groups.Join(ctx, e.ns, "g", 0)
	if err != nil || a.Member != 0 || a.Lease.ID == "" || !a.Lease.ExpiresAt.Equal(e.clock.Now().Add(group.DefaultTTL)) {
		t.Fatalf("join = %+v, %v; want member 0 for the default 30s", a, err)
	}
	b, err := e.groups.Join(ctx, e.ns, "g", 2*time.Second)
	if err != nil || b.Member != 1 {
		t.Fatalf("second join = %+v, %v", b, err)
	}
	if _, err := e.groups.Join(ctx, e.ns, "g", time.Second); !errors.Is(err, group.ErrFull) {
		t.Fatalf("third join: %v, want group.ErrFull", err)
	}
	if _, err := e.groups.Join(ctx, e.ns, "g", time.Millisecond); err == nil {
		t.Fatal("a 1ms lease was accepted")
	}
	// A lease alone names its member: fetch and ack with it renew it.
	want := e.share(t, g, 1, 0)
	e.clock.advance(1500 * time.Millisecond)
	got, err := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Lease: b.Lease.ID}, BatchSize: ptr[int64](2)})
	if err != nil || fmt.Sprint(positions(got)) != fmt.Sprint(want[:2]) {
		t.Fatalf("fetch with the lease = %v, %v; want %v", positions(got), err, want[:2])
	}
	e.clock.advance(1500 * time.Millisecond) // 3s after the join, 1.5s after the renewal
	m, err := e.groups.Ack(ctx, e.ns, "g", service.Ack{Caller: service.Caller{Lease: b.Lease.ID}, GlobalPosition: want[1]})
	if err != nil || m.Member != 1 || m.Checkpoint != want[1] {
		t.Fatalf("ack with the lease = %+v, %v", m, err)
	}
	// A lease and another member's number do not go together.
	if _, err := e.groups.Ack(ctx, e.ns, "g", service.Ack{Caller: service.Caller{Member: ptr[int64](0), Lease: b.Lease.ID}, GlobalPosition: 1}); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("ack of member 0 with member 1's lease: %v", err)
	}
	// Unrenewed for its TTL, the lease expires: the ack is refused and the
	// checkpoint stays; the member is free for the next join.
	e.clock.advance(2 * time.Second)
	if _, err := e.groups.Ack(ctx, e.ns, "g", service.Ack{Caller: service.Caller{Lease: b.Lease.ID}, GlobalPosition: want[3]}); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("ack with an expired lease: %v, want group.ErrLeaseExpired", err)
	}
	if m, _ := e.store.Member(ctx, e.ns, "g", 1); m.Checkpoint != want[1] {
		t.Fatalf("checkpoint after a refused ack = %d, want %d", m.Checkpoint, want[1])
	}
	c, err := e.groups.Join(ctx, e.ns, "g", time.Minute)
	if err != nil || c.Member != 1 {
		t.Fatalf("join after the lease expired = %+v, %v; want member 1", c, err)
	}
	if _, err := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Lease: b.Lease.ID}}); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("fetch with the old lease: %v", err)
	}
	if _, err := e.fetch(t, "g", service.Fetch{Caller: service.Caller{Lease: "never-issued"}}); !errors.Is(err, group.ErrLeaseExpired) {
		t.Fatalf("fetch with an unknown lease: %v", err)
	}
	// The new holder resumes from the checkpoint.
	got, err = e.fetch(t, "g", service.Fetch{Caller: service.Caller{Lease: c.Lease.ID}, BatchSize: ptr[int64](1)})
	if err != nil || len(got) != 1 || got[0].GlobalPosition != want[2] {
		t.Fatalf("new holder's fetch = %v, %v; want %d", positions(got), err, want[2])
	}
}

func TestGroupInfoListResetDelete(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	ctx := context.Background()
	b, err := e.groups.Create(ctx, e.ns, "b", group.Definition{Category: "account", Size: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.groups.Create(ctx, e.ns, "a", group.Definition{Category: "order", Size: 1}); err != nil {
		t.Fatal(err)
	}
	share1 := e.share(t, b, 1, 0)
	if _, err := e.groups.Ack(ctx, e.ns, "b", service.Ack{Caller: service.Caller{Member: ptr[int64](1)}, GlobalPosition: share1[2]}); err != nil {
		t.Fatal(err)
	}
	st, err := e.groups.Info(ctx, e.ns, "b")
	if err != nil || len(st.Members) != 3 {
		t.Fatalf("Info = %+v, %v", st, err)
	}
	var total int64
	for _, m := range st.Members {
		want := int64(len(e.share(t, b, m.Member, m.Checkpoint)))
		if m.Lag != want {
			t.Fatalf("member %d lag %d, want %d", m.Member, m.Lag, want)
		}
		total += want
	}
	if st.Lag() != total || st.Members[1].UpdatedAt == nil || st.Members[0].UpdatedAt != nil {
		t.Fatalf("Info = %+v", st)
	}
	list, err := e.groups.List(ctx, e.ns)
	if err != nil || len(list) != 2 || list[0].Name != "a" || list[1].Name != "b" || list[0].Lag() != 3 {
		t.Fatalf("List = %+v, %v; want a (lag 3) then b", list, err)
	}

	head, _ := e.store.LastGlobalPosition(ctx, e.ns)
	st, err = e.groups.Reset(ctx, e.ns, "b", nil, head)
	if err != nil || st.Lag() != 0 {
		t.Fatalf("reset of all to the end = lag %d, %v", st.Lag(), err)
	}
	st, err = e.groups.Reset(ctx, e.ns, "b", ptr[int64](2), 0)
	if err != nil || st.Members[2].Checkpoint != 0 || st.Members[2].Lag != int64(len(e.share(t, b, 2, 0))) || st.Members[0].Lag != 0 {
		t.Fatalf("reset of member 2 to 0 = %+v, %v", st, err)
	}
	for _, bad := range []struct {
		member *int64
		pos    int64
	}{{ptr[int64](3), 0}, {nil, -1}, {nil, head + 1}} {
		var v *stream.ValidationError
		if _, err := e.groups.Reset(ctx, e.ns, "b", bad.member, bad.pos); !errors.As(err, &v) {
			t.Errorf("Reset(%v, %d) = %v, want a validation error", bad.member, bad.pos, err)
		}
	}

	at, err := e.groups.Delete(ctx, e.ns, "b")
	if err != nil || !at.Equal(e.clock.Now()) {
		t.Fatalf("Delete = %s, %v", at, err)
	}
	if _, err := e.groups.Delete(ctx, e.ns, "b"); !errors.Is(err, group.ErrNotFound) {
		t.Fatalf("second Delete: %v", err)
	}
	if _, err := e.groups.Info(ctx, e.ns, "b"); !errors.Is(err, group.ErrNotFound) {
		t.Fatalf("Info after Delete: %v", err)
	}
}

func TestGroupRestore(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	ctx := context.Background()
	created := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	g := group.Group{Name: "r", Definition: group.Definition{Category: "account", Size: 2, StartAt: group.StartAt{Kind: group.End}}, Start: 5, CreatedAt: created}
	if err := e.groups.Restore(ctx, e.ns, g); err != nil {
		t.Fatal(err)
	}
	if err := e.groups.Restore(ctx, e.ns, g); err != nil {
		t.Fatalf("restoring the same group again: %v", err)
	}
	other := g
	other.Size = 3
	if err := e.groups.Restore(ctx, e.ns, other); !errors.Is(err, group.ErrExists) {
		t.Fatalf("restoring another definition: %v", err)
	}
	if err := e.groups.RestoreCheckpoint(ctx, e.ns, "r", 1, 12, created); err != nil {
		t.Fatal(err)
	}
	st, err := e.groups.Info(ctx, e.ns, "r")
	if err != nil || !st.CreatedAt.Equal(created) || st.Start != 5 || st.Members[0].Checkpoint != 5 || st.Members[1].Checkpoint != 12 ||
		!st.Members[1].UpdatedAt.Equal(created) {
		t.Fatalf("restored = %+v, %v", st, err)
	}
	if err := e.groups.RestoreCheckpoint(ctx, e.ns, "r", 1, 10_000, created); err == nil {
		t.Fatal("a checkpoint past the last position was restored")
	}
}

func TestNamespaceInfoCountsGroups(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	ctx := context.Background()
	for _, name := range []string{"a", "b"} {
		if _, err := e.groups.Create(ctx, e.ns, name, group.Definition{Category: "account", Size: 1}); err != nil {
			t.Fatal(err)
		}
	}
	ns := service.NewNamespaces(e.store, e.store, e.clock).CountGroupsWith(e.store)
	info, err := ns.Info(ctx, e.ns)
	if err != nil || info.GroupCount != 2 || info.MessageCount != 33 {
		t.Fatalf("Info = %+v, %v; want 2 groups and 33 messages", info, err)
	}
}
