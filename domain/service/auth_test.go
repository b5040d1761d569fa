package service_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// authFixture is an Auth over an in-memory registry holding default and
// tenant, with their tokens.
type authFixture struct {
	auth         *service.Auth
	reg          *fakeRegistry
	defaultToken string
	tenantToken  string
}

func newAuthFixture(t *testing.T, testMode bool) authFixture {
	t.Helper()
	reg := newFakeRegistry()
	nss := service.NewNamespaces(reg, &fakeCatalog{stats: map[string]ports.NamespaceStats{}}, fixedClock{testNow})
	ctx := context.Background()
	def, err := nss.EnsureDefault(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	tenant, err := nss.Create(ctx, "tenant", "", "")
	if err != nil {
		t.Fatal(err)
	}
	auth := service.NewAuth(reg, nss, testMode)
	auth.SetDefaultToken(def)
	return authFixture{auth: auth, reg: reg, defaultToken: def, tenantToken: tenant.Token}
}

// wrongSecret keeps the token's namespace and replaces its secret.
func wrongSecret(tok string) string {
	i := strings.LastIndexByte(tok, '_')
	return tok[:i+1] + strings.Repeat("0", 64)
}

func TestAuthenticate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		testMode bool
		token    func(f authFixture) string
		wantNS   string
		wantErr  error
	}{
		{"no token", false, func(authFixture) string { return "" }, "", service.ErrAuthRequired},
		{"no token in test mode", true, func(authFixture) string { return "" }, namespace.Default, nil},
		{"admin token", false, func(f authFixture) string { return f.defaultToken }, namespace.Default, nil},
		{"namespace token", false, func(f authFixture) string { return f.tenantToken }, "tenant", nil},
		{"namespace token in test mode", true, func(f authFixture) string { return f.tenantToken }, "tenant", nil},
		{"malformed", false, func(authFixture) string { return "hunter2" }, "", service.ErrAuthInvalid},
		{"malformed in test mode", true, func(authFixture) string { return "ns_x_y" }, "", service.ErrAuthInvalid},
		{"wrong secret", false, func(f authFixture) string { return wrongSecret(f.tenantToken) }, "", service.ErrAuthInvalid},
		{"wrong admin secret", false, func(f authFixture) string { return wrongSecret(f.defaultToken) }, "", service.ErrAuthInvalid},
		{"wrong secret in test mode", true, func(f authFixture) string { return wrongSecret(f.tenantToken) }, "", service.ErrAuthInvalid},
		{"unknown namespace", false, func(authFixture) string {
			tok, _ := namespace.NewToken("stranger")
			return tok
		}, "", service.ErrAuthInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newAuthFixture(t, tt.testMode)
			tok := tt.token(f)
			p, err := f.auth.Authenticate(context.Background(), tok)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Authenticate = %+v, %v; want %v", p, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Authenticate: %v", err)
			}
			if p.Namespace != tt.wantNS {
				t.Errorf("namespace = %q, want %q", p.Namespace, tt.wantNS)
			}
			wantTok := tok
			if tok == "" {
				wantTok = f.defaultToken // test mode implies the default token
			}
			if p.Token != wantTok {
				t.Errorf("principal token = %q, want %q", p.Token, wantTok)
			}
		})
	}
}

func TestAuthTestModeCreatesUnknownNamespace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAuthFixture(t, true)
	tok, err := namespace.NewToken("newcomer")
	if err != nil {
		t.Fatal(err)
	}
	p, err := f.auth.Authenticate(ctx, tok)
	if err != nil || p.Namespace != "newcomer" || p.Token != tok {
		t.Fatalf("Authenticate = %+v, %v; want newcomer", p, err)
	}
	rec, err := f.reg.Get(ctx, "newcomer")
	if err != nil || !namespace.TokenMatches(tok, rec.TokenHash) {
		t.Fatalf("newcomer record %+v, %v: want it created with the presented token", rec, err)
	}
	// The namespace now belongs to that token: another one is refused.
	other, err := namespace.NewToken("newcomer")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.auth.Authenticate(ctx, other); !errors.Is(err, service.ErrAuthInvalid) {
		t.Errorf("another token for newcomer = %v, want ErrAuthInvalid", err)
	}
	if p, err := f.auth.Authenticate(ctx, tok); err != nil || p.Namespace != "newcomer" {
		t.Errorf("second Authenticate = %+v, %v", p, err)
	}
}

func TestAuthRegistryFailureIsNotInvalid(t *testing.T) {
	t.Parallel()
	f := newAuthFixture(t, false)
	boom := errors.New("db down")
	f.reg.mu.Lock()
	f.reg.getErr = boom
	f.reg.mu.Unlock()
	_, err := f.auth.Authenticate(context.Background(), f.tenantToken)
	if !errors.Is(err, boom) || errors.Is(err, service.ErrAuthInvalid) {
		t.Errorf("Authenticate = %v, want the registry error, not ErrAuthInvalid", err)
	}
}

