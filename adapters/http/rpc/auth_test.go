package rpc_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/rpc"
)

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	unknown := "ns_bm9ib2R5_" + strings.Repeat("0", 64) // well formed, namespace "nobody"
	wrongSecret := e.tenant[:len(e.tenant)-1] + "x"
	tests := []struct {
		name   string
		auth   string // Authorization header; "" for none
		body   string
		status int
		code   string
	}{
		{"missing token", "", `["sys.version"]`, 401, "AUTH_REQUIRED"},
		{"missing token beats bad JSON", "", `nope`, 401, "AUTH_REQUIRED"},
		{"malformed token", "Bearer garbage", `["sys.version"]`, 401, "AUTH_INVALID"},
		{"unknown namespace", "Bearer " + unknown, `["sys.version"]`, 401, "AUTH_INVALID"},
		{"wrong secret", "Bearer " + wrongSecret, `["sys.version"]`, 401, "AUTH_INVALID"},
		{"not a bearer token", "Basic dXNlcjpwYXNz", `["sys.version"]`, 401, "AUTH_INVALID"},
		{"tenant creates a namespace", "Bearer " + e.tenant, `["ns.create","other"]`, 403, "AUTH_FORBIDDEN"},
		{"tenant deletes a namespace", "Bearer " + e.tenant, `["ns.delete","tenant"]`, 403, "AUTH_FORBIDDEN"},
		{"tenant lists namespaces", "Bearer " + e.tenant, `["ns.list"]`, 403, "AUTH_FORBIDDEN"},
		{"tenant reads another namespace's info", "Bearer " + e.tenant, `["ns.info","default"]`, 403, "AUTH_FORBIDDEN"},
		{"tenant probes a missing namespace", "Bearer " + e.tenant, `["ns.info","ghost"]`, 403, "AUTH_FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequest(http.MethodPost, e.url+"/rpc", strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			r := do(t, req)
			wantError(t, r, tt.status, tt.code, "")
			if h := r.header.Get(httpapi.TokenHeader); h != "" {
				t.Fatalf("%s set outside test mode", httpapi.TokenHeader)
			}
		})
	}
}

func TestAuthAccepts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	for _, header := range []string{"Bearer " + e.tenant, "bearer " + e.tenant, "Bearer   " + e.tenant + " "} {
		req, _ := http.NewRequest(http.MethodPost, e.url+"/rpc", strings.NewReader(`["ns.info","tenant"]`))
		req.Header.Set("Authorization", header)
		if r := do(t, req); r.status != 200 {
			t.Errorf("Authorization %q: %d %s", header, r.status, r.body)
		}
	}
	e.ok(t, e.admin, "ns.info", "tenant") // the admin reads any namespace
}

func TestTestMode(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{testMode: true})

	r := e.post(t, "", `["stream.write","a-1",{"type":"T","data":{}}]`)
	if r.status != 200 || r.header.Get(httpapi.TokenHeader) != e.admin {
		t.Fatalf("no token in test mode: %d %s, token header %q", r.status, r.body, r.header.Get(httpapi.TokenHeader))
	}
	if v := e.ok(t, e.admin, "stream.version", "a-1"); v != 0.0 {
		t.Fatalf("the tokenless write did not go to the default namespace: %v", v)
	}

	fresh := "ns_ZnJlc2g_" + strings.Repeat("1", 64) // "fresh"
	r = e.post(t, fresh, `["ns.info","fresh"]`)
	if r.status != 200 || r.header.Get(httpapi.TokenHeader) != fresh {
		t.Fatalf("unknown namespace in test mode: %d %s, token header %q", r.status, r.body, r.header.Get(httpapi.TokenHeader))
	}
	wantError(t, e.post(t, "garbage", `["sys.version"]`), 401, "AUTH_INVALID", "")
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{rate: 0.001, burst: 2}) // no refill during the test
	for range 2 {
		e.ok(t, e.tenant, "sys.version")
	}
	r := e.call(t, e.tenant, "sys.version")
	wantError(t, r, 429, "RATE_LIMITED", "retry after")
	// 0.001/s refills one request in 1000 s.
	if got := r.header.Get("Retry-After"); got != "1000" {
		t.Errorf("Retry-After = %q, want 1000 (seconds until the next request is allowed)", got)
	}
	e.ok(t, e.admin, "sys.version") // another token has its own budget
}

func TestNoRateLimitByDefault(t *testing.T) {
	t.Parallel()
	if cfg := rpc.DefaultConfig(); cfg.RateLimit != 0 {
		t.Fatalf("default rate limit = %g, want 0 (off)", cfg.RateLimit)
	}
	e := newEnv(t, envOptions{}) // the default: no limiter
	for i := range 3000 {
		if r := e.call(t, e.tenant, "sys.version"); r.status != 200 {
			t.Fatalf("request %d: %d %s, want every request served", i, r.status, r.body)
		}
	}
}

func TestRateLimiterOffWhenZero(t *testing.T) {
	t.Parallel()
	if l := httpapi.NewRateLimiter(0, 10); l != nil {
		t.Fatal("a zero rate must give a nil limiter")
	}
	var off *httpapi.RateLimiter
	if ok, _ := off.Allow("x"); !ok {
		t.Fatal("a nil limiter must allow everything")
	}
	l := httpapi.NewRateLimiter(0.001, 0) // burst: one second's worth, at least 1
	if ok, _ := l.Allow("t"); !ok {
		t.Fatal("the first request must be allowed")
	}
	if ok, wait := l.Allow("t"); ok || wait < 999*time.Second {
		t.Fatalf("second request allowed=%v wait=%s, want refused with ~1000 s to wait", ok, wait)
	}
}

func TestQueryTokenOnlyWhereAllowed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	probe := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, _ := httpapi.PrincipalFrom(r.Context())
		_, _ = w.Write([]byte(p.Namespace))
	})
	for _, tt := range []struct {
		name    string
		handler http.Handler
		status  int
		body    string
	}{
		{"header only", e.auth.Wrap(probe), 401, ""},
		{"query allowed", e.auth.WrapAllowQuery(probe), 200, "tenant"},
	} {
		w := httptest.NewRecorder()
		tt.handler.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/subscribe?token="+e.tenant, nil))
		if w.Code != tt.status || (tt.body != "" && w.Body.String() != tt.body) {
			t.Errorf("%s: %d %s", tt.name, w.Code, w.Body)
		}
	}
}

// A namespace deleted under a cached token check (on another node, before
// this one heard) is answered as AUTH_INVALID, not NAMESPACE_NOT_FOUND:
// the token is no longer valid, whichever way the request ends.
func TestDeletedUnderCachedTokenIsAuthInvalid(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.ok(t, e.tenant, "stream.write", "acct-1", msg("T", map[string]any{}))   // the token's check is cached
	if _, err := e.store.Delete(context.Background(), "tenant"); err != nil { // behind the auth's back
		t.Fatal(err)
	}
	wantError(t, e.call(t, e.tenant, "stream.version", "acct-1"), http.StatusUnauthorized, "AUTH_INVALID", "")
	e.ok(t, e.admin, "stream.version", "acct-1") // the admin's own namespace is untouched
	wantError(t, e.call(t, e.admin, "ns.info", "tenant"), http.StatusNotFound, "NAMESPACE_NOT_FOUND", "")
}
