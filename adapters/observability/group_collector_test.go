package observability_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/eventodb/eventodb/adapters/observability"
	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

func TestGroupCollectorCachesAndKeepsLastFigures(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var fail atomic.Bool
	figures := func(_ context.Context, maxGroups int) ([]observability.MemberFigures, error) {
		calls.Add(1)
		if maxGroups != 7 {
			t.Errorf("maxGroups = %d, want 7", maxGroups)
		}
		if fail.Load() {
			return nil, errors.New("database down")
		}
		return []observability.MemberFigures{{Namespace: "shop", Group: "billing", Member: 1, Lag: 5, Checkpoint: 40}}, nil
	}
	c := observability.NewGroupCollector(figures, observability.GroupCollectorOptions{MaxGroups: 7, CacheFor: 50 * time.Millisecond})
	want := `
# HELP eventodb_group_checkpoint Global position a durable consumer group member has processed up to.
# TYPE eventodb_group_checkpoint gauge
eventodb_group_checkpoint{group="billing",member="1",namespace="shop"} 40
# HELP eventodb_group_lag Messages of a durable consumer group member's share after its checkpoint.
# TYPE eventodb_group_lag gauge
eventodb_group_lag{group="billing",member="1",namespace="shop"} 5
`
	for range 3 {
		if err := testutil.CollectAndCompare(c, strings.NewReader(want), "eventodb_group_lag", "eventodb_group_checkpoint"); err != nil {
			t.Fatal(err)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("figures gathered %d times within the cache period, want 1", n)
	}
	time.Sleep(60 * time.Millisecond)
	fail.Store(true)
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), "eventodb_group_lag", "eventodb_group_checkpoint"); err != nil {
		t.Fatalf("after a failed gathering the last figures must stay: %v", err)
	}
	up := `
# HELP eventodb_group_metrics_up 1 when the consumer-group figures of this scrape are fresh, 0 when gathering them failed (the last figures are shown).
# TYPE eventodb_group_metrics_up gauge
eventodb_group_metrics_up 0
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(up), "eventodb_group_metrics_up"); err != nil {
		t.Fatal(err)
	}
}

// NamespaceGroupFigures walks namespaces and groups in name order and stops
// after the given number of groups.
func TestNamespaceGroupFigures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := memory.New(memory.Options{})
	groups := service.NewGroups(store, service.NewCategories(store, service.DefaultLimits()), store, fixedClock{time.Now()}, idGen{})
	for _, ns := range []string{"b", "a"} {
		if err := store.Create(ctx, namespace.Record{ID: ns}); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			p := stream.Proposed{ID: "00000000-0000-4000-8000-00000000000" + string(rune('0'+i)), Type: "T", Data: []byte(`{}`)}
			if _, err := store.Append(ctx, ns, stream.Append{Stream: "account-1", Messages: []stream.Proposed{p}}); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"y", "x"} {
			if _, err := groups.Create(ctx, ns, name, group.Definition{Category: "account", Size: 2}); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := observability.NamespaceGroupFigures(store, groups)(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	var lag int64
	for _, f := range got {
		seen = append(seen, f.Namespace+"/"+f.Group)
		lag += f.Lag
	}
	if strings.Join(seen, " ") != "a/x a/x a/y a/y b/x b/x" || lag != 9 {
		t.Fatalf("figures of %v with total lag %d, want 3 groups of 2 members from a/x on, lag 9", seen, lag)
	}
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

type idGen struct{}

func (idGen) NewID() string { return "lease" }

func (idGen) Normalize(id string) (string, error) { return id, nil }

var _ prometheus.Collector = (*observability.GroupCollector)(nil)
