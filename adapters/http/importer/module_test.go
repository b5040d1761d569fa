package importer_test

import (
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/importer"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/service"
)

// The module adds a streaming POST /import route to the "routes" group.
func TestModule(t *testing.T) {
	t.Parallel()
	store, err := sqlite.Open(sqlite.Config{InMemory: true}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	var got struct {
		fx.In
		Routes []httpapi.Route `group:"routes"`
	}
	app := fxtest.New(t,
		fx.NopLogger,
		importer.Module,
		fx.Provide(
			func() (*service.Imports, error) {
				return service.NewImports(store, system.UUIDs{}, nil, service.ImportConfig{})
			},
			func() (*httpapi.AuthMiddleware, error) {
				ns := service.NewNamespaces(store, store, system.Clock{})
				return httpapi.NewAuthMiddleware(service.NewAuth(store, ns, false), nil, false)
			},
		),
		fx.Populate(&got),
	)
	app.RequireStart()
	defer app.RequireStop()
	if len(got.Routes) != 1 {
		t.Fatalf("routes = %+v, want one", got.Routes)
	}
	r := got.Routes[0]
	if r.Method != "POST" || r.Path != "/import" || !r.Streaming || r.Handler == nil {
		t.Fatalf("route = %+v, want a streaming POST /import", r)
	}
}
