package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// porter is what a store offers for import and export.
type porter interface {
	ports.Storage
	ports.Importer
	ports.Exporter
}

// testImports is the import and export contract.
func testImports(t *testing.T, e *env) {
	p, ok := e.store.(porter)
	if !ok {
		t.Fatalf("%T implements neither ports.Importer nor ports.Exporter", e.store)
	}
	t.Run("keeps positions, versions and times", func(t *testing.T) { t.Parallel(); testImportKeeps(t, e, p) })
	t.Run("refuses taken positions and ids", func(t *testing.T) { t.Parallel(); testImportConflicts(t, e, p) })
	t.Run("appends continue after the import", func(t *testing.T) { t.Parallel(); testAppendAfterImport(t, e, p) })
	t.Run("export pages and filters", func(t *testing.T) { t.Parallel(); testExport(t, e, p) })
	t.Run("positions beyond 2^53-1 are refused", func(t *testing.T) {
		t.Parallel()
		ns := e.namespace(t)
		for _, m := range []stream.Message{imported("big-1", 0, stream.MaxPosition+1, 0), imported("big-1", stream.MaxPosition+1, 1, 0)} {
			var invalid *stream.ValidationError
			if err := p.Import(context.Background(), ns, []stream.Message{m}); !errors.As(err, &invalid) {
				t.Fatalf("import of pos %d gpos %d: %v, want a ValidationError", m.Position, m.GlobalPosition, err)
			}
		}
		// The largest allowed global position is accepted…
		if err := p.Import(context.Background(), ns, []stream.Message{imported("big-1", 0, stream.MaxPosition, 0)}); err != nil {
			t.Fatalf("import at the largest global position: %v", err)
		}
		// …and no append can pass it, nor a stream position.
		var invalid *stream.ValidationError
		if _, err := e.store.Append(context.Background(), ns, stream.Append{Stream: "after-1", Messages: []stream.Proposed{msg("T", nil)}}); !errors.As(err, &invalid) {
			t.Fatalf("append past the largest global position: %v, want a ValidationError", err)
		}
		full := e.namespace(t)
		if err := p.Import(context.Background(), full, []stream.Message{imported("full-1", stream.MaxPosition, 1, 0)}); err != nil {
			t.Fatalf("import at the largest stream position: %v", err)
		}
		if _, err := e.store.Append(context.Background(), full, stream.Append{Stream: "full-1", Messages: []stream.Proposed{msg("T", nil)}}); !errors.As(err, &invalid) {
			t.Fatalf("append past the largest stream position: %v, want a ValidationError", err)
		}
		if _, err := e.store.Append(context.Background(), full, stream.Append{Stream: "other-1", Messages: []stream.Proposed{msg("T", nil)}}); err != nil {
			t.Fatalf("another stream of that namespace still takes appends: %v", err)
		}
	})
	t.Run("missing namespace", func(t *testing.T) {
		t.Parallel()
		err := p.Import(context.Background(), "t"+randomHex(8), nil)
		if !errors.Is(err, namespace.ErrNotFound) {
			t.Fatalf("empty import into a missing namespace: %v, want namespace.ErrNotFound", err)
		}
	})
}

var importBase = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// imported is a message as an import would carry it, written at importBase
// plus minutes.
func imported(streamName string, pos, gpos int64, minutes int) stream.Message {
	return stream.Message{
		ID: uuid.NewString(), Stream: streamName, Type: "Imported", Position: pos, GlobalPosition: gpos,
		Data: []byte(fmt.Sprintf(`{"gpos":%d}`, gpos)), Time: importBase.Add(time.Duration(minutes)*time.Minute + 123456*time.Microsecond),
	}
}

func sameMessage(t *testing.T, got, want stream.Message) {
	t.Helper()
	if got.ID != want.ID || got.Stream != want.Stream || got.Type != want.Type || got.Position != want.Position ||
		got.GlobalPosition != want.GlobalPosition || !got.Time.Equal(want.Time) {
		t.Fatalf("message = %+v, want %+v", got, want)
	}
	jsonEqual(t, got.Data, string(want.Data))
	if want.Metadata == nil {
		if got.Metadata != nil {
			t.Fatalf("metadata = %s, want none", got.Metadata)
		}
		return
	}
	jsonEqual(t, got.Metadata, string(want.Metadata))
}

