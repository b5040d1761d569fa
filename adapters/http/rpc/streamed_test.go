package rpc_test

import "testing"

// writeMany appends n messages to streamName in array writes of up to 1000.
func writeMany(t *testing.T, e *env, streamName string, n int) {
	t.Helper()
	for done := 0; done < n; {
		k := min(1000, n-done)
		batch := make([]any, k)
		for i := range batch {
			batch[i] = msg("T", map[string]any{"i": done + i})
		}
		e.ok(t, e.tenant, "stream.write", streamName, batch)
		done += k
	}
}

// batchSize -1 reads past the service's internal page size and still
// returns one well-formed array in order.
func TestUnlimitedBatchStreamsAllPages(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	const n = 2500
	writeMany(t, e, "big-1", n)
	for _, call := range []struct {
		method, name string
		posIndex     int
	}{
		{"stream.get", "big-1", 2},
		{"category.get", "big", 3},
	} {
		got := e.ok(t, e.tenant, call.method, call.name, map[string]any{"batchSize": -1}).([]any)
		if len(got) != n {
			t.Fatalf("%s batchSize -1 returned %d messages, want %d", call.method, len(got), n)
		}
		for i, m := range got {
			if pos := m.([]any)[call.posIndex]; pos != float64(i) {
				t.Fatalf("%s message %d has position %v", call.method, i, pos)
			}
		}
	}
	if got := e.ok(t, e.tenant, "stream.get", "big-1", map[string]any{"batchSize": 10000}).([]any); len(got) != n {
		t.Fatalf("batchSize 10000 returned %d", len(got))
	}
}

// A failure after the first page was sent aborts the response: the client
// must not receive a shorter array that parses.
func TestStreamedFailureAfterFirstPageAborts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	writeMany(t, e, "big-1", 2500)
	e.store.failReadsAfter(2) // page 1 is read, page 2 fails
	r := e.call(t, e.tenant, "stream.get", "big-1", map[string]any{"batchSize": -1})
	if r.err == nil {
		t.Fatalf("the response completed (%d, %d bytes) despite the failed page", r.status, len(r.body))
	}
}

// A failure before anything was sent is an ordinary error response.
func TestStreamedFailureBeforeFirstPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	writeMany(t, e, "s-1", 3)
	e.store.failReadsAfter(1) // every read fails
	for _, method := range []string{"stream.get", "category.get"} {
		name := map[string]string{"stream.get": "s-1", "category.get": "s"}[method]
		wantError(t, e.call(t, e.tenant, method, name, map[string]any{"batchSize": -1}), 500, "BACKEND_ERROR", "internal")
	}
}
