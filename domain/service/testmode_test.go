package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// tokenFor makes a well-formed token of namespace id.
func tokenFor(t *testing.T, id string) string {
	t.Helper()
	tok, err := namespace.NewToken(id)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestTestModeCapsAndExpiresAutoCreatedNamespaces(t *testing.T) {
	t.Parallel()
	reg := newFakeRegistry()
	clock := &movingClock{now: testNow}
	nss := service.NewNamespaces(reg, &fakeCatalog{stats: map[string]ports.NamespaceStats{}}, clock)
	ctx := context.Background()
	def, err := nss.EnsureDefault(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	auth := service.NewAuth(reg, nss, true)
	auth.SetDefaultToken(def)
	auth.SetTestModeLimits(service.TestModeLimits{MaxNamespaces: 2, IdleTTL: time.Hour})

	a, b, c := tokenFor(t, "auto-a"), tokenFor(t, "auto-b"), tokenFor(t, "auto-c")
	for _, tok := range []string{a, b} {
		if _, err := auth.Authenticate(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := auth.Authenticate(ctx, c); !errors.Is(err, service.ErrTooManyNamespaces) || !strings.Contains(err.Error(), "(2)") {
		t.Fatalf("a third auto-created namespace: %v, want ErrTooManyNamespaces naming the cap", err)
	}
	// The admin's own namespace is not auto-created and never counts.
	if _, err := auth.Authenticate(ctx, ""); err != nil {
		t.Fatal(err)
	}

	clock.add(40 * time.Minute)
	if _, err := auth.Authenticate(ctx, a); err != nil { // a is used again, b is not
		t.Fatal(err)
	}
	clock.add(30 * time.Minute)
	expired, err := auth.ExpireIdle(ctx)
	if err != nil || len(expired) != 1 || expired[0] != "auto-b" {
		t.Fatalf("ExpireIdle = %v, %v; want only auto-b (idle 70 min; auto-a was used 30 min ago)", expired, err)
	}
	if _, err := reg.Get(ctx, "auto-b"); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("auto-b still registered: %v", err)
	}
	if _, err := reg.Get(ctx, namespace.Default); err != nil {
		t.Fatal("the default namespace must never expire")
	}
	// Room again: c can be created now.
	if _, err := auth.Authenticate(ctx, c); err != nil {
		t.Fatalf("after an expiry a new namespace fits: %v", err)
	}
}

// movingClock is a clock tests move forward.
type movingClock struct{ now time.Time }

func (c *movingClock) Now() time.Time      { return c.now }
func (c *movingClock) add(d time.Duration) { c.now = c.now.Add(d) }
