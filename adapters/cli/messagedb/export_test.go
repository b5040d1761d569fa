package messagedb_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/cli/messagedb/mdbtest"
	"github.com/eventodb/eventodb/domain/stream"
)

// history is n messages as the store holds them, with gaps in global
// positions, compound stream names and NULL metadata.
func history(n int) []stream.Message {
	out := make([]stream.Message, n)
	pos := map[string]int64{}
	for i := range out {
		name := fmt.Sprintf("%s-%d", []string{"account", "order", "user:command"}[i%3], i%7)
		if i%5 == 0 {
			name += "+retry"
		}
		out[i] = stream.Message{
			ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i+1), Stream: name, Type: "Happened",
			Position: pos[name], GlobalPosition: int64(2*i + 3),
			Data: []byte(fmt.Sprintf(`{"i":%d,"s":"<ü>"}`, i)),
			Time: time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC).Add(time.Duration(i)*time.Second + time.Duration(i)*time.Microsecond),
		}
		if i%2 == 0 {
			out[i].Metadata = []byte(`{"correlationStreamName":"flow-1"}`)
		}
		pos[name]++
	}
	return out
}

// pages hands msgs over in pages of size.
func pages(msgs []stream.Message, size int) messagedb.Pages {
	return func(_ context.Context, page func([]stream.Message) error) error {
		for start := 0; start < len(msgs); start += size {
			if err := page(msgs[start:min(start+size, len(msgs))]); err != nil {
				return err
			}
		}
		return nil
	}
}

func emptyDatabase(t *testing.T) *pgx.Conn {
	t.Helper()
	return mdbtest.Connect(t, mdbtest.Database(t, osTestURL()))
}

func TestExportCreatesTheTableAndContinuesItsSequence(t *testing.T) {
	t.Parallel()
	conn := emptyDatabase(t)
	msgs := history(2500)
	sum, err := messagedb.Export(context.Background(), conn, messagedb.Table{}, pages(msgs, 1000), nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Exported != 2500 || sum.FirstGPos != 3 || sum.LastGPos != msgs[2499].GlobalPosition {
		t.Fatalf("summary %+v", sum)
	}
	sameRows(t, mdbtest.Rows(t, conn, messagedb.DefaultSchema, "true"), msgs)
	// Message DB's indexes are there, under its names.
	indexes := mdbtest.GlobalPositions(t, conn, `SELECT count(*) FROM pg_indexes
		WHERE schemaname = 'message_store' AND indexname IN ('messages_pkey', 'messages_id', 'messages_stream', 'messages_category')`)
	if indexes[0] != 4 {
		t.Fatalf("%d of Message DB's 4 indexes", indexes[0])
	}
	// A write as Message DB makes it takes the next global position.
	next := mdbtest.GlobalPositions(t, conn, `INSERT INTO message_store.messages (position, stream_name, type, data)
		VALUES (0, 'new-1', 'T', '{}') RETURNING global_position`)
	if next[0] != msgs[2499].GlobalPosition+1 {
		t.Fatalf("next global position %d, want %d", next[0], msgs[2499].GlobalPosition+1)
	}

	// Writing the same messages again is refused, and writes nothing.
	_, err = messagedb.Export(context.Background(), conn, messagedb.Table{}, pages(msgs[2000:], 100), nil)
	if err == nil || !strings.Contains(err.Error(), "message_store.messages already holds a message") ||
		!strings.Contains(err.Error(), "nothing was written") || !strings.Contains(err.Error(), "(global_position)=(4003)") {
		t.Fatalf("second export: %v", err)
	}
	if n := len(mdbtest.Rows(t, conn, messagedb.DefaultSchema, "true")); n != 2501 {
		t.Fatalf("%d rows after the refused export, want 2501", n)
	}
}

// An export into an existing Message DB table adds to it, with no more
// rights than Message DB's writers have (no CREATE); a stream position the
// table holds already is refused.
func TestExportIntoAnExistingTable(t *testing.T) {
	t.Parallel()
	conn := emptyDatabase(t)
	mdbtest.Install(t, conn, "mdb")
	mdbtest.Exec(t, conn, `INSERT INTO mdb.messages (position, stream_name, type, data) VALUES (0, 'earlier-1', 'T', '{}')`)
	role := fmt.Sprintf("mdb_writer_%d", time.Now().UnixNano())
	mdbtest.Exec(t, conn, `CREATE ROLE `+role+` NOLOGIN`)
	t.Cleanup(func() {
		for _, sql := range []string{`RESET ROLE`, `DROP OWNED BY ` + role, `DROP ROLE ` + role} {
			if _, err := conn.Exec(context.Background(), sql); err != nil {
				t.Errorf("%s: %v", sql, err)
			}
		}
	})
	mdbtest.Exec(t, conn, `GRANT USAGE ON SCHEMA mdb TO `+role+`;
		GRANT SELECT, INSERT ON mdb.messages TO `+role+`;
		GRANT SELECT, USAGE, UPDATE ON SEQUENCE mdb.messages_global_position_seq TO `+role+`;
		SET ROLE `+role)
	msgs := history(300)
	if _, err := messagedb.Export(context.Background(), conn, messagedb.Table{Schema: "mdb"}, pages(msgs, 64), nil); err != nil {
		t.Fatal(err)
	}
	mdbtest.Exec(t, conn, `RESET ROLE`)
	sameRows(t, mdbtest.Rows(t, conn, "mdb", "stream_name <> 'earlier-1'"), msgs)

	clash := []stream.Message{{ID: "00000000-0000-4000-8000-999999999999", Stream: "earlier-1", Type: "T",
		GlobalPosition: 9999, Data: []byte(`{}`), Time: time.Now().UTC()}}
	_, err := messagedb.Export(context.Background(), conn, messagedb.Table{Schema: "mdb"}, pages(clash, 1), nil)
	if err == nil || !strings.Contains(err.Error(), "(stream_name, \"position\")=(earlier-1, 0)") {
		t.Fatalf("export of a taken stream position: %v", err)
	}
}

func sameRows(t *testing.T, got []messagedb.Row, want []stream.Message) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Position != w.Position ||
			g.GlobalPosition != w.GlobalPosition || !g.Time.Equal(w.Time) ||
			!sameJSON(g.Data, w.Data) || !sameJSON(g.Metadata, w.Metadata) {
			t.Fatalf("row %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}
