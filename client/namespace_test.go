package client_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/client"
)

func TestNamespaces(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		ctx := context.Background()
		admin := s.adminClient(t)
		id := "ns_" + randomHex(4)
		before := time.Now().Add(-time.Second)
		created, err := admin.CreateNamespace(ctx, id, &client.NamespaceOptions{Description: "a shop"})
		if err != nil {
			t.Fatal(err)
		}
		if created.Namespace != id || !strings.HasPrefix(created.Token, "ns_") || created.CreatedAt.Before(before) ||
			created.CreatedAt.Location() != time.UTC {
			t.Fatalf("created %+v", created)
		}
		tenant := admin.ForToken(created.Token)
		fillStream(t, tenant, "order-1", 3)
		fillStream(t, tenant, "order-2", 1)
		fillStream(t, tenant, "payment-1", 2)

		list, err := admin.ListNamespaces(ctx)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(list, func(n client.Namespace) bool { return n.Namespace == id })
		if i < 0 || list[i].Description != "a shop" || list[i].MessageCount != 6 || !list[i].CreatedAt.Equal(created.CreatedAt) {
			t.Fatalf("ListNamespaces: %+v", list)
		}
		for _, c := range []*client.Client{admin, tenant} {
			info, err := c.NamespaceInfo(ctx, id)
			if err != nil || info.Namespace != id || info.MessageCount != 6 || info.StreamCount != 3 || info.LastActivity.Before(before) {
				t.Fatalf("NamespaceInfo = %+v, %v", info, err)
			}
		}
		empty, emptyToken := s.newNamespace(t)
		if info, err := admin.ForToken(emptyToken).NamespaceInfo(ctx, empty); err != nil || !info.LastActivity.IsZero() {
			t.Fatalf("NamespaceInfo of an empty namespace = %+v, %v; want no last activity", info, err)
		}

		cats, err := tenant.Categories(ctx)
		want := []client.CategoryInfo{{Category: "order", StreamCount: 2, MessageCount: 4}, {Category: "payment", StreamCount: 1, MessageCount: 2}}
		if err != nil || !slices.Equal(cats, want) {
			t.Fatalf("Categories = %+v, %v; want %+v", cats, err, want)
		}
		streams, err := tenant.Streams(ctx, &client.StreamsOptions{Prefix: "order-", Limit: 1})
		if err != nil || len(streams) != 1 || streams[0].Stream != "order-1" || streams[0].Version != 2 || streams[0].LastActivity.Before(before) {
			t.Fatalf("Streams = %+v, %v", streams, err)
		}
		next, err := tenant.Streams(ctx, &client.StreamsOptions{Prefix: "order-", Cursor: "order-1"})
		if err != nil || len(next) != 1 || next[0].Stream != "order-2" {
			t.Fatalf("the next page = %+v, %v", next, err)
		}

		deleted, err := admin.DeleteNamespace(ctx, id)
		if err != nil || deleted.Namespace != id || deleted.MessagesDeleted != 6 || deleted.DeletedAt.Before(created.CreatedAt) {
			t.Fatalf("DeleteNamespace = %+v, %v", deleted, err)
		}
	})
}

func TestStreamsAllPagesByCursor(t *testing.T) {
	t.Parallel()
	c, _ := sqliteServer.namespace(t)
	ctx := context.Background()
	var want []string
	for i := range 1005 { // more than a page of 1000
		name := fmt.Sprintf("s-%04d", i)
		want = append(want, name)
		if _, err := c.Write(ctx, name, msg("T", `{}`), nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Write(ctx, "t-1", msg("T", `{}`), nil); err != nil {
		t.Fatal(err)
	}
	var got []string
	for info, err := range c.StreamsAll(ctx, "s-") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, info.Stream)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("StreamsAll listed %d streams, want %d", len(got), len(want))
	}
}

func TestSystem(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, s *testServer) {
		c, _ := s.namespace(t)
		ctx := context.Background()
		if v, err := c.ServerVersion(ctx); err != nil || v == "" {
			t.Fatalf("ServerVersion = %q, %v", v, err)
		}
		h, err := c.Health(ctx, nil)
		if err != nil || h.Status != "ok" || h.Backend != s.backend || h.Pool != nil {
			t.Fatalf("Health = %+v, %v", h, err)
		}
		h, err = c.Health(ctx, &client.HealthOptions{Pool: true})
		if err != nil || h.Pool == nil || h.Pool.MaxOpen < 1 {
			t.Fatalf("Health with the pool = %+v, %v", h, err)
		}
	})
}
