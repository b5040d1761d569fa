package sse_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// groupEnv is a server with GET /subscribe, group subscriptions included,
// over in-memory SQLite, and one namespace.
type groupEnv struct{ *env }

func newGroupEnv(t *testing.T) *groupEnv {
	t.Helper()
	return &groupEnv{newEnv(t, envOptions{groups: true})}
}

// writeTo appends one message to streamName, correlated with corr when not "".
func (e *groupEnv) writeTo(t *testing.T, streamName, corr string) int64 {
	t.Helper()
	p := stream.Proposed{Type: "Happened", Data: []byte(`{}`)}
	if corr != "" {
		p.Metadata = []byte(`{"correlationStreamName":"` + corr + `"}`)
	}
	res, err := e.streams.Write(context.Background(), e.ns, stream.Append{Stream: streamName, Messages: []stream.Proposed{p}})
	if err != nil {
		t.Fatal(err)
	}
	return res.GlobalPosition
}

// A group subscription pokes the member's share from its checkpoint on:
// the backlog after the checkpoint, then live writes, nothing of the other
// members' shares.
func TestGroupSubscriptionResumesFromTheCheckpoint(t *testing.T) {
	t.Parallel()
	e := newGroupEnv(t)
	ctx := context.Background()
	share := partition.Group{Member: 1, Size: 2}
	var mine []int64
	for i := range 12 {
		name := fmt.Sprintf("account-%d", i%6)
		g := e.writeTo(t, name, "")
		if share.Contains(name) {
			mine = append(mine, g)
		}
		e.writeTo(t, fmt.Sprintf("order-%d", i), "")
	}
	if len(mine) < 4 {
		t.Fatalf("member 1 of 2 has only %d messages: pick other stream names", len(mine))
	}
	if _, err := e.groups.Create(ctx, e.ns, "billing", group.Definition{Category: "account", Size: 2}); err != nil {
		t.Fatal(err)
	}
	one := int64(1)
	if _, err := e.groups.Ack(ctx, e.ns, "billing", service.Ack{Caller: service.Caller{Member: &one}, GlobalPosition: mine[1]}); err != nil {
		t.Fatal(err)
	}
	c := e.subscribe(t, "group=billing&member=1", nil)
	defer c.close()
	for i, p := range c.pokes(t, len(mine)-2) {
		if p.GlobalPosition != mine[i+2] || !share.Contains(p.Stream) {
			t.Fatalf("backlog poke %d = %+v, want global position %d of member 1", i, p, mine[i+2])
		}
	}
	// Live: a write to the other member's share pokes nothing, one to this
	// member's share pokes.
	for i := 0; ; i++ {
		name := fmt.Sprintf("account-x%d", i)
		if share.Contains(name) {
			g := e.writeTo(t, name, "")
			if p := c.pokes(t, 1)[0]; p.GlobalPosition != g {
				t.Fatalf("live poke = %+v, want %d (the other member's write must not be poked)", p, g)
			}
			break
		}
		e.writeTo(t, name, "")
	}
}

// A group with a correlation filter pokes only the correlated messages, as
// group.fetch hands out only those.
func TestGroupSubscriptionCorrelation(t *testing.T) {
	t.Parallel()
	e := newGroupEnv(t)
	if _, err := e.groups.Create(context.Background(), e.ns, "flow", group.Definition{Category: "account", Size: 1, Correlation: "workflow"}); err != nil {
		t.Fatal(err)
	}
	c := e.subscribe(t, "group=flow&member=0", nil)
	defer c.close()
	e.writeTo(t, "account-1", "")
	want := e.writeTo(t, "account-2", "workflow-9")
	e.writeTo(t, "account-3", "saga-1")
	last := e.writeTo(t, "account-4", "workflow-10")
	got := c.pokes(t, 2)
	if got[0].GlobalPosition != want || got[1].GlobalPosition != last {
		t.Fatalf("pokes = %+v, want the correlated %d and %d only", got, want, last)
	}
}

// With a lease the member may be left out; an expired lease is refused
// before the stream starts. Last-Event-ID wins over the checkpoint.
func TestGroupSubscriptionLeaseAndLastEventID(t *testing.T) {
	t.Parallel()
	e := newGroupEnv(t)
	ctx := context.Background()
	var gpos []int64
	for range 4 {
		gpos = append(gpos, e.writeTo(t, "account-1", ""))
	}
	if _, err := e.groups.Create(ctx, e.ns, "g", group.Definition{Category: "account", Size: 1}); err != nil {
		t.Fatal(err)
	}
	m, err := e.groups.Join(ctx, e.ns, "g", 200*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	c := e.subscribe(t, "group=g&lease="+url.QueryEscape(m.Lease.ID), http.Header{"Last-Event-Id": {fmt.Sprint(gpos[1])}})
	if p := c.pokes(t, 1)[0]; p.GlobalPosition != gpos[2] {
		t.Fatalf("first poke after Last-Event-ID %d = %+v, want %d", gpos[1], p, gpos[2])
	}
	c.close()
	time.Sleep(300 * time.Millisecond)
	resp, _ := e.get(t, "group=g&lease="+url.QueryEscape(m.Lease.ID)+"&token="+e.token, nil)
	wantError(t, resp, http.StatusConflict, "LEASE_EXPIRED")
}

func TestGroupSubscriptionRefusals(t *testing.T) {
	t.Parallel()
	e := newGroupEnv(t)
	if _, err := e.groups.Create(context.Background(), e.ns, "g", group.Definition{Category: "account", Size: 2}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query  string
		status int
		code   string
	}{
		{"group=nope&member=0", http.StatusNotFound, "GROUP_NOT_FOUND"},
		{"group=g", http.StatusBadRequest, "INVALID_REQUEST"},
		{"group=g&member=2", http.StatusBadRequest, "INVALID_REQUEST"},
		{"group=g&member=x", http.StatusBadRequest, "INVALID_REQUEST"},
		{"group=g&member=0&member=1", http.StatusBadRequest, "INVALID_REQUEST"},
		{"group=g&member=0&category=account", http.StatusBadRequest, "INVALID_REQUEST"},
		{"group=g&member=0&position=5", http.StatusBadRequest, "INVALID_REQUEST"},
		{"group=&member=0", http.StatusBadRequest, "INVALID_REQUEST"},
		{"group=g&lease=never-issued", http.StatusConflict, "LEASE_EXPIRED"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			resp, _ := e.get(t, tt.query+"&token="+e.token, nil)
			wantError(t, resp, tt.status, tt.code)
		})
	}
}
