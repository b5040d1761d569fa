package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/server"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
)

func TestModuleCollectsRoutesAndMiddleware(t *testing.T) {
	t.Parallel()
	var srv *server.Server
	var listener httpapi.Listener
	app := fxtest.New(t,
		fx.NopLogger,
		server.Module,
		fx.Supply(testConfig()),
		fx.Provide(
			httpapi.AsRoute(func() httpapi.Route {
				return httpapi.Route{Method: "GET", Path: "/ping", Handler: text("pong")}
			}),
			httpapi.AsMiddleware(func() httpapi.Middleware {
				return httpapi.Middleware{Wrap: func(next http.Handler) http.Handler {
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						w.Header().Set("X-Wrapped", "yes")
						next.ServeHTTP(w, r)
					})
				}}
			}),
		),
		fx.Populate(&srv, &listener),
	)
	app.RequireStart()
	if listener.Addr() != srv.Addr() || srv.Addr() == "" {
		t.Fatalf("the Listener says %q, the server listens on %q", listener.Addr(), srv.Addr())
	}
	resp, err := http.Get("http://" + srv.Addr() + "/ping")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Wrapped") != "yes" {
		t.Fatalf("GET /ping = %d, X-Wrapped %q", resp.StatusCode, resp.Header.Get("X-Wrapped"))
	}
	app.RequireStop()
	if err := srv.Stop(context.Background()); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}
