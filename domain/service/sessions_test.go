package service_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// recreate deletes namespace id and creates it again with the same token,
// one microsecond later: a new registration under the same id and token.
func recreate(t *testing.T, reg *fakeRegistry, id string) {
	t.Helper()
	ctx := context.Background()
	old, err := reg.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	old.CreatedAt = old.CreatedAt.Add(time.Microsecond)
	if err := reg.Create(ctx, old); err != nil {
		t.Fatal(err)
	}
}

func TestSessionsEndWithTheirRegistration(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, false)
	ctx := context.Background()
	p, err := f.auth.Authenticate(ctx, f.tenantToken)
	if err != nil {
		t.Fatal(err)
	}
	sessions := f.auth.Sessions()
	held, release, err := sessions.Hold(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	other, releaseOther, err := sessions.Hold(ctx, mustAuth(t, f, f.defaultToken))
	if err != nil {
		t.Fatal(err)
	}
	defer releaseOther()

	f.auth.Forget("tenant") // what ns.delete does on this node
	select {
	case <-held.Done():
	case <-time.After(time.Second):
		t.Fatal("the session of a deleted namespace did not end")
	}
	if !errors.Is(context.Cause(held), service.ErrNamespaceEnded) {
		t.Fatalf("cause = %v, want ErrNamespaceEnded", context.Cause(held))
	}
	if other.Err() != nil {
		t.Fatal("a session of another namespace ended too")
	}
	if sessions.Held("tenant") != 0 || sessions.Held(namespace.Default) != 1 {
		t.Fatalf("held: tenant %d, default %d", sessions.Held("tenant"), sessions.Held(namespace.Default))
	}
}

func TestSessionsRefuseAndRecheckEndedRegistrations(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, false)
	ctx := context.Background()
	p := mustAuth(t, f, f.tenantToken)
	sessions := f.auth.Sessions()
	held, release, err := sessions.Hold(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	defer release()

	// Deleted and re-created (same id, same token) where nobody told us:
	// a recheck ends the old registration's session…
	recreate(t, f.reg, "tenant")
	if err := sessions.Recheck(ctx); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(context.Cause(held), service.ErrNamespaceEnded) {
		t.Fatalf("after a recheck the old session's cause = %v, want ErrNamespaceEnded", context.Cause(held))
	}
	// …and the old principal cannot hold a new one.
	if _, _, err := sessions.Hold(ctx, p); !errors.Is(err, service.ErrAuthInvalid) {
		t.Fatalf("Hold with the old registration = %v, want ErrAuthInvalid", err)
	}
	// A fresh check (once the cached one is dropped) gets the new registration.
	f.auth.Forget("tenant")
	if _, release, err := sessions.Hold(ctx, mustAuth(t, f, f.tenantToken)); err != nil {
		t.Fatalf("Hold after re-authenticating: %v", err)
	} else {
		release()
	}
}

// A cached token check does not outlive a delete, nor does one that started
// before the delete and finished after it.
func TestAuthForgetsDeletedNamespacesAtOnce(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, false)
	ctx := context.Background()
	before := mustAuth(t, f, f.tenantToken)
	recreate(t, f.reg, "tenant")
	// Still cached: the registration of the check is the old one.
	if p := mustAuth(t, f, f.tenantToken); p.Registration != before.Registration {
		t.Fatal("the cache should still hold the old registration before Forget")
	}
	f.auth.Forget("tenant")
	after := mustAuth(t, f, f.tenantToken)
	if after.Registration == before.Registration {
		t.Fatal("after Forget the token still maps to the ended registration")
	}
	if _, err := f.reg.Delete(ctx, "tenant"); err != nil {
		t.Fatal(err)
	}
	f.auth.Forget("tenant")
	if _, err := f.auth.Authenticate(ctx, f.tenantToken); !errors.Is(err, service.ErrAuthInvalid) {
		t.Fatalf("the token of a deleted namespace = %v, want ErrAuthInvalid", err)
	}
}

// Follow applies the deletes a watch reports, and rechecks everything when
// it says some may have been missed.
func TestAuthFollow(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	watch := newFakeWatch()
	done := make(chan struct{})
	go func() { defer close(done); f.auth.Follow(ctx, watch, nil) }()
	defer func() { cancel(); <-done }()

	held, release, err := f.auth.Sessions().Hold(ctx, mustAuth(t, f, f.tenantToken))
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	watch.push([]string{"tenant"}, false)
	select {
	case <-held.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("a reported delete did not end the session")
	}

	held2, release2, err := f.auth.Sessions().Hold(ctx, mustAuth(t, f, f.tenantToken))
	if err != nil {
		t.Fatal(err)
	}
	defer release2()
	recreate(t, f.reg, "tenant")
	watch.push(nil, true) // deletes may have been missed
	select {
	case <-held2.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("a recheck after missed deletes did not end the stale session")
	}
}

func mustAuth(t *testing.T, f authFixture, token string) service.Principal {
	t.Helper()
	p, err := f.auth.Authenticate(context.Background(), token)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeWatch is a ports.EndedWatch fed by the test.
type fakeWatch struct {
	ready chan struct{}
	mu    sync.Mutex
	ids   []string
	all   bool
}

var _ ports.EndedWatch = (*fakeWatch)(nil)

func newFakeWatch() *fakeWatch { return &fakeWatch{ready: make(chan struct{}, 1)} }

func (w *fakeWatch) push(ids []string, all bool) {
	w.mu.Lock()
	w.ids, w.all = append(w.ids, ids...), w.all || all
	w.mu.Unlock()
	select {
	case w.ready <- struct{}{}:
	default:
	}
}

func (w *fakeWatch) Ready() <-chan struct{} { return w.ready }

func (w *fakeWatch) Take() ([]string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids, all := w.ids, w.all
	w.ids, w.all = nil, false
	return ids, all
}

func (w *fakeWatch) Close() {}