func testImportKeeps(t *testing.T, e *env, p porter) {
	ctx := context.Background()
	ns := e.namespace(t)
	// Global positions out of order and with gaps, as a per-category export gives.
	batch := []stream.Message{
		imported("order-7", 0, 9, 3),
		imported("account-1", 0, 2, 0),
		imported("account-1", 1, 5, 1),
		imported("order-7", 1, 12, 4),
		imported("account-1", 2, 6, 2),
	}
	batch[0].Metadata = []byte(`{"correlationStreamName":"workflow-3"}`)
	if err := p.Import(ctx, ns, batch); err != nil {
		t.Fatalf("import: %v", err)
	}
	got := readAll(t, p, ns, "account-1")
	if len(got) != 3 {
		t.Fatalf("account-1 has %d messages, want 3", len(got))
	}
	for i, want := range []stream.Message{batch[1], batch[2], batch[4]} {
		sameMessage(t, got[i], want)
	}
	orders := readAll(t, p, ns, "order-7")
	if len(orders) != 2 {
		t.Fatalf("order-7 has %d messages, want 2", len(orders))
	}
	sameMessage(t, orders[0], batch[0])
	for name, want := range map[string]int64{"account-1": 2, "order-7": 1} {
		if v, err := p.Version(ctx, ns, name); err != nil || v != want {
			t.Fatalf("version of %s = %d, %v; want %d", name, v, err, want)
		}
	}
	streams, err := p.ListStreams(ctx, ns, ports.StreamListQuery{Limit: 10})
	if err != nil || len(streams) != 2 || !streams[0].LastActivity.Equal(batch[4].Time) || !streams[1].LastActivity.Equal(batch[3].Time) {
		t.Fatalf("streams = %+v, %v; want last activity of the newest imported message", streams, err)
	}
	// The derived columns (correlation, consumer-group hash) are filled in.
	corr := readCategory(t, p, ns, ports.CategoryQuery{Category: "order", Correlation: "workflow"})
	if len(corr) != 1 || corr[0].GlobalPosition != 9 {
		t.Fatalf("correlated order messages = %+v, want gpos 9", corr)
	}
	for member := int64(0); member < 3; member++ {
		g := &partition.Group{Member: member, Size: 3}
		msgs := readCategory(t, p, ns, ports.CategoryQuery{Category: "account", Group: g})
		if want := g.Contains("account-1"); want != (len(msgs) == 3) || (!want && len(msgs) != 0) {
			t.Fatalf("member %d of 3 has %d account-1 messages, contains = %v", member, len(msgs), want)
		}
	}
	// A later import may raise a version, never lower it.
	if err := p.Import(ctx, ns, []stream.Message{imported("order-7", 5, 20, 9), imported("account-1", 3, 1, -5)}); err != nil {
		t.Fatalf("second import: %v", err)
	}
	if v, _ := p.Version(ctx, ns, "order-7"); v != 5 {
		t.Fatalf("order-7 version after importing position 5 = %d", v)
	}
	streams, _ = p.ListStreams(ctx, ns, ports.StreamListQuery{Limit: 10})
	if !streams[0].LastActivity.Equal(batch[4].Time) || streams[0].Version != 3 {
		t.Fatalf("account-1 after importing an older message = %+v; last activity must not go back", streams[0])
	}
	// order-7 holds positions 0, 1 and 5: counts are of messages, not version + 1.
	appendOne(t, p, ns, "order-7", msg("Appended", map[string]int{}))
	st, err := p.Stats(ctx, ns)
	if err != nil || st.MessageCount != 8 || st.StreamCount != 2 {
		t.Fatalf("stats = %+v, %v; want 8 messages in 2 streams", st, err)
	}
	cats, err := p.Categories(ctx, ns)
	if err != nil || len(cats) != 2 || cats[0].MessageCount != 4 || cats[1].MessageCount != 4 {
		t.Fatalf("categories = %+v, %v; want 4 messages in each of account and order", cats, err)
	}
}

func testImportConflicts(t *testing.T, e *env, p porter) {
	ctx := context.Background()
	ns := e.namespace(t)
	first := []stream.Message{imported("account-1", 0, 3, 0), imported("account-1", 1, 4, 1)}
	if err := p.Import(ctx, ns, first); err != nil {
		t.Fatalf("import: %v", err)
	}
	fresh := imported("fresh-1", 0, 50, 0)
	var posErr *stream.PositionExistsError
	var dupErr *stream.DuplicateIDError
	tests := []struct {
		name  string
		batch []stream.Message
		check func(error) bool
	}{
		{"stored global position", []stream.Message{fresh, imported("other-1", 0, 4, 0)},
			func(err error) bool {
				return errors.As(err, &posErr) && posErr.GlobalPosition == 4 && posErr.Stream == ""
			}},
		{"global position twice in the batch", []stream.Message{fresh, imported("other-1", 0, 50, 0)},
			func(err error) bool { return errors.As(err, &posErr) && posErr.GlobalPosition == 50 }},
		{"stored stream position", []stream.Message{fresh, imported("account-1", 1, 60, 0)},
			func(err error) bool {
				return errors.As(err, &posErr) && posErr.GlobalPosition == 60 && posErr.Stream == "account-1" && posErr.Position == 1
			}},
		{"stream position twice in the batch", []stream.Message{fresh, imported("fresh-1", 0, 61, 0)},
			func(err error) bool {
				return errors.As(err, &posErr) && posErr.Stream == "fresh-1" && posErr.GlobalPosition == 61
			}},
		{"stored id", []stream.Message{fresh, {ID: first[0].ID, Stream: "other-1", Type: "T", GlobalPosition: 70, Data: []byte(`{}`), Time: importBase}},
			func(err error) bool { return errors.As(err, &dupErr) && dupErr.ID == first[0].ID }},
		{"non-positive global position", []stream.Message{fresh, imported("other-1", 0, 0, 0)},
			func(err error) bool { var v *stream.ValidationError; return errors.As(err, &v) }},
	}
	for _, tt := range tests {
		err := p.Import(ctx, ns, tt.batch)
		if !tt.check(err) {
			t.Fatalf("%s: error %v (%T)", tt.name, err, err)
		}
		if n := len(readAll(t, p, ns, "fresh-1")); n != 0 {
			t.Fatalf("%s: a refused batch stored %d of its messages", tt.name, n)
		}
	}
	if v, _ := p.Version(ctx, ns, "account-1"); v != 1 {
		t.Fatalf("account-1 version after refused imports = %d, want 1", v)
	}
}

