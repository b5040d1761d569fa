package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/eventodb/eventodb/client"
)

// writeAccounts writes n messages round-robin to account-1 … account-5 and
// one to other-1 after each fifth, and returns the accounts' new messages
// as category reads return them.
func writeAccounts(t *testing.T, c *client.Client, n int) []client.Message {
	t.Helper()
	ctx := context.Background()
	var first int64
	for i := range n {
		res, err := c.Write(ctx, fmt.Sprintf("account-%d", i%5+1), msg("Deposited", fmt.Sprintf(`{"i":%d}`, i)), nil)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = res.GlobalPosition
		}
		if i%5 == 4 {
			if _, err := c.Write(ctx, "other-1", msg("T", `{}`), nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, err := c.ReadCategory(ctx, "account", &client.CategoryOptions{GlobalPosition: first, BatchSize: client.Unlimited})
	if err != nil || len(all) != n {
		t.Fatalf("ReadCategory = %d messages, %v", len(all), err)
	}
	return all
}

// share reads member's share of a group of size over category, as
// category.get's consumer-group filter splits it.
func share(t *testing.T, c *client.Client, category string, member, size int64) []client.Message {
	t.Helper()
	msgs, err := c.ReadCategory(context.Background(), category, &client.CategoryOptions{BatchSize: client.Unlimited,
		ConsumerGroup: &client.ConsumerGroup{Member: member, Size: size}})
	if err != nil {
		t.Fatal(err)
	}
	return msgs
}

func gpositions(msgs []client.Message) []int64 {
	out := make([]int64, len(msgs))
	for i, m := range msgs {
		out[i] = m.GlobalPosition
	}
	return out
}

func last(msgs []client.Message) int64 { return msgs[len(msgs)-1].GlobalPosition }

// Every group method, on every backend: creation (idempotent), fetches of
// each member's share, forward-only acks, info and lag, listing with and
// without definitions, resets of one member or all, joins and deletion.
func TestGroups(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, id := s.namespace(t)
		ctx := context.Background()
		all := writeAccounts(t, c, 20)
		shares := [][]client.Message{share(t, c, "account", 0, 2), share(t, c, "account", 1, 2)}
		if len(shares[0]) == 0 || len(shares[1]) == 0 {
			t.Fatalf("a member of two has no messages: %d and %d", len(shares[0]), len(shares[1]))
		}

		before := time.Now().Add(-time.Second)
		created, err := c.CreateGroup(ctx, "billing", client.GroupDefinition{Category: "account", Size: 2})
		if err != nil {
			t.Fatal(err)
		}
		if created.Group != "billing" || created.Category != "account" || created.Size != 2 || created.CreatedAt.Before(before) ||
			created.CreatedAt.Location() != time.UTC {
			t.Fatalf("CreateGroup = %+v", created)
		}
		again, err := c.CreateGroup(ctx, "billing", client.GroupDefinition{Category: "account", Size: 2, StartAt: client.StartAtBeginning()})
		if err != nil || *again != *created {
			t.Fatalf("CreateGroup with the same definition = %+v, %v; want %+v", again, err, created)
		}
		if _, err := c.CreateGroup(ctx, "billing", client.GroupDefinition{Category: "account", Size: 3}); !errors.Is(err, client.ErrGroupExists) {
			t.Fatalf("CreateGroup with another size: %v, want ErrGroupExists", err)
		}

		// Each member fetches its share after its checkpoint (0), the same
		// messages as a category read with the consumer group filter.
		for m := range int64(2) {
			got, err := c.FetchGroup(ctx, "billing", client.GroupFetchOptions{Member: m})
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(got) != fmt.Sprint(shares[m]) {
				t.Fatalf("member %d fetched %v\nwant %v", m, gpositions(got), gpositions(shares[m]))
			}
		}
		two, err := c.FetchGroup(ctx, "billing", client.GroupFetchOptions{Member: 0, BatchSize: 2})
		if err != nil || len(two) != 2 || two[0].GlobalPosition != shares[0][0].GlobalPosition || two[0].Stream == "" || two[0].Time.IsZero() {
			t.Fatalf("a fetch of 2 = %+v, %v", two, err)
		}

		// Acks move a checkpoint forward only.
		ack, err := c.AckGroup(ctx, "billing", client.GroupAckOptions{Member: 0, GlobalPosition: two[1].GlobalPosition})
		if err != nil || ack.Member != 0 || ack.Checkpoint != two[1].GlobalPosition {
			t.Fatalf("AckGroup = %+v, %v", ack, err)
		}
		back, err := c.AckGroup(ctx, "billing", client.GroupAckOptions{Member: 0, GlobalPosition: two[0].GlobalPosition})
		if err != nil || back.Checkpoint != two[1].GlobalPosition {
			t.Fatalf("an ack below the checkpoint = %+v, %v; want it left at %d", back, err, two[1].GlobalPosition)
		}
		rest, err := c.FetchGroup(ctx, "billing", client.GroupFetchOptions{Member: 0, BatchSize: client.Unlimited})
		if err != nil || fmt.Sprint(gpositions(rest)) != fmt.Sprint(gpositions(shares[0][2:])) {
			t.Fatalf("after the ack member 0 fetched %v, %v; want %v", gpositions(rest), err, gpositions(shares[0][2:]))
		}

		info, err := c.GroupInfo(ctx, "billing")
		if err != nil {
			t.Fatal(err)
		}
		lag0, lag1 := int64(len(shares[0])-2), int64(len(shares[1]))
		if info.Group != "billing" || info.Category != "account" || info.Size != 2 || !info.CreatedAt.Equal(created.CreatedAt) ||
			info.Lag != lag0+lag1 || len(info.Members) != 2 || info.Definition != nil {
			t.Fatalf("GroupInfo = %+v", info)
		}
		m0, m1 := info.Members[0], info.Members[1]
		if m0.Member != 0 || m0.Checkpoint != two[1].GlobalPosition || m0.Lag != lag0 || m0.UpdatedAt.Before(before) || m0.UpdatedAt.Location() != time.UTC {
			t.Errorf("member 0 = %+v; want checkpoint %d, lag %d, updated now", m0, two[1].GlobalPosition, lag0)
		}
		if m1.Member != 1 || m1.Checkpoint != 0 || m1.Lag != lag1 || !m1.UpdatedAt.IsZero() {
			t.Errorf("member 1 = %+v; want checkpoint 0, lag %d, never updated", m1, lag1)
		}

		// Groups that start at the end, at a position, and read by correlation.
		head := last(all) + 1 // other-1 follows the accounts' last message
		if _, err := c.CreateGroup(ctx, "audit", client.GroupDefinition{Category: "account", StartAt: client.StartAtEnd()}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateGroup(ctx, "replay", client.GroupDefinition{Category: "account", Size: 3, StartAt: client.StartAtPosition(all[10].GlobalPosition)}); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CreateGroup(ctx, "flow", client.GroupDefinition{Category: "account", Correlation: "workflow"}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"audit", "flow"} {
			if got, err := c.FetchGroup(ctx, name, client.GroupFetchOptions{}); err != nil || len(got) != 0 {
				t.Fatalf("%s fetched %v, %v; want nothing yet", name, gpositions(got), err)
			}
		}
		var replayed []int64
		for m := range int64(3) {
			got, err := c.FetchGroup(ctx, "replay", client.GroupFetchOptions{Member: m, BatchSize: client.Unlimited})
			if err != nil {
				t.Fatal(err)
			}
			replayed = append(replayed, gpositions(got)...)
		}
		slices.Sort(replayed)
		if fmt.Sprint(replayed) != fmt.Sprint(gpositions(all[10:])) {
			t.Fatalf("a group from %d fetched %v", all[10].GlobalPosition, replayed)
		}
		correlated, err := c.Write(ctx, "account-9", client.MessageData{Type: "T", Data: json.RawMessage(`{}`),
			Metadata: json.RawMessage(`{"correlationStreamName":"workflow-1"}`)}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string][]int64{"audit": {correlated.GlobalPosition}, "flow": {correlated.GlobalPosition}} {
			if got, err := c.FetchGroup(ctx, name, client.GroupFetchOptions{}); err != nil || fmt.Sprint(gpositions(got)) != fmt.Sprint(want) {
				t.Errorf("%s fetched %v, %v; want %v", name, gpositions(got), err, want)
			}
		}

		list, err := c.ListGroups(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, g := range list {
			names = append(names, g.Group)
			if g.Definition != nil || g.Start != 0 {
				t.Errorf("ListGroups without definitions filled in %s's: %+v", g.Group, g.Definition)
			}
		}
		if want := []string{"audit", "billing", "flow", "replay"}; !slices.Equal(names, want) {
			t.Fatalf("ListGroups = %v, want %v", names, want)
		}
		if info, err = c.GroupInfo(ctx, "billing"); err != nil || list[1].Lag != info.Lag || !slices.Equal(list[1].Members, info.Members) {
			t.Errorf("billing listed as %+v, want as GroupInfo: %+v (%v)", list[1], info, err)
		}
		defs, err := c.ListGroups(ctx, &client.ListGroupsOptions{Definitions: true})
		if err != nil || len(defs) != 4 {
			t.Fatalf("ListGroups with definitions = %+v, %v", defs, err)
		}
		wantDefs := []struct {
			def   client.GroupDefinition
			start int64
		}{
			{client.GroupDefinition{Category: "account", Size: 1, StartAt: client.StartAtEnd()}, head},
			{client.GroupDefinition{Category: "account", Size: 2}, 0},
			{client.GroupDefinition{Category: "account", Size: 1, Correlation: "workflow"}, 0},
			{client.GroupDefinition{Category: "account", Size: 3, StartAt: client.StartAtPosition(all[10].GlobalPosition)}, all[10].GlobalPosition - 1},
		}
		for i, w := range wantDefs {
			if d := defs[i].Definition; d == nil || *d != w.def || defs[i].Start != w.start {
				t.Errorf("%s's definition = %+v, start %d; want %+v, start %d", defs[i].Group, d, defs[i].Start, w.def, w.start)
			}
		}
		// A listed definition creates the same group again.
		if _, err := c.CreateGroup(ctx, "audit", *defs[0].Definition); err != nil {
			t.Errorf("CreateGroup with the listed definition: %v", err)
		}

		// Resets: one member, then all, back or forward. The correlated
		// message joined the category since.
		shares = [][]client.Message{share(t, c, "account", 0, 2), share(t, c, "account", 1, 2)}
		lag1 = int64(len(shares[1]))
		reset, err := c.ResetGroupMember(ctx, "billing", 1, shares[1][0].GlobalPosition)
		if err != nil || reset.Members[1].Checkpoint != shares[1][0].GlobalPosition || reset.Members[1].Lag != lag1-1 ||
			reset.Members[0].Checkpoint != two[1].GlobalPosition || reset.Members[1].UpdatedAt.IsZero() {
			t.Fatalf("ResetGroupMember = %+v, %v", reset, err)
		}
		reset, err = c.ResetGroup(ctx, "billing", 0)
		if err != nil || reset.Lag != int64(len(all)+1) || reset.Members[0].Checkpoint != 0 || reset.Members[1].Checkpoint != 0 {
			t.Fatalf("ResetGroup to 0 = %+v, %v; want lag %d", reset, err, len(all)+1)
		}
		if got, err := c.FetchGroup(ctx, "billing", client.GroupFetchOptions{Member: 0, BatchSize: client.Unlimited}); err != nil || len(got) != len(shares[0]) {
			t.Fatalf("after a reset to 0 member 0 fetched %d, %v; want its whole share again", len(got), err)
		}
		reset, err = c.ResetGroup(ctx, "billing", correlated.GlobalPosition)
		if err != nil || reset.Lag != 0 {
			t.Fatalf("ResetGroup to the end = %+v, %v", reset, err)
		}

		// Joins lease the free members in order.
		var leases []*client.GroupLease
		for range 2 {
			l, err := c.JoinGroup(ctx, "billing", &client.JoinOptions{TTL: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			leases = append(leases, l)
		}
		if leases[0].Member != 0 || leases[1].Member != 1 || leases[0].Lease == "" || leases[0].Lease == leases[1].Lease ||
			leases[0].ExpiresAt.Before(time.Now().Add(50*time.Second)) || leases[0].ExpiresAt.After(time.Now().Add(70*time.Second)) {
			t.Fatalf("joins = %+v, %+v", leases[0], leases[1])
		}
		if _, err := c.JoinGroup(ctx, "billing", nil); !errors.Is(err, client.ErrGroupFull) {
			t.Fatalf("a third join of two members: %v, want ErrGroupFull", err)
		}
		next, err := c.Write(ctx, "account-1", msg("T", `{}`), nil)
		if err != nil {
			t.Fatal(err)
		}
		holder := leases[0]
		if slices.ContainsFunc(shares[1], func(m client.Message) bool { return m.Stream == "account-1" }) {
			holder = leases[1]
		}
		got, err := c.FetchGroup(ctx, "billing", client.GroupFetchOptions{Lease: holder.Lease})
		if err != nil || len(got) != 1 || got[0].GlobalPosition != next.GlobalPosition {
			t.Fatalf("a fetch with the lease of member %d = %v, %v", holder.Member, gpositions(got), err)
		}
		if ack, err := c.AckGroup(ctx, "billing", client.GroupAckOptions{Lease: holder.Lease, GlobalPosition: next.GlobalPosition}); err != nil ||
			ack.Member != holder.Member || ack.Checkpoint != next.GlobalPosition {
			t.Fatalf("an ack with the lease = %+v, %v", ack, err)
		}

		ns, err := c.NamespaceInfo(ctx, id)
		if err != nil || ns.GroupCount != 4 {
			t.Fatalf("NamespaceInfo = %+v, %v; want 4 groups", ns, err)
		}
		deleted, err := c.DeleteGroup(ctx, "billing")
		if err != nil || deleted.Group != "billing" || deleted.DeletedAt.Before(created.CreatedAt) {
			t.Fatalf("DeleteGroup = %+v, %v", deleted, err)
		}
		if _, err := c.GroupInfo(ctx, "billing"); !errors.Is(err, client.ErrGroupNotFound) {
			t.Fatalf("GroupInfo after the delete: %v", err)
		}
		if list, err := c.ListGroups(ctx, nil); err != nil || len(list) != 3 {
			t.Fatalf("ListGroups after the delete = %d groups, %v", len(list), err)
		}
	})
}

func TestListGroupsOfAnEmptyNamespace(t *testing.T) {
	t.Parallel()
	c, _ := testModeServer.namespace(t)
	list, err := c.ListGroups(context.Background(), &client.ListGroupsOptions{Definitions: true})
	if err != nil || list == nil || len(list) != 0 {
		t.Fatalf("ListGroups = %#v, %v; want an empty list", list, err)
	}
}

func TestStartAtJSON(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		s    client.StartAt
		wire string
	}{
		{client.StartAtBeginning(), `"beginning"`},
		{client.StartAt{}, `"beginning"`},
		{client.StartAtEnd(), `"end"`},
		{client.StartAtPosition(1523), `1523`},
	} {
		b, err := json.Marshal(tt.s)
		if err != nil || string(b) != tt.wire {
			t.Errorf("Marshal(%v) = %s, %v; want %s", tt.s, b, err, tt.wire)
		}
		var back client.StartAt
		if err := json.Unmarshal([]byte(tt.wire), &back); err != nil || back != tt.s {
			t.Errorf("Unmarshal(%s) = %v, %v", tt.wire, back, err)
		}
	}
	if p, ok := client.StartAtPosition(7).Position(); !ok || p != 7 || client.StartAtEnd().String() != "end" || !client.StartAtEnd().IsEnd() {
		t.Error("StartAt accessors")
	}
	if _, ok := client.StartAtEnd().Position(); ok {
		t.Error("the end has a position")
	}
	for _, bad := range []string{`"middle"`, `true`, `1.5`} {
		var s client.StartAt
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("Unmarshal(%s) = %v, want an error", bad, s)
		}
	}
}

// A lease holds its member while fetches and acks renew it; once expired it
// is LEASE_EXPIRED and changes nothing, and its member goes to the next join.
func TestGroupLeaseExpiry(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		all := writeAccounts(t, c, 4)
		if _, err := c.CreateGroup(ctx, "g", client.GroupDefinition{Category: "account"}); err != nil {
			t.Fatal(err)
		}
		const ttl = 300 * time.Millisecond
		l, err := c.JoinGroup(ctx, "g", &client.JoinOptions{TTL: ttl})
		if err != nil {
			t.Fatal(err)
		}
		// Renewed twice within its TTL, it outlives it.
		for range 2 {
			time.Sleep(ttl / 2)
			if _, err := c.FetchGroup(ctx, "g", client.GroupFetchOptions{Lease: l.Lease}); err != nil {
				t.Fatalf("a fetch with a renewed lease: %v", err)
			}
		}
		if _, err := c.AckGroup(ctx, "g", client.GroupAckOptions{Lease: l.Lease, GlobalPosition: all[0].GlobalPosition}); err != nil {
			t.Fatalf("an ack with a renewed lease: %v", err)
		}
		if _, err := c.JoinGroup(ctx, "g", nil); !errors.Is(err, client.ErrGroupFull) {
			t.Fatalf("a join while the lease lives: %v", err)
		}
		time.Sleep(ttl + 100*time.Millisecond)
		_, err = c.AckGroup(ctx, "g", client.GroupAckOptions{Lease: l.Lease, GlobalPosition: all[2].GlobalPosition})
		var e *client.Error
		if !errors.Is(err, client.ErrLeaseExpired) || !errors.As(err, &e) || e.Status != http.StatusConflict {
			t.Fatalf("an ack with an expired lease: %v, want LEASE_EXPIRED (409)", err)
		}
		if _, err := c.FetchGroup(ctx, "g", client.GroupFetchOptions{Lease: l.Lease}); !errors.Is(err, client.ErrLeaseExpired) {
			t.Fatalf("a fetch with an expired lease: %v", err)
		}
		if _, err := c.Subscribe(ctx, client.SubscribeOptions{Group: "g", Lease: l.Lease}); !errors.Is(err, client.ErrLeaseExpired) {
			t.Fatalf("a subscription with an expired lease: %v", err)
		}
		info, err := c.GroupInfo(ctx, "g")
		if err != nil || info.Members[0].Checkpoint != all[0].GlobalPosition {
			t.Fatalf("after the refused ack: %+v, %v; want the checkpoint left at %d", info, err, all[0].GlobalPosition)
		}
		taken, err := c.JoinGroup(ctx, "g", nil)
		if err != nil || taken.Member != 0 || taken.Lease == l.Lease {
			t.Fatalf("a join after the expiry = %+v, %v", taken, err)
		}
		// The new holder resumes after the checkpoint.
		got, err := c.FetchGroup(ctx, "g", client.GroupFetchOptions{Lease: taken.Lease})
		if err != nil || fmt.Sprint(gpositions(got)) != fmt.Sprint(gpositions(all[1:])) {
			t.Fatalf("the new holder fetched %v, %v", gpositions(got), err)
		}
	})
}

