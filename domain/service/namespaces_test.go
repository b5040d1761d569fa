package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

var testNow = time.Date(2026, 1, 15, 11, 30, 0, 123456000, time.FixedZone("CET", 3600))

func newNamespaces() (*service.Namespaces, *fakeRegistry, *fakeCatalog) {
	reg := newFakeRegistry()
	cat := &fakeCatalog{stats: map[string]ports.NamespaceStats{}}
	return service.NewNamespaces(reg, cat, fixedClock{testNow}), reg, cat
}

func mustToken(t *testing.T, id string) string {
	t.Helper()
	tok, err := namespace.NewToken(id)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestNamespacesCreate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("generated token", func(t *testing.T) {
		t.Parallel()
		svc, reg, _ := newNamespaces()
		c, err := svc.Create(ctx, "tenant-1", "first tenant", "")
		if err != nil {
			t.Fatal(err)
		}
		if id, err := namespace.ParseToken(c.Token); err != nil || id != "tenant-1" {
			t.Fatalf("generated token %q parses to %q, %v", c.Token, id, err)
		}
		stored, err := reg.Get(ctx, "tenant-1")
		if err != nil {
			t.Fatal(err)
		}
		if stored != c.Record {
			t.Errorf("stored %+v, returned %+v", stored, c.Record)
		}
		if stored.Description != "first tenant" || !stored.CreatedAt.Equal(testNow) || stored.CreatedAt.Location() != time.UTC {
			t.Errorf("record %+v: want description, creation time %v in UTC", stored, testNow)
		}
		if stored.TokenHash == c.Token || !namespace.TokenMatches(c.Token, stored.TokenHash) {
			t.Error("the registry must store the token's hash, not the token")
		}
	})

	t.Run("given token", func(t *testing.T) {
		t.Parallel()
		svc, reg, _ := newNamespaces()
		tok := mustToken(t, "tenant-2")
		c, err := svc.Create(ctx, "tenant-2", "", tok)
		if err != nil {
			t.Fatal(err)
		}
		if c.Token != tok {
			t.Errorf("Create returned token %q, want the given %q", c.Token, tok)
		}
		if rec, _ := reg.Get(ctx, "tenant-2"); rec.TokenHash != namespace.HashToken(tok) {
			t.Error("the stored hash is not the given token's")
		}
	})

	t.Run("exists", func(t *testing.T) {
		t.Parallel()
		svc, _, _ := newNamespaces()
		if _, err := svc.Create(ctx, "tenant-3", "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Create(ctx, "tenant-3", "", ""); !errors.Is(err, namespace.ErrExists) {
			t.Errorf("second Create = %v, want ErrExists", err)
		}
	})

	fixed := func(tok string) func(*testing.T) string { return func(*testing.T) string { return tok } }
	rejects := []struct {
		name  string
		id    string
		token func(*testing.T) string
		field string
	}{
		{"invalid id", "bad id", fixed(""), "namespaceId"},
		{"empty id", "", fixed(""), "namespaceId"},
		{"malformed token", "tenant", fixed("ns_dGVuYW50_xyz"), "token"},
		{"token of another namespace", "tenant", func(t *testing.T) string { return mustToken(t, "other") }, "token"},
		{"uppercase secret", "tenant", func(t *testing.T) string {
			good := mustToken(t, "tenant")
			i := strings.LastIndexByte(good, '_')
			return good[:i] + strings.ToUpper(good[i:])
		}, "token"},
	}
	for _, tt := range rejects {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tok := tt.token(t)
			svc, reg, _ := newNamespaces()
			_, err := svc.Create(ctx, tt.id, "", tok)
			var ve *stream.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("Create = %v, want a %s ValidationError", err, tt.field)
			}
			if reg.createCount() != 0 {
				t.Error("registry created a namespace for a rejected request")
			}
		})
	}
}

