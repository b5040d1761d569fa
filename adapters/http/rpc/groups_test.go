package rpc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/rpc"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/service"
)

// newGroupsEnv is a server with every RPC method, the group.* methods
// included, over the memory store and the system clock (leases expire in
// real time), with an admin token and namespace "tenant".
func newGroupsEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	store := memory.New(memory.Options{})
	clock := system.Clock{}
	limits := service.DefaultLimits()
	categories := service.NewCategories(store, limits)
	namespaces := service.NewNamespaces(store, store, clock).CountGroupsWith(store)
	auth := service.NewAuth(store, namespaces, false)
	admin, err := namespaces.EnsureDefault(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	tenant, err := namespaces.Create(ctx, "tenant", "", "")
	if err != nil {
		t.Fatal(err)
	}
	cfg := rpc.DefaultConfig()
	methods, err := rpc.Methods(rpc.Deps{
		Streams: service.NewStreams(store, uuidGen{}, nil, limits), Categories: categories, Namespaces: namespaces,
		Tokens: auth, Health: store, Clock: clock, Version: cfg.Version,
		Groups: service.NewGroups(store, categories, store, clock, uuidGen{}),
	})
	if err != nil {
		t.Fatal(err)
	}
	handler, err := rpc.NewHandler(cfg, methods)
	if err != nil {
		t.Fatal(err)
	}
	mw, err := httpapi.NewAuthMiddleware(auth, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.DefaultConfig(), []httpapi.Route{rpc.RPCRoute(handler, mw)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{url: ts.URL, handler: srv.Handler(), admin: admin, tenant: tenant.Token}
}

func keys(v any) string {
	var out []string
	for k := range v.(map[string]any) {
		out = append(out, k)
	}
	sort.Strings(out)
	return fmt.Sprint(out)
}

// writeAccounts writes n messages to account-0..k-1 (round robin) and
// returns their global positions.
func writeAccounts(t *testing.T, e *env, n, k int) []float64 {
	t.Helper()
	var out []float64
	for i := range n {
		res := e.ok(t, e.tenant, "stream.write", fmt.Sprintf("account-%d", i%k), msg("Done", map[string]any{"i": i})).(map[string]any)
		out = append(out, res["globalPosition"].(float64))
	}
	return out
}

func TestGroupMethodsShapes(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	gpos := writeAccounts(t, e, 10, 1) // one stream: member 0 of 1 gets all

	created := e.ok(t, e.tenant, "group.create", "billing", map[string]any{"category": "account"}).(map[string]any)
	if keys(created) != "[category createdAt group size]" || created["group"] != "billing" || created["category"] != "account" || created["size"] != 1.0 {
		t.Fatalf("group.create = %v", created)
	}
	if _, err := time.Parse(httpapi.TimeLayout, created["createdAt"].(string)); err != nil {
		t.Fatalf("createdAt %v: %v", created["createdAt"], err)
	}
	again := e.ok(t, e.tenant, "group.create", "billing", map[string]any{"category": "account", "size": 1, "startAt": "beginning"})
	if canon(t, again) != canon(t, created) {
		t.Fatalf("group.create again = %v, want %v", again, created)
	}
	wantError(t, e.call(t, e.tenant, "group.create", "billing", map[string]any{"category": "account", "size": 2}), 409, "GROUP_EXISTS", "billing")

	fetched := e.ok(t, e.tenant, "group.fetch", "billing", map[string]any{"member": 0, "batchSize": 3}).([]any)
	if len(fetched) != 3 || len(fetched[0].([]any)) != 8 || fetched[0].([]any)[1] != "account-0" || fetched[2].([]any)[4] != gpos[2] {
		t.Fatalf("group.fetch = %s", canon(t, fetched))
	}
	acked := e.ok(t, e.tenant, "group.ack", "billing", map[string]any{"member": 0, "globalPosition": gpos[2]})
	if canon(t, acked) != fmt.Sprintf(`{"globalPosition":%v,"member":0}`, gpos[2]) {
		t.Fatalf("group.ack = %s", canon(t, acked))
	}
	lower := e.ok(t, e.tenant, "group.ack", "billing", map[string]any{"member": 0, "globalPosition": gpos[0]})
	if canon(t, lower) != canon(t, acked) {
		t.Fatalf("a lower group.ack = %s, want the current checkpoint %s", canon(t, lower), canon(t, acked))
	}
	next := e.ok(t, e.tenant, "group.fetch", "billing", map[string]any{"member": 0, "batchSize": 1}).([]any)
	if len(next) != 1 || next[0].([]any)[4] != gpos[3] {
		t.Fatalf("group.fetch after the ack = %s", canon(t, next))
	}

	info := e.ok(t, e.tenant, "group.info", "billing").(map[string]any)
	if keys(info) != "[category createdAt group lag members size]" || info["lag"] != 7.0 {
		t.Fatalf("group.info = %s", canon(t, info))
	}
	member := info["members"].([]any)[0].(map[string]any)
	if keys(member) != "[globalPosition lag member updatedAt]" || member["globalPosition"] != gpos[2] || member["lag"] != 7.0 {
		t.Fatalf("group.info member = %s", canon(t, member))
	}
	if _, err := time.Parse(httpapi.TimeLayout, member["updatedAt"].(string)); err != nil {
		t.Fatalf("updatedAt: %v", err)
	}

	e.ok(t, e.tenant, "group.create", "audit", map[string]any{"category": "account", "size": 2, "correlation": "workflow", "startAt": "end"})
	list := e.ok(t, e.tenant, "group.list").([]any)
	if len(list) != 2 || list[0].(map[string]any)["group"] != "audit" || list[1].(map[string]any)["group"] != "billing" {
		t.Fatalf("group.list = %s", canon(t, list))
	}
	audit := list[0].(map[string]any)
	if keys(audit) != "[category createdAt group lag members size]" || audit["lag"] != 0.0 || audit["members"].([]any)[1].(map[string]any)["updatedAt"] != nil {
		t.Fatalf("group.list element = %s", canon(t, audit))
	}
	defs := e.ok(t, e.tenant, "group.list", map[string]any{"definitions": true}).([]any)
	if d := defs[0].(map[string]any); d["correlation"] != "workflow" || d["startAt"] != "end" || d["start"] != gpos[9] {
		t.Fatalf("group.list with definitions = %s", canon(t, defs[0]))
	}
	if d := defs[1].(map[string]any); d["correlation"] != nil || d["startAt"] != "beginning" || d["start"] != 0.0 {
		t.Fatalf("group.list with definitions = %s", canon(t, defs[1]))
	}

	reset := e.ok(t, e.tenant, "group.reset", "billing", map[string]any{"globalPosition": 0}).(map[string]any)
	if keys(reset) != "[category createdAt group lag members size]" || reset["lag"] != 10.0 {
		t.Fatalf("group.reset = %s", canon(t, reset))
	}
	reset = e.ok(t, e.tenant, "group.reset", "audit", map[string]any{"member": 1, "globalPosition": gpos[4]}).(map[string]any)
	if reset["members"].([]any)[1].(map[string]any)["globalPosition"] != gpos[4] || reset["members"].([]any)[0].(map[string]any)["globalPosition"] != gpos[9] {
		t.Fatalf("group.reset of member 1 = %s", canon(t, reset))
	}

	info = e.ok(t, e.tenant, "ns.info", "tenant").(map[string]any)
	if info["groupCount"] != 2.0 {
		t.Fatalf("ns.info groupCount = %v, want 2", info["groupCount"])
	}

	deleted := e.ok(t, e.tenant, "group.delete", "billing").(map[string]any)
	if keys(deleted) != "[deletedAt group]" || deleted["group"] != "billing" {
		t.Fatalf("group.delete = %s", canon(t, deleted))
	}
	wantError(t, e.call(t, e.tenant, "group.info", "billing"), 404, "GROUP_NOT_FOUND", "billing")
	if e.ok(t, e.tenant, "ns.info", "tenant").(map[string]any)["groupCount"] != 1.0 {
		t.Fatal("groupCount after a delete is not 1")
	}
	// Groups are the namespace's: the admin token reaches the default
	// namespace's, which has none.
	if list := e.ok(t, e.admin, "group.list").([]any); len(list) != 0 {
		t.Fatalf("the default namespace's groups = %s", canon(t, list))
	}
}

func TestGroupLeasesOverRPC(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	gpos := writeAccounts(t, e, 6, 1)
	e.ok(t, e.tenant, "group.create", "g", map[string]any{"category": "account", "size": 1})
	joined := e.ok(t, e.tenant, "group.join", "g", map[string]any{"ttl": "300ms"}).(map[string]any)
	if keys(joined) != "[expiresAt lease member]" || joined["member"] != 0.0 {
		t.Fatalf("group.join = %s", canon(t, joined))
	}
	expires, err := time.Parse(httpapi.TimeLayout, joined["expiresAt"].(string))
	if err != nil || time.Until(expires) > 300*time.Millisecond || time.Until(expires) < 100*time.Millisecond {
		t.Fatalf("expiresAt %v (%v), want about 300ms from now", joined["expiresAt"], err)
	}
	lease := joined["lease"].(string)
	wantError(t, e.call(t, e.tenant, "group.join", "g"), 409, "GROUP_FULL", "g")
	// Fetch and ack with the lease alone, renewing it.
	for i := range 3 {
		time.Sleep(150 * time.Millisecond)
		got := e.ok(t, e.tenant, "group.fetch", "g", map[string]any{"lease": lease, "batchSize": 1}).([]any)
		if len(got) != 1 || got[0].([]any)[4] != gpos[i] {
			t.Fatalf("fetch %d with the lease = %s", i, canon(t, got))
		}
		e.ok(t, e.tenant, "group.ack", "g", map[string]any{"lease": lease, "globalPosition": gpos[i]})
	}
	time.Sleep(400 * time.Millisecond)
	wantError(t, e.call(t, e.tenant, "group.ack", "g", map[string]any{"member": 0, "lease": lease, "globalPosition": gpos[5]}), 409, "LEASE_EXPIRED", lease)
	wantError(t, e.call(t, e.tenant, "group.fetch", "g", map[string]any{"lease": lease}), 409, "LEASE_EXPIRED", lease)
	info := e.ok(t, e.tenant, "group.info", "g").(map[string]any)
	if info["members"].([]any)[0].(map[string]any)["globalPosition"] != gpos[2] {
		t.Fatalf("an ack with an expired lease moved the checkpoint: %s", canon(t, info))
	}
	again := e.ok(t, e.tenant, "group.join", "g", map[string]any{"ttl": 60000}).(map[string]any)
	if again["member"] != 0.0 || again["lease"] == lease {
		t.Fatalf("join after expiry = %s", canon(t, again))
	}
}

func TestGroupMethodErrors(t *testing.T) {
	t.Parallel()
	e := newGroupsEnv(t)
	writeAccounts(t, e, 3, 3)
	e.ok(t, e.tenant, "group.create", "g", map[string]any{"category": "account", "size": 2})
	tests := []struct {
		call   []any
		status int
		code   string
		msg    string
	}{
		{[]any{"group.create", "x"}, 400, "INVALID_REQUEST", "argument"},
		{[]any{"group.create", "x", map[string]any{}}, 400, "INVALID_REQUEST", "category"},
		{[]any{"group.create", "x", map[string]any{"category": "a", "size": 0}}, 400, "INVALID_REQUEST", "size"},
		{[]any{"group.create", "x", map[string]any{"category": "a", "size": "2"}}, 400, "INVALID_REQUEST", "size"},
		{[]any{"group.create", "x", map[string]any{"category": "a", "startAt": "later"}}, 400, "INVALID_REQUEST", "startAt"},
		{[]any{"group.create", "x", map[string]any{"category": "a", "startAt": 0}}, 400, "INVALID_REQUEST", "startAt"},
		{[]any{"group.create", "x", map[string]any{"category": "a", "startAt": 100}}, 400, "INVALID_REQUEST", "startAt"},
		{[]any{"group.create", "", map[string]any{"category": "a"}}, 400, "INVALID_REQUEST", "groupName"},
		{[]any{"group.create", 5, map[string]any{"category": "a"}}, 400, "INVALID_REQUEST", "name"},
		{[]any{"group.fetch", "g", map[string]any{}}, 400, "INVALID_REQUEST", "member"},
		{[]any{"group.fetch", "g", map[string]any{"member": 2}}, 400, "INVALID_REQUEST", "member"},
		{[]any{"group.fetch", "g", map[string]any{"member": -1}}, 400, "INVALID_REQUEST", "member"},
		{[]any{"group.fetch", "g", map[string]any{"member": 0, "batchSize": 10001}}, 400, "INVALID_REQUEST", "batchSize"},
		{[]any{"group.fetch", "nope", map[string]any{"member": 0}}, 404, "GROUP_NOT_FOUND", "nope"},
		{[]any{"group.ack", "g", map[string]any{"member": 0}}, 400, "INVALID_REQUEST", "globalPosition"},
		{[]any{"group.ack", "g", map[string]any{"member": 0, "globalPosition": 99}}, 400, "INVALID_REQUEST", "globalPosition"},
		{[]any{"group.ack", "g", map[string]any{"member": 5, "globalPosition": 1}}, 400, "INVALID_REQUEST", "member"},
		{[]any{"group.ack", "g", map[string]any{"lease": "nope", "globalPosition": 1}}, 409, "LEASE_EXPIRED", "nope"},
		{[]any{"group.ack", "nope", map[string]any{"member": 0, "globalPosition": 1}}, 404, "GROUP_NOT_FOUND", "nope"},
		{[]any{"group.info", "nope"}, 404, "GROUP_NOT_FOUND", "nope"},
		{[]any{"group.info"}, 400, "INVALID_REQUEST", "argument"},
		{[]any{"group.list", map[string]any{"definitions": 1}}, 400, "INVALID_REQUEST", "definitions"},
		{[]any{"group.reset", "g", map[string]any{}}, 400, "INVALID_REQUEST", "globalPosition"},
		{[]any{"group.reset", "g", map[string]any{"globalPosition": -1}}, 400, "INVALID_REQUEST", "globalPosition"},
		{[]any{"group.reset", "g", map[string]any{"member": 2, "globalPosition": 0}}, 400, "INVALID_REQUEST", "member"},
		{[]any{"group.reset", "nope", map[string]any{"globalPosition": 0}}, 404, "GROUP_NOT_FOUND", "nope"},
		{[]any{"group.delete", "nope"}, 404, "GROUP_NOT_FOUND", "nope"},
		{[]any{"group.join", "nope"}, 404, "GROUP_NOT_FOUND", "nope"},
		{[]any{"group.join", "g", map[string]any{"ttl": "1ms"}}, 400, "INVALID_REQUEST", "ttl"},
		{[]any{"group.join", "g", map[string]any{"ttl": "soon"}}, 400, "INVALID_REQUEST", "ttl"},
		{[]any{"group.join", "g", map[string]any{"ttl": 5}}, 400, "INVALID_REQUEST", "ttl"},
		{[]any{"group.join", "g", map[string]any{"ttl": true}}, 400, "INVALID_REQUEST", "ttl"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.call...), func(t *testing.T) {
			t.Parallel()
			wantError(t, e.call(t, e.tenant, tt.call[0].(string), tt.call[1:]...), tt.status, tt.code, tt.msg)
		})
	}
}

// FuzzGroupRPC sends arbitrary group.* calls: every answer is JSON, and
// every failure a 4xx in the error envelope with a known code.
func FuzzGroupRPC(f *testing.F) {
	for _, seed := range []string{
		`["group.create","g",{"category":"account","size":2,"correlation":"flow","startAt":"end"}]`,
		`["group.create","g",{"category":"account","startAt":3}]`,
		`["group.fetch","g",{"member":1,"batchSize":-1}]`,
		`["group.fetch","g",{"lease":"x"}]`,
		`["group.ack","g",{"member":0,"globalPosition":2,"lease":"y"}]`,
		`["group.info","g"]`, `["group.list",{"definitions":true}]`,
		`["group.reset","g",{"member":1,"globalPosition":0}]`,
		`["group.join","g",{"ttl":"1s"}]`, `["group.join","g",{"ttl":250}]`, `["group.delete","g"]`,
		`["group.create","",{}]`, `["group.ack","g",{"globalPosition":1.5}]`,
	} {
		f.Add(seed)
	}
	e := newGroupsEnv(f)
	codes := map[string]bool{"GROUP_NOT_FOUND": true, "GROUP_EXISTS": true, "GROUP_FULL": true, "LEASE_EXPIRED": true}
	for code := range knownCodes {
		codes[code] = true
	}
	body, _ := json.Marshal([]any{"stream.write", "account-1", map[string]any{"type": "T", "data": map[string]any{}}})
	for range 3 {
		req := httptest.NewRequest(http.MethodPost, "/rpc", strings.NewReader(string(body)))
		req.Header.Set("Authorization", "Bearer "+e.tenant)
		e.handler.ServeHTTP(httptest.NewRecorder(), req)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/rpc", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+e.tenant)
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, req)
		out := w.Body.Bytes()
		if w.Code >= 500 || !json.Valid(out) {
			t.Fatalf("%q answered %d %q", body, w.Code, out)
		}
		if w.Code < 400 {
			return
		}
		var env wireError
		if err := json.Unmarshal(out, &env); err != nil || !codes[env.Error.Code] || env.Error.Message == "" {
			t.Fatalf("%q answered %d with %s: not the error envelope with a known code", body, w.Code, out)
		}
	})
}
