package service_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// record is one NDJSON line for message gpos of streamName at pos.
func record(streamName string, pos, gpos int64) string {
	return fmt.Sprintf(`{"id":"%s","stream":%q,"type":"Imported","pos":%d,"gpos":%d,"data":{"n":%d},"meta":null,"time":"2026-01-15T10:30:00.123456Z"}`,
		uuidFor(gpos), streamName, pos, gpos, gpos)
}

func uuidFor(gpos int64) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", gpos) }

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// newImports is the import use case over the memory store with namespace
// "ns", batches of batch records and a notifier recording what it hears.
func newImports(t *testing.T, cfg service.ImportConfig) (*service.Imports, *memory.Store, *fakeNotifier) {
	t.Helper()
	store := memory.New(memory.Options{})
	t.Cleanup(func() { _ = store.Close() })
	if err := store.Create(context.Background(), namespace.Record{ID: "ns", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	notifier := &fakeNotifier{}
	imports, err := service.NewImports(store, system.UUIDs{}, notifier, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return imports, store, notifier
}

func stored(t *testing.T, store *memory.Store) []int64 {
	t.Helper()
	var out []int64
	err := store.Export(context.Background(), "ns", ports.ExportQuery{}, func(msgs []stream.Message) error {
		for _, m := range msgs {
			out = append(out, m.GlobalPosition)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Records go in by batches, each reported and published once committed.
func TestImportsLoadInBatches(t *testing.T) {
	t.Parallel()
	imports, store, notifier := newImports(t, service.ImportConfig{BatchSize: 2})
	body := lines(record("a-1", 0, 1), "", record("a-1", 1, 2), record("b-1", 0, 5))
	var progress []interchange.Progress
	n, err := imports.Load(context.Background(), "ns", strings.NewReader(body), func(p interchange.Progress) error {
		progress = append(progress, p)
		return nil
	})
	if err != nil || n != 3 {
		t.Fatalf("Load = %d, %v; want 3", n, err)
	}
	if want := []interchange.Progress{{Imported: 2, GPos: 2}, {Imported: 3, GPos: 5}}; !slices.Equal(progress, want) {
		t.Fatalf("progress %v, want %v", progress, want)
	}
	if got := stored(t, store); !slices.Equal(got, []int64{1, 2, 5}) {
		t.Fatalf("stored %v", got)
	}
	if got := notifier.calls(); len(got) != 2 {
		t.Fatalf("published %v, want once per batch", got)
	}
}

// A failure names its line and its cause; the records before the line are
// stored (a refused batch is split there), none after.
func TestImportsLoadFailures(t *testing.T) {
	t.Parallel()
	is := func(target any) func(error) bool { return func(err error) bool { return errors.As(err, target) } }
	tests := []struct {
		name   string
		body   string
		cause  func(error) bool
		line   int64
		stored []int64
	}{
		{"invalid record", lines(record("a-1", 0, 1), `{"id":`), is(new(*stream.ValidationError)), 2, []int64{1}},
		{"global position twice in a batch", lines(record("a-1", 0, 1), record("b-1", 0, 1)), is(new(*stream.PositionExistsError)), 2, []int64{1}},
		{"id twice in a batch", lines(record("a-1", 0, 1), strings.Replace(record("b-1", 0, 2), uuidFor(2), uuidFor(1), 1)), is(new(*stream.DuplicateIDError)), 2, []int64{1}},
		{"stored position, refused by the store", lines(record("a-1", 0, 7), record("a-1", 1, 8), record("a-1", 2, 9), record("b-1", 0, 10), record("c-1", 0, 3)),
			is(new(*stream.PositionExistsError)), 5, []int64{3, 7, 8, 9, 10}},
		{"line too long", lines(record("a-1", 0, 1), `{"data":"`+strings.Repeat("x", 70<<10)+`"}`), is(new(*interchange.LineTooLongError)), 2, []int64{1}},
		{"message too large", lines(strings.Replace(record("a-1", 0, 1), `{"n":1}`, `{"pad":"`+strings.Repeat("x", 200)+`"}`, 1)), is(new(*stream.TooLargeError)), 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			imports, store, _ := newImports(t, service.ImportConfig{BatchSize: 3, MaxMessageBytes: 100})
			if strings.Contains(tt.name, "refused by the store") {
				if _, err := imports.Load(context.Background(), "ns", strings.NewReader(lines(record("z-1", 0, 3))), nil); err != nil {
					t.Fatal(err)
				}
			}
			_, err := imports.Load(context.Background(), "ns", strings.NewReader(tt.body), nil)
			var f *interchange.Failure
			if !errors.As(err, &f) || !tt.cause(f.Err) || f.Line != tt.line {
				t.Fatalf("Load = %v, want a failure at line %d", err, tt.line)
			}
			if got := stored(t, store); !slices.Equal(got, tt.stored) {
				t.Fatalf("stored %v, want %v", got, tt.stored)
			}
		})
	}
}

func TestImportsCheckAndClear(t *testing.T) {
	t.Parallel()
	imports, store, _ := newImports(t, service.ImportConfig{})
	ctx := context.Background()
	if err := imports.CheckNamespace(ctx, "ns"); err != nil {
		t.Fatalf("CheckNamespace of an existing namespace: %v", err)
	}
	if err := imports.CheckNamespace(ctx, "missing"); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("CheckNamespace of a missing namespace: %v", err)
	}
	if _, err := imports.Load(ctx, "ns", strings.NewReader(lines(record("a-1", 0, 1), record("a-1", 1, 2))), nil); err != nil {
		t.Fatal(err)
	}
	if n, err := imports.Clear(ctx, "ns"); n != 2 || err != nil || len(stored(t, store)) != 0 {
		t.Fatalf("Clear = %d, %v; %d messages left", n, err, len(stored(t, store)))
	}
	if _, err := service.NewImports(store, nil, nil, service.ImportConfig{}); err == nil {
		t.Fatal("NewImports without an id generator")
	}
	if _, err := service.NewImports(store, system.UUIDs{}, nil, service.ImportConfig{BatchSize: -1}); err == nil {
		t.Fatal("NewImports with a negative batch size")
	}
}