// Each group error code comes back typed with its status and matches only
// its own Err… value; options the server refuses are INVALID_REQUEST.
func TestGroupErrors(t *testing.T) {
	t.Parallel()
	c, _ := sqliteServer.namespace(t)
	ctx := context.Background()
	all := writeAccounts(t, c, 3)
	for _, name := range []string{"one", "two"} {
		if _, err := c.CreateGroup(ctx, name, client.GroupDefinition{Category: "account"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.JoinGroup(ctx, "one", &client.JoinOptions{TTL: time.Hour}); err != nil {
		t.Fatal(err)
	}
	expired, err := c.JoinGroup(ctx, "two", &client.JoinOptions{TTL: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(250 * time.Millisecond)
	tests := []struct {
		name   string
		call   func() error
		want   error
		status int
	}{
		{"info of a missing group", func() error { _, err := c.GroupInfo(ctx, "missing"); return err }, client.ErrGroupNotFound, 404},
		{"fetch of a missing group", func() error { _, err := c.FetchGroup(ctx, "missing", client.GroupFetchOptions{}); return err }, client.ErrGroupNotFound, 404},
		{"ack of a missing group", func() error {
			_, err := c.AckGroup(ctx, "missing", client.GroupAckOptions{GlobalPosition: 1})
			return err
		}, client.ErrGroupNotFound, 404},
		{"join of a missing group", func() error { _, err := c.JoinGroup(ctx, "missing", nil); return err }, client.ErrGroupNotFound, 404},
		{"reset of a missing group", func() error { _, err := c.ResetGroup(ctx, "missing", 0); return err }, client.ErrGroupNotFound, 404},
		{"delete of a missing group", func() error { _, err := c.DeleteGroup(ctx, "missing"); return err }, client.ErrGroupNotFound, 404},
		{"another definition", func() error {
			_, err := c.CreateGroup(ctx, "one", client.GroupDefinition{Category: "account", StartAt: client.StartAtEnd()})
			return err
		}, client.ErrGroupExists, 409},
		{"every member held", func() error { _, err := c.JoinGroup(ctx, "one", nil); return err }, client.ErrGroupFull, 409},
		{"an expired lease", func() error {
			_, err := c.AckGroup(ctx, "two", client.GroupAckOptions{Lease: expired.Lease, GlobalPosition: all[0].GlobalPosition})
			return err
		}, client.ErrLeaseExpired, 409},
		{"a member out of range", func() error { _, err := c.FetchGroup(ctx, "one", client.GroupFetchOptions{Member: 1}); return err }, client.ErrInvalidRequest, 400},
		{"an ack past the last position", func() error {
			_, err := c.AckGroup(ctx, "one", client.GroupAckOptions{GlobalPosition: last(all) + 1000})
			return err
		}, client.ErrInvalidRequest, 400},
		{"1001 members", func() error {
			_, err := c.CreateGroup(ctx, "big", client.GroupDefinition{Category: "account", Size: 1001})
			return err
		}, client.ErrInvalidRequest, 400},
		{"a TTL too short", func() error {
			_, err := c.JoinGroup(ctx, "two", &client.JoinOptions{TTL: time.Millisecond})
			return err
		}, client.ErrInvalidRequest, 400},
		{"a start past the end", func() error {
			_, err := c.CreateGroup(ctx, "late", client.GroupDefinition{Category: "account", StartAt: client.StartAtPosition(last(all) + 1000)})
			return err
		}, client.ErrInvalidRequest, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			for _, s := range allSentinels {
				if errors.Is(err, s) != (s == tt.want) {
					t.Fatalf("error %v: errors.Is(%v) = %v", err, s, !(s == tt.want))
				}
			}
			var e *client.Error
			if !errors.As(err, &e) || e.Status != tt.status || e.Message == "" {
				t.Fatalf("error %v (%#v), want an *Error with status %d", err, e, tt.status)
			}
		})
	}
	// Nothing moved: the refused ack left the checkpoint.
	if info, err := c.GroupInfo(ctx, "two"); err != nil || info.Members[0].Checkpoint != 0 {
		t.Fatalf("after the refusals: %+v, %v", info, err)
	}
}

// Group calls are repeated after a failure only when a repeat changes
// nothing more.
func TestGroupRetries(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name         string
		plan         func(int) fault
		call         func(c *client.Client, gpos []int64) error
		wantAttempts int32
		wantErr      error // nil: success; errAny: some error
		check        func(t *testing.T, c *client.Client, gpos []int64)
	}{
		{"a creation whose answer was lost", firstAttempt(loseAnswer), func(c *client.Client, _ []int64) error {
			g, err := c.CreateGroup(ctx, "new", client.GroupDefinition{Category: "account", StartAt: client.StartAtEnd()})
			if err == nil && g.Group != "new" {
				return errors.New("the repeat answered another group")
			}
			return err
		}, 2, nil, func(t *testing.T, c *client.Client, _ []int64) {
			if list, err := c.ListGroups(ctx, nil); err != nil || len(list) != 2 {
				t.Errorf("%d groups, %v; want g and new", len(list), err)
			}
		}},
		{"an ack whose answer was lost", firstAttempt(loseAnswer), func(c *client.Client, gpos []int64) error {
			a, err := c.AckGroup(ctx, "g", client.GroupAckOptions{GlobalPosition: gpos[1]})
			if err == nil && a.Checkpoint != gpos[1] {
				return fmt.Errorf("the repeated ack answered %d", a.Checkpoint)
			}
			return err
		}, 2, nil, checkpointAt(1)},
		{"an ack after a 503", firstAttempt(answer503), func(c *client.Client, gpos []int64) error {
			_, err := c.AckGroup(ctx, "g", client.GroupAckOptions{GlobalPosition: gpos[2]})
			return err
		}, 2, nil, checkpointAt(2)},
		{"a fetch after a 503", firstAttempt(answer503), func(c *client.Client, gpos []int64) error {
			msgs, err := c.FetchGroup(ctx, "g", client.GroupFetchOptions{})
			if err == nil && len(msgs) != len(gpos) {
				return fmt.Errorf("fetched %d of %d", len(msgs), len(gpos))
			}
			return err
		}, 2, nil, nil},
		{"info that always meets 503", always(answer503), func(c *client.Client, _ []int64) error {
			_, err := c.GroupInfo(ctx, "g")
			return err
		}, 3, client.ErrBackend, nil},
		{"a reset whose answer was lost", firstAttempt(loseAnswer), func(c *client.Client, gpos []int64) error {
			_, err := c.ResetGroup(ctx, "g", gpos[2])
			return err
		}, 2, nil, checkpointAt(2)},
		{"a join whose answer was lost", firstAttempt(loseAnswer), func(c *client.Client, _ []int64) error {
			_, err := c.JoinGroup(ctx, "g", nil)
			return err
		}, 1, errAny, func(t *testing.T, c *client.Client, _ []int64) {
			// The lost join holds the only member: a repeat would have failed.
			if _, err := c.JoinGroup(ctx, "g", nil); !errors.Is(err, client.ErrGroupFull) {
				t.Errorf("a join after the lost one: %v, want ErrGroupFull", err)
			}
		}},
		{"a join after a 503", firstAttempt(answer503), func(c *client.Client, _ []int64) error {
			_, err := c.JoinGroup(ctx, "g", nil)
			return err
		}, 1, client.ErrBackend, nil},
		{"a deletion whose answer was lost", firstAttempt(loseAnswer), func(c *client.Client, _ []int64) error {
			_, err := c.DeleteGroup(ctx, "g")
			return err
		}, 1, errAny, func(t *testing.T, c *client.Client, _ []int64) {
			if _, err := c.GroupInfo(ctx, "g"); !errors.Is(err, client.ErrGroupNotFound) {
				t.Errorf("after the lost deletion: %v, want the group gone", err)
			}
		}},
		{"GROUP_EXISTS is never repeated", always(pass), func(c *client.Client, _ []int64) error {
			_, err := c.CreateGroup(ctx, "g", client.GroupDefinition{Category: "other"})
			return err
		}, 1, client.ErrGroupExists, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, token := sqliteServer.newNamespace(t)
			direct := newClient(t, sqliteServer.url, client.WithToken(token))
			gpos := gpositions(writeAccounts(t, direct, 3))
			if _, err := direct.CreateGroup(ctx, "g", client.GroupDefinition{Category: "account"}); err != nil {
				t.Fatal(err)
			}
			ft := &faultyTransport{plan: tt.plan}
			c := newClient(t, sqliteServer.url, client.WithToken(token), client.WithHTTPClient(&http.Client{Transport: ft}),
				client.WithRetry(fastRetries))
			err := tt.call(c, gpos)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("call failed: %v", err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("call = %v, want %v", err, tt.wantErr)
			}
			if n := ft.attempts.Load(); n != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", n, tt.wantAttempts)
			}
			if tt.check != nil {
				tt.check(t, direct, gpos)
			}
		})
	}
}

// checkpointAt checks that group g's member 0 is at the i-th message.
func checkpointAt(i int) func(t *testing.T, c *client.Client, gpos []int64) {
	return func(t *testing.T, c *client.Client, gpos []int64) {
		t.Helper()
		info, err := c.GroupInfo(context.Background(), "g")
		if err != nil || info.Members[0].Checkpoint != gpos[i] || info.Lag != int64(len(gpos)-i-1) {
			t.Errorf("GroupInfo = %+v, %v; want the checkpoint at %d", info, err, gpos[i])
		}
	}
}

// A group subscription pokes its member's share only, from the checkpoint
// on, then live; with a lease it follows the lease's member.
func TestGroupSubscription(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		writeAccounts(t, c, 10)
		if _, err := c.CreateGroup(ctx, "billing", client.GroupDefinition{Category: "account", Size: 2}); err != nil {
			t.Fatal(err)
		}
		backlog := [][]client.Message{share(t, c, "account", 0, 2), share(t, c, "account", 1, 2)}
		if _, err := c.AckGroup(ctx, "billing", client.GroupAckOptions{Member: 1, GlobalPosition: backlog[1][0].GlobalPosition}); err != nil {
			t.Fatal(err)
		}
		lease, err := c.JoinGroup(ctx, "billing", &client.JoinOptions{TTL: time.Minute}) // member 0
		if err != nil || lease.Member != 0 {
			t.Fatalf("JoinGroup = %+v, %v", lease, err)
		}
		subs := []*client.Subscription{
			subscribe(t, c, client.SubscribeOptions{Group: "billing", Lease: lease.Lease}),
			subscribe(t, c, client.SubscribeOptions{Group: "billing", Member: 1}),
		}
		for i := range 10 { // live, including other categories
			if _, err := c.Write(ctx, fmt.Sprintf("account-%d", i%5+1), msg("Live", `{}`), nil); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Write(ctx, "other-2", msg("T", `{}`), nil); err != nil {
				t.Fatal(err)
			}
		}
		for m, sub := range subs {
			want := share(t, c, "account", int64(m), 2)
			if m == 1 {
				want = want[1:] // after the checkpoint
			}
			var wantPokes []client.Poke
			for _, msg := range want {
				wantPokes = append(wantPokes, client.Poke{Stream: msg.Stream, Position: msg.Position, GlobalPosition: msg.GlobalPosition})
			}
			if got := receive(t, sub, len(wantPokes)); fmt.Sprint(got) != fmt.Sprint(wantPokes) {
				t.Errorf("member %d: pokes %v\nwant %v", m, got, wantPokes)
			}
			quiet(t, sub)
		}
	})
}

