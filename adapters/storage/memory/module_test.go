package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func TestModule(t *testing.T) {
	t.Parallel()
	stopped := time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		name     string
		options  []fx.Option
		wantTime func(time.Time) bool // of an appended message
	}{
		{"alone", nil, func(got time.Time) bool { return time.Since(got) < time.Minute }},
		{"with the application's clock",
			[]fx.Option{fx.Provide(func() ports.Clock { return fixedClock{stopped} })},
			func(got time.Time) bool { return got.Equal(stopped) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var storage ports.Storage
			app := fxtest.New(t, append(tt.options,
				memory.Module,
				fx.Populate(&storage),
				fx.Invoke(func(*memory.Store, ports.MessageStore, ports.Catalog, ports.NamespaceRegistry,
					ports.HealthChecker, ports.AllReader, ports.Importer, ports.Exporter) {
				}),
			)...)
			app.RequireStart()
			ctx := context.Background()
			if h, err := storage.Health(ctx); err != nil || h.Backend != "memory" {
				t.Fatalf("health = %+v, %v", h, err)
			}
			if err := storage.Create(ctx, namespace.Record{ID: "ns", CreatedAt: stopped}); err != nil {
				t.Fatal(err)
			}
			m := stream.Proposed{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`)}
			if _, err := storage.Append(ctx, "ns", stream.Append{Stream: "m-1", Messages: []stream.Proposed{m}}); err != nil {
				t.Fatal(err)
			}
			if last, err := storage.Last(ctx, "ns", "m-1", ""); err != nil || last == nil || !tt.wantTime(last.Time) {
				t.Fatalf("last = %+v, %v", last, err)
			}
			app.RequireStop()
			if _, err := storage.Health(ctx); !errors.Is(err, ports.ErrUnavailable) {
				t.Fatalf("health after stop: %v, want ErrUnavailable: stopping closes the store", err)
			}
		})
	}
}
