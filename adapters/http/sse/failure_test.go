package sse_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/sse"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// failingFollower pokes once, then fails as a store read would with err.
type failingFollower struct{ err error }

func (failingFollower) Check(service.Selector) error { return nil }

func (f failingFollower) Follow(_ context.Context, _ string, sel service.Selector, out service.Output) error {
	if err := out.Pokes([]service.Poke{{Stream: sel.Stream, Position: 0, GlobalPosition: 7}}); err != nil {
		return &service.OutputError{Err: err}
	}
	return f.err
}

// noAll refuses all=true like a store without a whole-namespace reader.
type noAll struct{ failingFollower }

func (noAll) Check(sel service.Selector) error {
	if sel.All {
		return service.ErrNoAll
	}
	return nil
}

// A failed store read ends the subscription with an "error" event carrying
// the wire code, after the pokes already read.
func TestReadFailureEndsWithErrorEvent(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		err  error
		code string
	}{
		{namespace.NotFoundError("gone"), "NAMESPACE_NOT_FOUND"},
		{ports.ErrUnavailable, "BACKEND_ERROR"},
	} {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			h, err := sse.NewHandler(sse.DefaultConfig(), sse.Deps{Subscriptions: failingFollower{err: tc.err}})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(w, r.WithContext(httpapi.WithPrincipal(r.Context(), service.Principal{Namespace: "gone", Token: "x"})))
			}))
			t.Cleanup(ts.Close)
			resp, err := http.Get(ts.URL + "/subscribe?stream=s-1")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			c := newClient(context.Background(), resp, func() {})
			if f := c.next(t); f.comment != "ready" {
				t.Fatalf("first frame %+v", f)
			}
			if p := c.pokes(t, 1)[0]; p.GlobalPosition != 7 {
				t.Fatalf("poke %+v", p)
			}
			f := c.next(t)
			if f.event != "error" || !jsonHasCode(t, f.data, tc.code) {
				t.Fatalf("after a failed read: %+v, want an error event with %s", f, tc.code)
			}
			if f := c.next(t); !f.isEOF {
				t.Fatalf("after the error event: %+v, want the end", f)
			}
		})
	}
}

// Without the auth middleware there is no principal: 401, not a stream.
func TestWithoutPrincipal(t *testing.T) {
	t.Parallel()
	h, err := sse.NewHandler(sse.DefaultConfig(), sse.Deps{Subscriptions: failingFollower{}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/subscribe?stream=s-1", nil))
	wantError(t, rec.Result(), http.StatusUnauthorized, "AUTH_REQUIRED")
}

// all=true needs a store that can read a whole namespace.
func TestAllWithoutAllReader(t *testing.T) {
	t.Parallel()
	h, err := sse.NewHandler(sse.DefaultConfig(), sse.Deps{Subscriptions: noAll{}})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/subscribe?all=true", nil)
	h.ServeHTTP(rec, req.WithContext(httpapi.WithPrincipal(req.Context(), service.Principal{Namespace: "n"})))
	wantError(t, rec.Result(), http.StatusBadRequest, "INVALID_REQUEST")
}

func TestNewHandlerValidates(t *testing.T) {
	t.Parallel()
	ok := sse.Deps{Subscriptions: failingFollower{}}
	for name, tc := range map[string]struct {
		cfg  func(*sse.Config)
		deps func(*sse.Deps)
	}{
		"negative per-token cap":  {cfg: func(c *sse.Config) { c.MaxPerToken = -1 }},
		"negative stall timeout":  {cfg: func(c *sse.Config) { c.StallTimeout = -1 }},
		"no subscription service": {deps: func(d *sse.Deps) { d.Subscriptions = nil }},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg, deps := sse.DefaultConfig(), ok
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			if tc.deps != nil {
				tc.deps(&deps)
			}
			if _, err := sse.NewHandler(cfg, deps); err == nil {
				t.Fatal("NewHandler accepted it")
			}
		})
	}
	if _, err := sse.NewHandler(sse.DefaultConfig(), ok); err != nil {
		t.Fatalf("defaults: %v", err)
	}
}