func testAppendAfterImport(t *testing.T, e *env, p porter) {
	ctx := context.Background()
	ns := e.namespace(t)
	appendOne(t, p, ns, "account-1", msg("Opened", map[string]int{}))
	if err := p.Import(ctx, ns, []stream.Message{imported("account-2", 0, 100, 0), imported("account-2", 1, 40, 1)}); err != nil {
		t.Fatalf("import: %v", err)
	}
	res := appendOne(t, p, ns, "account-2", msg("Deposited", map[string]int{}))
	if res.Position != 2 || res.GlobalPosition != 101 {
		t.Fatalf("append after import = %+v, want position 2, global position 101", res)
	}
	_, err := p.Append(ctx, ns, stream.Append{Stream: "account-2", Messages: []stream.Proposed{msg("T", map[string]int{})},
		ExpectedVersion: stream.ExactVersion(2)})
	if err != nil {
		t.Fatalf("append with expectedVersion 2 after import: %v", err)
	}
	all := readCategory(t, p, ns, ports.CategoryQuery{Category: "account"})
	var gpos []int64
	for _, m := range all {
		gpos = append(gpos, m.GlobalPosition)
	}
	if want := []int64{1, 40, 100, 101, 102}; !reflect.DeepEqual(gpos, want) {
		t.Fatalf("global positions = %v, want %v", gpos, want)
	}
}

func testExport(t *testing.T, e *env, p porter) {
	ctx := context.Background()
	ns := e.namespace(t)
	const total = 2500 // more than one page
	var batch []stream.Message
	for i := range total {
		name := fmt.Sprintf("cat%d-%d", i%3, i%7)
		batch = append(batch, imported(name, int64(i/21), int64(2*i+1), i))
	}
	if err := p.Import(ctx, ns, batch); err != nil {
		t.Fatalf("import: %v", err)
	}
	since, until := importBase.Add(100*time.Minute), importBase.Add(200*time.Minute)
	tests := []struct {
		name string
		q    ports.ExportQuery
		keep func(i int) bool
	}{
		{"everything", ports.ExportQuery{}, func(int) bool { return true }},
		{"categories", ports.ExportQuery{Categories: []string{"cat0", "cat2"}}, func(i int) bool { return i%3 != 1 }},
		{"time range", ports.ExportQuery{Since: &since, Until: &until}, func(i int) bool { return i >= 100 && i < 200 }},
		{"from global position", ports.ExportQuery{FromGlobal: 2001}, func(i int) bool { return 2*i+1 >= 2001 }},
		{"all filters", ports.ExportQuery{Categories: []string{"cat1"}, Since: &since, FromGlobal: 301},
			func(i int) bool { return i%3 == 1 && i >= 150 }},
	}
	for _, tt := range tests {
		var want []int64
		for i := range total {
			if tt.keep(i) {
				want = append(want, int64(2*i+1))
			}
		}
		var got []int64
		pages := 0
		err := p.Export(ctx, ns, tt.q, func(msgs []stream.Message) error {
			pages++
			for _, m := range msgs {
				got = append(got, m.GlobalPosition)
			}
			return nil
		})
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: exported %d messages (%v), want %d", tt.name, len(got), err, len(want))
		}
		if len(want) > 1000 && pages < 2 {
			t.Fatalf("%s: %d messages in %d page", tt.name, len(got), pages)
		}
	}
	stop := errors.New("stop")
	if err := p.Export(ctx, ns, ports.ExportQuery{}, func([]stream.Message) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("export whose page fails: %v, want the page's error", err)
	}
	var first stream.Message
	_ = p.Export(ctx, ns, ports.ExportQuery{}, func(msgs []stream.Message) error { first = msgs[0]; return stop })
	sameMessage(t, first, batch[0])
}
