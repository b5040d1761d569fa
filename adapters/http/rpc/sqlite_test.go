package rpc_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"go.uber.org/zap"
)

// The RPC methods over the SQLite store (in memory): the shapes the other
// tests see over the memory store must hold there too.
func TestAgainstSQLite(t *testing.T) {
	t.Parallel()
	store, err := sqlite.Open(sqlite.Config{InMemory: true}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	e := newEnv(t, envOptions{storage: store})
	timeRE := regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$`)

	const id = "7d6d6c1e-6d4c-4a52-9d0e-9e3c9a1f1b11"
	if got := canon(t, e.ok(t, e.tenant, "stream.write", "account-1", msg("Opened", map[string]any{"a": 1}), map[string]any{"id": id, "expectedVersion": -1})); got != `{"globalPosition":1,"position":0}` {
		t.Fatalf("stream.write = %s", got)
	}
	if got := canon(t, e.ok(t, e.tenant, "stream.write", "account-1", []any{msg("A", map[string]any{}), msg("B", map[string]any{})})); got != `{"count":2,"globalPosition":2,"position":1}` {
		t.Fatalf("array stream.write = %s", got)
	}
	retry := canon(t, e.ok(t, e.tenant, "stream.write", "account-1", msg("Opened", map[string]any{"a": 1}), map[string]any{"id": id}))
	if retry != `{"globalPosition":1,"position":0}` {
		t.Fatalf("idempotent retry = %s", retry)
	}
	wantError(t, e.call(t, e.tenant, "stream.write", "account-1", msg("Other", map[string]any{}), map[string]any{"id": id}), 409, "DUPLICATE_MESSAGE_ID", id)
	conflict := wantError(t, e.call(t, e.tenant, "stream.write", "account-1", msg("T", map[string]any{}), map[string]any{"expectedVersion": 0}), 409, "STREAM_VERSION_CONFLICT", "")
	if canon(t, conflict.Error.Details) != `{"actual":2,"expected":0}` {
		t.Fatalf("conflict details = %v", conflict.Error.Details)
	}

	msgs := e.ok(t, e.tenant, "stream.get", "account-1").([]any)
	first := msgs[0].([]any)
	if len(msgs) != 3 || len(first) != 7 || first[0] != id || first[1] != "Opened" || canon(t, first[4]) != `{"a":1}` || first[5] != nil || !timeRE.MatchString(first[6].(string)) {
		t.Fatalf("stream.get = %s", canon(t, msgs))
	}
	cat := e.ok(t, e.tenant, "category.get", "account", map[string]any{"batchSize": -1}).([]any)
	if len(cat) != 3 || len(cat[0].([]any)) != 8 || cat[0].([]any)[1] != "account-1" {
		t.Fatalf("category.get = %s", canon(t, cat))
	}
	if v := e.ok(t, e.tenant, "stream.version", "account-1"); v != 2.0 {
		t.Fatalf("stream.version = %v", v)
	}
	if last := e.ok(t, e.tenant, "stream.last", "account-1", map[string]any{"type": "A"}).([]any); last[2] != 1.0 {
		t.Fatalf("stream.last = %v", last)
	}

	created := e.ok(t, e.admin, "ns.create", "shop").(map[string]any)
	if !timeRE.MatchString(created["createdAt"].(string)) || !strings.HasPrefix(created["token"].(string), "ns_") {
		t.Fatalf("ns.create = %v", created)
	}
	token := created["token"].(string)
	e.ok(t, token, "stream.write", "cart-1", msg("Added", map[string]any{}))
	info := e.ok(t, token, "ns.info", "shop").(map[string]any)
	if info["messageCount"] != 1.0 || info["streamCount"] != 1.0 || !timeRE.MatchString(info["lastActivity"].(string)) {
		t.Fatalf("ns.info = %v", info)
	}
	if got := e.ok(t, token, "ns.streams").([]any); len(got) != 1 || got[0].(map[string]any)["stream"] != "cart-1" {
		t.Fatalf("ns.streams = %v", got)
	}
	if got := canon(t, e.ok(t, token, "ns.categories")); got != `[{"category":"cart","messageCount":1,"streamCount":1}]` {
		t.Fatalf("ns.categories = %s", got)
	}
	if got := e.ok(t, e.admin, "ns.delete", "shop").(map[string]any); got["messagesDeleted"] != 1.0 {
		t.Fatalf("ns.delete = %v", got)
	}
	wantError(t, e.call(t, token, "stream.get", "cart-1"), 401, "AUTH_INVALID", "")
	if h := e.ok(t, e.tenant, "sys.health").(map[string]any); h["status"] != "ok" || h["backend"] != "sqlite" {
		t.Fatalf("sys.health = %v", h)
	}
}
