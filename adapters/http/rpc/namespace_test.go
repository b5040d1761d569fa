package rpc_test

import (
	"strings"
	"testing"
)

func TestNamespaceLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})

	created := e.ok(t, e.admin, "ns.create", "shop", map[string]any{"description": "The shop"}).(map[string]any)
	token, _ := created["token"].(string)
	if len(created) != 3 || created["namespace"] != "shop" || created["createdAt"] != wireTime || !strings.HasPrefix(token, "ns_") {
		t.Fatalf("ns.create = %v", created)
	}
	wantError(t, e.call(t, e.admin, "ns.create", "shop"), 409, "NAMESPACE_EXISTS", "shop")

	info := canon(t, e.ok(t, token, "ns.info", "shop"))
	if want := `{"createdAt":"` + wireTime + `","description":"The shop","groupCount":0,"lastActivity":null,"messageCount":0,"namespace":"shop","streamCount":0}`; info != want {
		t.Fatalf("ns.info of an empty namespace = %s, want %s", info, want)
	}

	e.ok(t, token, "stream.write", "cart-1", msg("Added", map[string]any{}))
	e.ok(t, token, "stream.write", "cart-1", msg("Added", map[string]any{}))
	e.ok(t, token, "stream.write", "user-1", msg("Joined", map[string]any{}))

	info = canon(t, e.ok(t, e.admin, "ns.info", "shop"))
	if want := `{"createdAt":"` + wireTime + `","description":"The shop","groupCount":0,"lastActivity":"` + wireTime + `","messageCount":3,"namespace":"shop","streamCount":2}`; info != want {
		t.Fatalf("ns.info = %s, want %s", info, want)
	}

	streams := canon(t, e.ok(t, token, "ns.streams"))
	if want := `[{"lastActivity":"` + wireTime + `","stream":"cart-1","version":1},{"lastActivity":"` + wireTime + `","stream":"user-1","version":0}]`; streams != want {
		t.Fatalf("ns.streams = %s, want %s", streams, want)
	}
	paged := canon(t, e.ok(t, token, "ns.streams", map[string]any{"cursor": "cart-1", "limit": 1}))
	if !strings.Contains(paged, `"user-1"`) || strings.Contains(paged, "cart-1") {
		t.Fatalf("ns.streams after cart-1 = %s", paged)
	}
	if got := canon(t, e.ok(t, token, "ns.streams", map[string]any{"prefix": "user"})); !strings.Contains(got, "user-1") || strings.Contains(got, "cart") {
		t.Fatalf("ns.streams with prefix user = %s", got)
	}
	cats := canon(t, e.ok(t, token, "ns.categories"))
	if want := `[{"category":"cart","messageCount":2,"streamCount":1},{"category":"user","messageCount":1,"streamCount":1}]`; cats != want {
		t.Fatalf("ns.categories = %s, want %s", cats, want)
	}

	list := e.ok(t, e.admin, "ns.list").([]any)
	var names []string
	for _, item := range list {
		m := item.(map[string]any)
		if len(m) != 4 || m["createdAt"] != wireTime {
			t.Fatalf("ns.list item = %v", m)
		}
		names = append(names, m["namespace"].(string))
		if m["namespace"] == "shop" && (m["messageCount"] != 3.0 || m["description"] != "The shop") {
			t.Fatalf("ns.list shop = %v", m)
		}
	}
	if strings.Join(names, ",") != "default,shop,tenant" {
		t.Fatalf("ns.list namespaces = %v", names)
	}

	deleted := canon(t, e.ok(t, e.admin, "ns.delete", "shop"))
	if want := `{"deletedAt":"` + wireTime + `","messagesDeleted":3,"namespace":"shop"}`; deleted != want {
		t.Fatalf("ns.delete = %s, want %s", deleted, want)
	}
	// The token was verified (and cached) before; it must stop working now.
	wantError(t, e.call(t, token, "stream.get", "cart-1"), 401, "AUTH_INVALID", "")
	wantError(t, e.call(t, e.admin, "ns.info", "shop"), 404, "NAMESPACE_NOT_FOUND", "shop")
	wantError(t, e.call(t, e.admin, "ns.delete", "shop"), 404, "NAMESPACE_NOT_FOUND", "shop")
}

func TestNamespaceCreateWithGivenToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	token := "ns_eWFyZA_" + strings.Repeat("ab", 32) // "yard"
	created := e.ok(t, e.admin, "ns.create", "yard", map[string]any{"token": token}).(map[string]any)
	if created["token"] != token {
		t.Fatalf("ns.create token = %v, want %s", created["token"], token)
	}
	e.ok(t, token, "stream.write", "x-1", msg("T", map[string]any{}))
}

func TestNamespaceIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.ok(t, e.tenant, "stream.write", "secret-1", msg("T", map[string]any{}))
	if r := e.call(t, e.admin, "stream.version", "secret-1"); string(r.body) != "null" {
		t.Fatalf("the admin namespace sees the tenant's stream: %s", r.body)
	}
	if got := e.ok(t, e.tenant, "ns.info", "tenant").(map[string]any); got["messageCount"] != 1.0 {
		t.Fatalf("tenant ns.info = %v", got)
	}
}
