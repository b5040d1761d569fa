package sse_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/rpc"
	"github.com/eventodb/eventodb/adapters/http/sse"
	"github.com/eventodb/eventodb/adapters/notify/local"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// failingReader fails every read after the first with err.
type failingReader struct {
	err   error
	calls int
}

func (f *failingReader) Get(_ context.Context, _ string, r service.StreamRead, page func([]stream.Message) error) error {
	f.calls++
	if f.calls > 1 {
		return f.err
	}
	return page([]stream.Message{{Stream: r.Stream, Position: 0, GlobalPosition: 7}})
}

func (f *failingReader) Version(context.Context, string, string) (int64, error) { return 0, nil }

type noCategories struct{}

func (noCategories) Get(context.Context, string, service.CategoryRead, func([]stream.Message) error) error {
	return errors.New("unused")
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
			notifier := local.New()
			cfg := sse.DefaultConfig()
			cfg.PageSize = 1 // a full page: read again at once, and fail
			h, err := sse.NewHandler(cfg, sse.Deps{Streams: &failingReader{err: tc.err}, Categories: noCategories{}, Notifier: notifier})
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				h.ServeHTTP(w, r.WithContext(rpc.WithPrincipal(r.Context(), service.Principal{Namespace: "gone", Token: "x"})))
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
			if n := notifier.Subscribers("gone"); n != 0 {
				t.Fatalf("notifier subscribers = %d after the end", n)
			}
		})
	}
}

// Without the auth middleware there is no principal: 401, not a stream.
func TestWithoutPrincipal(t *testing.T) {
	t.Parallel()
	h, err := sse.NewHandler(sse.DefaultConfig(), sse.Deps{Streams: &failingReader{}, Categories: noCategories{}, Notifier: local.New()})
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
	h, err := sse.NewHandler(sse.DefaultConfig(), sse.Deps{Streams: &failingReader{}, Categories: noCategories{}, Notifier: local.New()})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/subscribe?all=true", nil)
	h.ServeHTTP(rec, req.WithContext(rpc.WithPrincipal(req.Context(), service.Principal{Namespace: "n"})))
	wantError(t, rec.Result(), http.StatusBadRequest, "INVALID_REQUEST")
}

func TestNewHandlerValidates(t *testing.T) {
	t.Parallel()
	ok := sse.Deps{Streams: &failingReader{}, Categories: noCategories{}, Notifier: local.New()}
	for name, tc := range map[string]struct {
		cfg  func(*sse.Config)
		deps func(*sse.Deps)
	}{
		"zero heartbeat":         {cfg: func(c *sse.Config) { c.Heartbeat = 0 }},
		"negative per-token cap": {cfg: func(c *sse.Config) { c.MaxPerToken = -1 }},
		"zero page size":         {cfg: func(c *sse.Config) { c.PageSize = 0 }},
		"negative stall timeout": {cfg: func(c *sse.Config) { c.StallTimeout = -1 }},
		"no stream reader":       {deps: func(d *sse.Deps) { d.Streams = nil }},
		"no category reader":     {deps: func(d *sse.Deps) { d.Categories = nil }},
		"no notifier":            {deps: func(d *sse.Deps) { d.Notifier = nil }},
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