func TestAuthForget(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAuthFixture(t, false)
	if _, err := f.auth.Authenticate(ctx, f.tenantToken); err != nil {
		t.Fatal(err)
	}
	if _, err := f.reg.Delete(ctx, "tenant"); err != nil {
		t.Fatal(err)
	}
	f.auth.Forget("tenant")
	if _, err := f.auth.Authenticate(ctx, f.tenantToken); !errors.Is(err, service.ErrAuthInvalid) {
		t.Errorf("token of a deleted, forgotten namespace = %v, want ErrAuthInvalid", err)
	}
	if p, err := f.auth.Authenticate(ctx, f.defaultToken); err != nil || p.Namespace != namespace.Default {
		t.Errorf("Forget(tenant) affected the admin token: %+v, %v", p, err)
	}
}

func TestRequireAdminAndAccess(t *testing.T) {
	t.Parallel()
	admin := service.Principal{Namespace: namespace.Default}
	tenant := service.Principal{Namespace: "tenant"}
	if !admin.Admin() || tenant.Admin() {
		t.Fatalf("Admin(): default %v, tenant %v", admin.Admin(), tenant.Admin())
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"admin may administer", service.RequireAdmin(admin), nil},
		{"tenant may not administer", service.RequireAdmin(tenant), service.ErrAuthForbidden},
		{"nobody may not administer", service.RequireAdmin(service.Principal{}), service.ErrAuthForbidden},
		{"tenant reaches itself", service.RequireAccess(tenant, "tenant"), nil},
		{"admin reaches tenant", service.RequireAccess(admin, "tenant"), nil},
		{"admin reaches itself", service.RequireAccess(admin, namespace.Default), nil},
		{"tenant does not reach another", service.RequireAccess(tenant, "other"), service.ErrAuthForbidden},
		{"tenant does not reach default", service.RequireAccess(tenant, namespace.Default), service.ErrAuthForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !errors.Is(tt.err, tt.want) || (tt.want == nil && tt.err != nil) {
				t.Errorf("got %v, want %v", tt.err, tt.want)
			}
		})
	}
}

// steppingClock is a clock a test moves forward.
type steppingClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *steppingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *steppingClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Another node may delete a namespace and create it again with a new token;
// this node must stop accepting the old token soon after, not at restart.
func TestAuthForgetsTokensReplacedElsewhere(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	reg := newFakeRegistry()
	clock := &steppingClock{t: testNow}
	nss := service.NewNamespaces(reg, &fakeCatalog{stats: map[string]ports.NamespaceStats{}}, clock)
	old, err := nss.Create(ctx, "shop", "", "")
	if err != nil {
		t.Fatal(err)
	}
	auth := service.NewAuth(reg, nss, false)
	if _, err := auth.Authenticate(ctx, old.Token); err != nil {
		t.Fatalf("fresh token: %v", err)
	}
	// The other node: delete and re-create, straight in the shared registry.
	if _, err := reg.Delete(ctx, "shop"); err != nil {
		t.Fatal(err)
	}
	if _, err := nss.Create(ctx, "shop", "", ""); err != nil {
		t.Fatal(err)
	}
	clock.advance(time.Minute)
	if _, err := auth.Authenticate(ctx, old.Token); !errors.Is(err, service.ErrAuthInvalid) {
		t.Fatalf("the replaced token a minute later: %v, want ErrAuthInvalid", err)
	}
}

// A request whose namespace vanished under a cached token check (deleted on
// another node, before this one heard) is refused as AUTH_INVALID, and the
// token is checked again next time; other failures pass unchanged.
func TestAuthRecheck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newAuthFixture(t, false)
	p, err := f.auth.Authenticate(ctx, f.tenantToken)
	if err != nil {
		t.Fatal(err)
	}
	notFound := namespace.NotFoundError("tenant")
	if got := f.auth.Recheck(ctx, p, notFound); got != notFound {
		t.Errorf("with the namespace still registered: %v, want the error unchanged", got)
	}
	other := errors.New("disk full")
	if got := f.auth.Recheck(ctx, p, other); got != other {
		t.Errorf("another failure: %v, want it unchanged", got)
	}
	if _, err := f.reg.Delete(ctx, "tenant"); err != nil {
		t.Fatal(err)
	}
	if got := f.auth.Recheck(ctx, p, notFound); !errors.Is(got, service.ErrAuthInvalid) {
		t.Errorf("after the namespace was deleted elsewhere: %v, want ErrAuthInvalid", got)
	}
	if _, err := f.auth.Authenticate(ctx, f.tenantToken); !errors.Is(err, service.ErrAuthInvalid) {
		t.Errorf("the token's cached check outlived the recheck: %v, want ErrAuthInvalid", err)
	}
	admin, err := f.auth.Authenticate(ctx, f.defaultToken)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.auth.Recheck(ctx, admin, notFound); got != notFound {
		t.Errorf("an admin's request about a missing namespace: %v, want NAMESPACE_NOT_FOUND unchanged", got)
	}
}
