package importer_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// POST /import?force=true, as the existing CLI's import --force sends it,
// empties the namespace before importing.
func TestImportForceEmptiesTheNamespaceFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{})
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		if _, err := e.store.Append(ctx, "tenant", stream.Append{Stream: "old-1", Messages: []stream.Proposed{
			{ID: uuidFor(int64(900 + i)), Type: "Old", Data: []byte(`{}`)},
		}}); err != nil {
			t.Fatal(err)
		}
	}
	base := e.url
	e.url = base + "?force=true"
	evs := e.events(t, lines(record("new-1", 0, 1), record("new-1", 1, 2)))
	if last := evs[len(evs)-1]; last["done"] != true || last["imported"] != float64(2) {
		t.Fatalf("events = %v, want done with 2 imported", evs)
	}
	got := e.all(t)
	if len(got) != 2 || got[0].Stream != "new-1" || got[0].GlobalPosition != 1 || got[1].GlobalPosition != 2 {
		t.Fatalf("namespace holds %+v, want only the two imported messages", got)
	}
	if v, _ := e.store.Version(ctx, "tenant", "old-1"); v != stream.NoStream {
		t.Fatalf("old-1 is at version %d after a forced import, want gone", v)
	}

	// Without force the same import collides with what is there.
	e.url = base
	evs = e.events(t, lines(record("new-1", 0, 1)))
	if evs[len(evs)-1]["error"] != "POSITION_EXISTS" {
		t.Fatalf("events = %v, want POSITION_EXISTS without force", evs)
	}
}

func TestImportForceMustBeABoolean(t *testing.T) {
	t.Parallel()
	e := newEnv(t, service.ImportConfig{})
	e.url += "?force=please"
	resp := e.post(t, e.tenant, strings.NewReader(lines(record("x-1", 0, 1))))
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "INVALID_REQUEST") || !strings.Contains(string(b), "force") {
		t.Fatalf("force=please: %d %s, want 400 INVALID_REQUEST naming force", resp.StatusCode, b)
	}
	if got := e.all(t); len(got) != 0 {
		t.Fatalf("a refused import stored %d messages", len(got))
	}
}
