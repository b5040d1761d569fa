package observability_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/observability"
	"github.com/eventodb/eventodb/ports"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"
	"go.uber.org/zap"
)

func TestModule(t *testing.T) {
	t.Parallel()
	cfg := server.DefaultConfig()
	cfg.Host, cfg.Port = "127.0.0.1", 0
	var (
		srv     *server.Server
		metrics *observability.Metrics
		logger  *zap.Logger
	)
	app := fxtest.New(t,
		fx.NopLogger,
		server.Module,
		observability.LoggerModule,
		observability.Module,
		fx.Supply(cfg, observability.Config{Level: "error", Format: "json"}),
		fx.Provide(func() ports.HealthChecker {
			return &fakeHealth{health: ports.Health{Backend: "sqlite", Connections: 2}}
		}),
		fx.Populate(&srv, &metrics, &logger),
	)
	app.RequireStart()
	defer app.RequireStop()

	metrics.SSEConnections.Inc()
	base := "http://" + srv.Addr()
	for range 2 {
		resp, err := http.Get(base + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET /metrics = %d", resp.StatusCode)
		}
		body := string(b)
		for _, want := range []string{"eventodb_db_up 1", `eventodb_db_connections{backend="sqlite",state="open"} 2`, "eventodb_sse_connections 1", "go_goroutines"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET /metrics lacks %q", want)
			}
		}
		if strings.Contains(body, `eventodb_requests_total{method="/metrics",status="ok"} 1`) {
			return // the first scrape was counted by the middleware
		}
	}
	t.Fatal("the request middleware did not count the first /metrics request")
}

func TestModuleRejectsBadLogConfig(t *testing.T) {
	t.Parallel()
	app := fx.New(
		fx.NopLogger,
		observability.LoggerModule,
		fx.Supply(observability.Config{Level: "loud", Format: "json"}),
		fx.Invoke(func(*zap.Logger) {}),
	)
	if err := app.Err(); err == nil || !strings.Contains(err.Error(), "unknown log level") {
		t.Fatalf("app error = %v", err)
	}
}
