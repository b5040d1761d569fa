package rpc_test

import (
	"testing"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// A token that already runs its share of streamed reads is refused another
// (429 with Retry-After); ordinary reads still pass, as do other tokens.
func TestStreamedReadsPerTokenAreCapped(t *testing.T) {
	t.Parallel()
	limit := httpapi.NewExpensiveRequests(1)
	e := newEnv(t, envOptions{expensive: limit})
	e.ok(t, e.tenant, "stream.write", "cap-1", msg("T", map[string]any{}))

	release, ok := limit.Acquire(e.tenant) // a streamed read of this token in flight
	if !ok {
		t.Fatal("the first slot must be granted")
	}
	for _, call := range [][]any{
		{"stream.get", "cap-1", map[string]any{"batchSize": -1}},
		{"category.get", "cap", map[string]any{"batchSize": 5000}},
	} {
		r := e.call(t, e.tenant, call[0].(string), call[1:]...)
		wantError(t, r, 429, "RATE_LIMITED", "streamed reads")
		if r.header.Get("Retry-After") != "1" {
			t.Errorf("%s: Retry-After = %q, want 1", call[0], r.header.Get("Retry-After"))
		}
	}
	if got := e.ok(t, e.tenant, "stream.get", "cap-1", map[string]any{"batchSize": 1000}); len(got.([]any)) != 1 {
		t.Fatalf("a bounded read = %v", got)
	}
	e.ok(t, e.admin, "stream.get", "cap-1", map[string]any{"batchSize": -1})

	release()
	if got := e.ok(t, e.tenant, "stream.get", "cap-1", map[string]any{"batchSize": -1}); len(got.([]any)) != 1 {
		t.Fatalf("after the slot was freed the streamed read = %v", got)
	}
	if held := limit.Held(e.tenant); held != 0 {
		t.Fatalf("a finished streamed read left %d slots held", held)
	}
}
