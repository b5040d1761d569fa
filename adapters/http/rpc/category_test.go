package rpc_test

import (
	"fmt"
	"sort"
	"testing"
)

func TestCategoryGetShapeAndOptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	const id = "5b0e7a80-9a7c-4a53-8a8b-1c2d3e4f5a6b"
	e.ok(t, e.tenant, "stream.write", "order-1", msg("Placed", map[string]any{"n": 1}), map[string]any{"id": id})
	correlated := msg("Shipped", map[string]any{})
	correlated["metadata"] = map[string]any{"correlationStreamName": "workflow-7"}
	e.ok(t, e.tenant, "stream.write", "order-2", correlated)
	e.ok(t, e.tenant, "stream.write", "invoice-1", msg("Sent", map[string]any{}))
	e.ok(t, e.tenant, "stream.write", "order-1+retry", msg("Retried", map[string]any{}))

	all := e.ok(t, e.tenant, "category.get", "order").([]any)
	if len(all) != 3 {
		t.Fatalf("category.get order = %s", canon(t, all))
	}
	if got, want := canon(t, all[0]), fmt.Sprintf(`[%q,"order-1","Placed",0,1,{"n":1},null,%q]`, id, wireTime); got != want {
		t.Fatalf("category message = %s, want %s", got, want)
	}

	gpos := func(opts map[string]any) string {
		t.Helper()
		var out []any
		for _, m := range e.ok(t, e.tenant, "category.get", "order", opts).([]any) {
			out = append(out, m.([]any)[4])
		}
		return canon(t, out)
	}
	tests := []struct {
		opts map[string]any
		want string
	}{
		{map[string]any{"position": 2}, "[2,4]"},
		{map[string]any{"globalPosition": 3}, "[4]"},
		{map[string]any{"position": 1, "globalPosition": 4}, "[4]"},
		{map[string]any{"batchSize": 1}, "[1]"},
		{map[string]any{"correlation": "workflow"}, "[2]"},
		{map[string]any{"correlation": "nothing"}, "null"},
	}
	for _, tt := range tests {
		if got := gpos(tt.opts); got != tt.want {
			t.Errorf("category.get %v = %s, want %s", tt.opts, got, tt.want)
		}
	}
}

// Every message of the category lands in exactly one member, and compound
// ids stay with their cardinal id.
func TestCategoryGetConsumerGroups(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	for i := range 20 {
		e.ok(t, e.tenant, "stream.write", fmt.Sprintf("acct-%d", i), msg("T", map[string]any{}))
		e.ok(t, e.tenant, "stream.write", fmt.Sprintf("acct-%d+retry", i), msg("T", map[string]any{}))
	}
	const size = 3
	var seen []float64
	for member := range size {
		got := e.ok(t, e.tenant, "category.get", "acct", map[string]any{"consumerGroup": map[string]any{"member": member, "size": size}}).([]any)
		streams := map[string]bool{}
		for _, m := range got {
			fields := m.([]any)
			seen = append(seen, fields[4].(float64))
			streams[fields[1].(string)] = true
		}
		for s := range streams {
			base, _, compound := cutPlus(s)
			if compound && !streams[base] {
				t.Errorf("member %d has %s but not %s", member, s, base)
			}
		}
	}
	sort.Float64s(seen)
	if len(seen) != 40 {
		t.Fatalf("members together returned %d messages, want 40", len(seen))
	}
	for i, g := range seen {
		if g != float64(i+1) {
			t.Fatalf("global positions across members = %v", seen)
		}
	}
}

func cutPlus(s string) (string, string, bool) {
	for i := range len(s) {
		if s[i] == '+' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
