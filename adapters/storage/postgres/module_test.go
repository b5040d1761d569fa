package postgres_test

import (
	"context"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/ports"
)

func TestModule(t *testing.T) {
	t.Parallel()
	dsn := freshDatabase(t)
	var (
		storage ports.Storage
		health  ports.HealthChecker
		store   *bunstore.Store
	)
	app := fxtest.New(t,
		fx.Supply(postgres.Config{URL: dsn, MaxConns: 2}),
		postgres.Module,
		fx.Populate(&storage, &health, &store),
		fx.Invoke(func(ports.MessageStore, ports.Catalog, ports.NamespaceRegistry) {}),
	)
	app.RequireStart()
	h, err := health.Health(context.Background())
	if err != nil || h.Backend != "postgres" || h.MaxOpen != 2 {
		t.Fatalf("health = %+v, %v", h, err)
	}
	createNamespace(t, storage)
	app.RequireStop()
}
