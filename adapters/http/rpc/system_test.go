package rpc_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/ports"
)

func TestSystemMethods(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	if v := e.ok(t, e.tenant, "sys.version"); v != "0.1.0" {
		t.Fatalf("sys.version = %v", v)
	}
	if h := canon(t, e.ok(t, e.tenant, "sys.health")); h != `{"backend":"memory","connections":0,"status":"ok"}` {
		t.Fatalf("sys.health = %s", h)
	}
	// Distinct figures, as a SQL backend's pool has, show each lands in its field.
	e.store.reportFigures(ports.Health{Backend: "sqlite", Connections: 3, InUse: 1, Idle: 2, MaxOpen: 20, WaitCount: 7})
	if h := canon(t, e.ok(t, e.tenant, "sys.health")); h != `{"backend":"sqlite","connections":3,"status":"ok"}` {
		t.Fatalf("sys.health = %s", h)
	}
	if h := canon(t, e.ok(t, e.tenant, "sys.health", map[string]any{"pool": true})); h != `{"backend":"sqlite","connections":3,"pool":{"idle":2,"inUse":1,"maxOpen":20,"waitCount":7},"status":"ok"}` {
		t.Fatalf("sys.health {pool: true} = %s", h)
	}
}

func TestHealthAndVersionEndpoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	get := func(path string) response {
		req, err := http.NewRequest(http.MethodGet, e.url+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		return do(t, req)
	}
	if r := get("/version"); r.status != 200 || string(r.body) != `{"version":"0.1.0"}` {
		t.Fatalf("GET /version = %d %s", r.status, r.body)
	}
	if r := get("/health"); r.status != 200 || string(r.body) != `{"status":"ok"}` {
		t.Fatalf("GET /health = %d %s", r.status, r.body)
	}
	e.store.setDown(true)
	r := get("/health")
	if r.status != 503 || canon(t, decode(t, r.body)) != `{"error":{"code":"BACKEND_ERROR","message":"the database is unavailable"},"status":"unavailable"}` {
		t.Fatalf("GET /health with the database down = %d %s", r.status, r.body)
	}
}

func TestBackendErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.ok(t, e.tenant, "stream.write", "s-1", msg("T", map[string]any{})) // caches the token

	e.store.setDown(true)
	for _, call := range [][]any{
		{"stream.write", "s-1", msg("T", map[string]any{})},
		{"stream.get", "s-1"},
		{"category.get", "s"},
		{"sys.health"},
	} {
		wantError(t, e.call(t, e.tenant, call[0].(string), call[1:]...), 503, "BACKEND_ERROR", "unavailable")
	}
	e.store.setDown(false)

	e.store.setBroken(errors.New("pq: relation messages_secret_table does not exist"))
	r := e.call(t, e.tenant, "stream.version", "s-1")
	wantError(t, r, 500, "BACKEND_ERROR", "internal backend error")
	if strings.Contains(string(r.body), "secret_table") {
		t.Fatalf("the internal error leaked: %s", r.body)
	}
}
