package sse_test

import (
	"context"
	"net/http"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/http/sse"
	"github.com/eventodb/eventodb/adapters/notify/local"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// The module adds a streaming GET /subscribe to the server's routes over the
// subscription service.
func TestModule(t *testing.T) {
	t.Parallel()
	var (
		srv     *server.Server
		streams *service.Streams
		g       = &gauge{}
	)
	scfg := server.DefaultConfig()
	scfg.Host, scfg.Port = "127.0.0.1", 0
	cfg := sse.DefaultConfig()
	app := fxtest.New(t,
		fx.NopLogger,
		fx.Supply(sqlite.Config{InMemory: true}, zap.NewNop(), scfg, cfg, service.DefaultLimits()),
		sqlite.Module,
		local.Module,
		system.Module,
		fx.Provide(
			func(s ports.MessageStore, ids ports.IDGenerator, n ports.Notifier, l service.Limits) *service.Streams {
				return service.NewStreams(s, ids, n, l)
			},
			service.NewCategories,
			service.NewNamespaces,
			func(r ports.NamespaceRegistry, ns *service.Namespaces) *service.Auth {
				return service.NewAuth(r, ns, true)
			},
			func(a *service.Auth) (*httpapi.AuthMiddleware, error) { return httpapi.NewAuthMiddleware(a, nil, true) },
			func(st *service.Streams, c *service.Categories, s ports.MessageStore, n ports.Notifier) *service.Subscriptions {
				all, _ := s.(ports.AllReader)
				return service.NewSubscriptions(st, c, all, n, nil, service.SubscriptionOptions{})
			},
			func() sse.Gauge { return g },
		),
		sse.Module,
		server.Module,
		fx.Invoke(func(ns *service.Namespaces) error {
			_, err := ns.EnsureDefault(context.Background(), "")
			return err
		}),
		fx.Populate(&srv, &streams),
	)
	app.RequireStart()
	defer app.RequireStop()

	if _, err := streams.Write(context.Background(), "default", stream.Append{Stream: "s-1",
		Messages: []stream.Proposed{{Type: "A", Data: []byte(`{}`)}}}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+srv.Addr()+"/subscribe?all=true", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /subscribe?all=true = %d", resp.StatusCode)
	}
	c := newClient(ctx, resp, cancel)
	if f := c.next(t); f.comment != "ready" {
		t.Fatalf("first frame %+v", f)
	}
	if p := c.pokes(t, 1)[0]; p != (poke{"s-1", 0, 1}) {
		t.Fatalf("poke %+v", p)
	}
	if n := g.n.Load(); n != 1 {
		t.Fatalf("gauge = %d", n)
	}
	c.close()
}

func TestRouteIsStreaming(t *testing.T) {
	t.Parallel()
	h, err := sse.NewHandler(sse.DefaultConfig(), sse.Deps{Subscriptions: failingFollower{}})
	if err != nil {
		t.Fatal(err)
	}
	mw, err := httpapi.NewAuthMiddleware(service.NewAuth(nil, nil, false), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	r := sse.Route(h, mw)
	if r.Method != http.MethodGet || r.Path != "/subscribe" || !r.Streaming || r.Handler == nil {
		t.Fatalf("route = %+v", r)
	}
}
