package rpc_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/rpc"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
)

// The module wires the built-in methods, an extra method from another
// module, and the routes into a running server.
func TestModule(t *testing.T) {
	t.Parallel()
	clock := fixedClock{t: testTime}
	store := memory.New(memory.Options{Clock: clock})
	srvCfg := server.DefaultConfig()
	srvCfg.Host, srvCfg.Port = "127.0.0.1", 0
	rpcCfg := rpc.DefaultConfig()
	rpcCfg.TestMode = true

	var srv *server.Server
	app := fxtest.New(t,
		fx.NopLogger,
		server.Module,
		rpc.Module,
		fx.Supply(srvCfg, rpcCfg, service.DefaultLimits()),
		fx.Provide(
			func() ports.Storage { return store },
			func(s ports.Storage) ports.HealthChecker { return s },
			func() ports.Clock { return clock },
			func(s ports.Storage, l service.Limits) *service.Streams {
				return service.NewStreams(s, uuidGen{}, nil, l)
			},
			func(s ports.Storage, l service.Limits) *service.Categories { return service.NewCategories(s, l) },
			func(s ports.Storage, c ports.Clock) *service.Namespaces { return service.NewNamespaces(s, s, c) },
			func(s ports.Storage, n *service.Namespaces) *service.Auth { return service.NewAuth(s, n, true) },
			fx.Annotate(func() rpc.Method {
				return rpc.Method{Name: "x.echo", MinArgs: 1, MaxArgs: 1, Handle: func(_ context.Context, p service.Principal, args []json.RawMessage) (any, error) {
					return map[string]any{"ns": p.Namespace, "arg": args[0]}, nil
				}}
			}, fx.ResultTags(`group:"rpc.methods"`)),
		),
		fx.Invoke(func(n *service.Namespaces, a *service.Auth) error {
			token, err := n.EnsureDefault(context.Background(), "")
			a.SetDefaultToken(token)
			return err
		}),
		fx.Populate(&srv),
	)
	app.RequireStart()
	defer app.RequireStop()

	base := "http://" + srv.Addr()
	for _, tt := range []struct{ body, want string }{
		{`["sys.version"]`, `"0.1.0"`},
		{`["x.echo",{"a":1}]`, `{"arg":{"a":1},"ns":"default"}`},
		{`["stream.version","nothing"]`, `null`},
	} {
		resp, err := http.Post(base+"/rpc", "application/json", strings.NewReader(tt.body))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(b) != tt.want {
			t.Errorf("%s = %d %s, want %s", tt.body, resp.StatusCode, b, tt.want)
		}
	}
	for path, want := range map[string]string{"/health": `{"status":"ok"}`, "/version": `{"version":"0.1.0"}`} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != want {
			t.Errorf("GET %s = %s, want %s", path, b, want)
		}
	}
}

func TestConstructorsValidate(t *testing.T) {
	t.Parallel()
	noop := func(context.Context, service.Principal, []json.RawMessage) (any, error) { return nil, nil }
	bad := rpc.DefaultConfig()
	bad.MaxBodyBytes = 0
	tests := []struct {
		name    string
		cfg     rpc.Config
		methods []rpc.Method
	}{
		{"zero body limit", bad, nil},
		{"duplicate method", rpc.DefaultConfig(), []rpc.Method{{Name: "a", Handle: noop}, {Name: "a", Handle: noop}}},
		{"unnamed method", rpc.DefaultConfig(), []rpc.Method{{Handle: noop}}},
		{"method without handler", rpc.DefaultConfig(), []rpc.Method{{Name: "a"}}},
		{"bad arg counts", rpc.DefaultConfig(), []rpc.Method{{Name: "a", MinArgs: 2, MaxArgs: 1, Handle: noop}}},
	}
	for _, tt := range tests {
		if _, err := rpc.NewHandler(tt.cfg, tt.methods); err == nil {
			t.Errorf("%s: NewHandler accepted it", tt.name)
		}
	}
	if _, err := rpc.Methods(rpc.Deps{}); err == nil {
		t.Error("Methods accepted missing services")
	}
	if _, err := httpapi.NewAuthMiddleware(nil, nil, false); err == nil {
		t.Error("NewAuthMiddleware accepted a nil authenticator")
	}
}