// Options that contradict a group are refused before anything is sent.
func TestGroupSubscriptionRefusedOptions(t *testing.T) {
	t.Parallel()
	ft := &faultyTransport{plan: always(pass)}
	c := newClient(t, sqliteServer.url, client.WithHTTPClient(&http.Client{Transport: ft}))
	for _, opts := range []client.SubscribeOptions{
		{Group: "g", Stream: "a-1"},
		{Group: "g", Category: "a"},
		{Group: "g", All: true},
		{Group: "g", Position: 3},
		{Group: "g", ConsumerGroup: &client.ConsumerGroup{Member: 0, Size: 2}},
		{Category: "a", Member: 1},
		{All: true, Lease: "L"},
	} {
		sub, err := c.Subscribe(context.Background(), opts)
		if !errors.Is(err, client.ErrInvalidRequest) || sub != nil {
			t.Errorf("Subscribe(%+v) = %v, want ErrInvalidRequest", opts, err)
		}
		var e *client.Error
		if errors.As(err, &e) {
			t.Errorf("Subscribe(%+v): %v is a server's answer", opts, err)
		}
	}
	if n := ft.attempts.Load(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
	// The server refuses a missing group.
	sub, err := newClient(t, testModeServer.url).Subscribe(context.Background(), client.SubscribeOptions{Group: "missing"})
	if !errors.Is(err, client.ErrGroupNotFound) || sub != nil {
		t.Errorf("a subscription to a missing group: %v", err)
	}
}