func TestNamespacesEnsureDefault(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("generated", func(t *testing.T) {
		t.Parallel()
		svc, reg, _ := newNamespaces()
		tok, err := svc.EnsureDefault(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if id, err := namespace.ParseToken(tok); err != nil || id != namespace.Default {
			t.Fatalf("EnsureDefault returned %q (%q, %v), want a default token", tok, id, err)
		}
		again, err := svc.EnsureDefault(ctx, "")
		if err != nil || again != "" {
			t.Fatalf("second EnsureDefault = %q, %v; want \"\", nil", again, err)
		}
		if again, err := svc.EnsureDefault(ctx, tok); err != nil || again != "" {
			t.Fatalf("EnsureDefault with the stored token = %q, %v; want \"\", nil", again, err)
		}
		if n := reg.createCount(); n != 1 {
			t.Errorf("registry.Create called %d times, want 1", n)
		}
	})

	t.Run("configured", func(t *testing.T) {
		t.Parallel()
		svc, reg, _ := newNamespaces()
		want := mustToken(t, namespace.Default)
		tok, err := svc.EnsureDefault(ctx, want)
		if err != nil || tok != want {
			t.Fatalf("EnsureDefault = %q, %v; want the configured token", tok, err)
		}
		rec, err := reg.Get(ctx, namespace.Default)
		if err != nil || !namespace.TokenMatches(want, rec.TokenHash) {
			t.Fatalf("default namespace %+v, %v does not hold the configured token", rec, err)
		}
		other := mustToken(t, namespace.Default)
		if _, err := svc.EnsureDefault(ctx, other); err == nil {
			t.Error("EnsureDefault accepted a token that does not match the stored one")
		}
		if n := reg.createCount(); n != 1 {
			t.Errorf("registry.Create called %d times, want 1", n)
		}
	})

	t.Run("token of another namespace", func(t *testing.T) {
		t.Parallel()
		svc, reg, _ := newNamespaces()
		if _, err := svc.EnsureDefault(ctx, mustToken(t, "tenant")); err == nil {
			t.Error("EnsureDefault accepted a token of another namespace")
		}
		if reg.createCount() != 0 {
			t.Error("default namespace created with a foreign token")
		}
	})

	t.Run("another node creates it first", func(t *testing.T) {
		t.Parallel()
		reg := &racingRegistry{fakeRegistry: newFakeRegistry()}
		svc := service.NewNamespaces(reg, &fakeCatalog{stats: map[string]ports.NamespaceStats{}}, fixedClock{testNow})
		token := mustToken(t, namespace.Default)
		// The other node registered the default namespace, with the same
		// configured token, between this node's Get and Create.
		reg.recs[namespace.Default] = namespace.Record{ID: namespace.Default, TokenHash: namespace.HashToken(token)}
		if got, err := svc.EnsureDefault(ctx, token); err != nil || got != "" {
			t.Fatalf("EnsureDefault = %q, %v; want \"\", nil: the namespace exists with this token", got, err)
		}
		reg.missed = false
		if _, err := svc.EnsureDefault(ctx, mustToken(t, namespace.Default)); err == nil {
			t.Error("EnsureDefault accepted a token that does not match the one the other node stored")
		}
	})

	t.Run("registry failure", func(t *testing.T) {
		t.Parallel()
		svc, reg, _ := newNamespaces()
		boom := errors.New("db down")
		reg.getErr = boom
		if _, err := svc.EnsureDefault(ctx, ""); !errors.Is(err, boom) {
			t.Errorf("EnsureDefault = %v, want the registry error", err)
		}
		if reg.createCount() != 0 {
			t.Error("EnsureDefault created a namespace although Get failed")
		}
	})
}

func TestNamespacesDelete(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, reg, _ := newNamespaces()
	if _, err := svc.EnsureDefault(ctx, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Create(ctx, "tenant", "", ""); err != nil {
		t.Fatal(err)
	}

	var ve *stream.ValidationError
	if _, err := svc.Delete(ctx, namespace.Default); !errors.As(err, &ve) || ve.Field != "namespaceId" {
		t.Errorf("Delete(default) = %v, want a namespaceId ValidationError", err)
	}
	if _, err := reg.Get(ctx, namespace.Default); err != nil {
		t.Errorf("default namespace gone after a refused delete: %v", err)
	}
	if _, err := svc.Delete(ctx, "bad id"); !errors.As(err, &ve) {
		t.Errorf("Delete(bad id) = %v, want ValidationError", err)
	}
	d, err := svc.Delete(ctx, "tenant")
	if err != nil || d.ID != "tenant" || d.MessagesDeleted != 42 {
		t.Fatalf("Delete(tenant) = %+v, %v; want tenant with the registry's count 42", d, err)
	}
	if _, err := svc.Delete(ctx, "tenant"); !errors.Is(err, namespace.ErrNotFound) {
		t.Errorf("second Delete = %v, want ErrNotFound", err)
	}
}

func TestNamespacesListAndInfo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	svc, _, cat := newNamespaces()
	for _, id := range []string{"zeta", "alpha", "mid", "gone"} {
		if _, err := svc.Create(ctx, id, "", ""); err != nil {
			t.Fatal(err)
		}
	}
	last := testNow.UTC()
	cat.stats["zeta"] = ports.NamespaceStats{MessageCount: 3, StreamCount: 1, LastActivity: &last}
	cat.stats["alpha"] = ports.NamespaceStats{}
	cat.stats["mid"] = ports.NamespaceStats{MessageCount: 9, StreamCount: 2}
	// "gone" has no stats: deleted while listing.

	list, err := svc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, in := range list {
		ids = append(ids, in.ID)
	}
	if strings.Join(ids, ",") != "alpha,mid,zeta" {
		t.Errorf("List ids = %v, want alpha,mid,zeta (sorted, without the vanished one)", ids)
	}
	if list[2].MessageCount != 3 || list[2].StreamCount != 1 || list[2].LastActivity == nil || !list[2].LastActivity.Equal(last) {
		t.Errorf("zeta info = %+v", list[2])
	}

	in, err := svc.Info(ctx, "mid")
	if err != nil || in.ID != "mid" || in.MessageCount != 9 || in.StreamCount != 2 || in.LastActivity != nil {
		t.Errorf("Info(mid) = %+v, %v", in, err)
	}
	if _, err := svc.Info(ctx, "nope"); !errors.Is(err, namespace.ErrNotFound) {
		t.Errorf("Info(nope) = %v, want ErrNotFound", err)
	}
	var ve *stream.ValidationError
	if _, err := svc.Info(ctx, ""); !errors.As(err, &ve) {
		t.Errorf("Info(\"\") = %v, want ValidationError", err)
	}
}

func TestNamespacesStreams(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		limit     *int64
		wantLimit int
		wantErr   bool
	}{
		{"default", nil, 100, false},
		{"one", ptr[int64](1), 1, false},
		{"maximum", ptr[int64](service.MaxStreamList), service.MaxStreamList, false},
		{"zero", ptr[int64](0), 0, true},
		{"negative", ptr[int64](-1), 0, true},
		{"above maximum", ptr[int64](service.MaxStreamList + 1), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			svc, _, cat := newNamespaces()
			cat.streams = []ports.StreamInfo{{Stream: "a-1", Version: 0}}
			got, err := svc.Streams(context.Background(), "tenant", service.StreamList{Prefix: "a", Cursor: "a-0", Limit: tt.limit})
			if tt.wantErr {
				var ve *stream.ValidationError
				if !errors.As(err, &ve) || ve.Field != "limit" {
					t.Fatalf("Streams = %v, want a limit ValidationError", err)
				}
				if len(cat.listQs) != 0 {
					t.Error("catalog queried for an invalid request")
				}
				return
			}
			if err != nil || len(got) != 1 {
				t.Fatalf("Streams = %v, %v", got, err)
			}
			want := ports.StreamListQuery{Prefix: "a", After: "a-0", Limit: tt.wantLimit}
			if len(cat.listQs) != 1 || cat.listQs[0] != want {
				t.Errorf("catalog queries %+v, want [%+v]", cat.listQs, want)
			}
		})
	}
}

func TestNamespacesCategories(t *testing.T) {
	t.Parallel()
	svc, _, cat := newNamespaces()
	cat.cats = []ports.CategoryInfo{{Category: "account", StreamCount: 2, MessageCount: 5}}
	got, err := svc.Categories(context.Background(), "tenant")
	if err != nil || len(got) != 1 || got[0] != cat.cats[0] {
		t.Errorf("Categories = %+v, %v", got, err)
	}
}

// racingRegistry misses the record on its first Get, as when another node
// creates it right after that read.
type racingRegistry struct {
	*fakeRegistry
	missed bool
}

func (r *racingRegistry) Get(ctx context.Context, id string) (namespace.Record, error) {
	if !r.missed {
		r.missed = true
		return namespace.Record{}, namespace.NotFoundError(id)
	}
	return r.fakeRegistry.Get(ctx, id)
}
