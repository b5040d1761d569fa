package main

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/cli/messagedb/mdbtest"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
)

const mdb = messagedb.DefaultSchema

// messageDB is a Message DB-shaped database holding n generated messages.
func messageDB(t *testing.T, n int) (string, *pgx.Conn) {
	t.Helper()
	url := mdbtest.Database(t, config.TestPostgresURL())
	conn := mdbtest.Connect(t, url)
	mdbtest.Install(t, conn, mdb)
	mdbtest.Fill(t, conn, mdb, n)
	return url, conn
}

// nthGPos is the global position of the table's n-th row (1-based).
func nthGPos(t *testing.T, conn *pgx.Conn, n int) int64 {
	t.Helper()
	return mdbtest.GlobalPositions(t, conn, `SELECT global_position FROM message_store.messages
		ORDER BY global_position OFFSET $1 LIMIT 1`, n-1)[0]
}

// 100,000 Message DB messages move into a server: an invalid one stops the
// first run at its global position, the rerun from there with --skip-invalid
// completes it, and stream.get and category.get then return every other
// message with every field as in the source; consumer groups split as
// Message DB's hash does; an export into a fresh Message DB table
// reproduces the source rows.
func TestMessageDBImportThroughServerAndBack(t *testing.T) {
	t.Parallel()
	srcURL, src := messageDB(t, 100_000)
	badData, badName := nthGPos(t, src, 60_000), nthGPos(t, src, 80_000)
	mdbtest.Exec(t, src, `UPDATE message_store.messages SET data = '"not an object"' WHERE global_position = $1`, badData)
	mdbtest.Exec(t, src, `UPDATE message_store.messages SET stream_name = E'bad\x01-' || global_position WHERE global_position = $1`, badName)
	url, token, store := testServer(t)

	code, stdout, stderr := run(t, "import", "--from-message-db", srcURL, "--url", url, "--token", token)
	wantStop := fmt.Sprintf("import stopped at global position %d after 59999 messages: data must be a JSON object; resume with --from-gpos %d", badData, badData)
	if code != exitFailed || !strings.Contains(stderr, wantStop) || !strings.Contains(stderr, "--skip-invalid") || stdout != "" {
		t.Fatalf("first run: exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, wantStop)
	}
	if got, _ := everything(t, store, "tenant"); len(got) != 59_999 || got[len(got)-1].GlobalPosition >= badData {
		t.Fatalf("after the first run the server holds %d messages up to %d, want 59999 below %d", len(got), got[len(got)-1].GlobalPosition, badData)
	}

	code, stdout, stderr = run(t, "import", "--from-message-db", srcURL, "--url", url, "--token", token,
		"--from-gpos", fmt.Sprint(badData), "--skip-invalid", "--json")
	var sum messagedb.Summary
	if code != exitOK || json.Unmarshal([]byte(stdout), &sum) != nil {
		t.Fatalf("rerun: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	wantSkips := []messagedb.Skip{{GlobalPosition: badData, Reason: "data must be a JSON object"},
		{GlobalPosition: badName, Reason: "stream_name must not contain control characters"}}
	if sum.Read != 40_001 || sum.Imported != 39_999 || sum.Skipped != 2 || !reflect.DeepEqual(sum.SkippedRows, wantSkips) ||
		sum.FirstGPos <= badData || sum.LastGPos != nthGPos(t, src, 100_000) || sum.StoppedAt != nil {
		t.Fatalf("rerun summary %+v", sum)
	}
	for _, k := range wantSkips {
		if line := fmt.Sprintf("skipped global position %d: %s\n", k.GlobalPosition, k.Reason); !strings.Contains(stderr, line) {
			t.Fatalf("rerun stderr %q lacks %q", stderr, line)
		}
	}

	valid := fmt.Sprintf("global_position NOT IN (%d, %d)", badData, badName)
	checkServed(t, url, token, src, valid)
	checkConsumerGroups(t, url, token, src, valid)

	// Out again: the namespace into a fresh Message DB table is the source
	// without the two invalid rows.
	outURL := mdbtest.Database(t, config.TestPostgresURL())
	code, _, stderr = run(t, "export", "--url", url, "--token", token, "--to-message-db", outURL)
	if code != exitOK || !strings.Contains(stderr, "exported 99998 messages") {
		t.Fatalf("export: exit %d, stderr %q", code, stderr)
	}
	sameTables(t, src, valid, mdbtest.Connect(t, outURL), "true")
}

// checkServed compares what category.get and stream.get return with the
// source rows that where selects.
func checkServed(t *testing.T, url, token string, src *pgx.Conn, where string) {
	t.Helper()
	want := mdbtest.Rows(t, src, mdb, where)
	var categories []struct{ Category string }
	rpc(t, url, token, &categories, "ns.categories")
	var all []served
	for _, c := range categories {
		all = append(all, categoryGet(t, url, token, c.Category, map[string]any{})...)
	}
	slices.SortFunc(all, func(a, b served) int { return int(a.GPos - b.GPos) })
	if err := sameServed("category.get", all, want); err != nil {
		t.Fatal(err)
	}

	byStream := map[string][]messagedb.Row{}
	for _, r := range want {
		byStream[r.Stream] = append(byStream[r.Stream], r)
	}
	if len(byStream) < 2000 {
		t.Fatalf("only %d streams: the fixture should have thousands", len(byStream))
	}
	// Thousands of calls: a few at a time.
	var g errgroup.Group
	g.SetLimit(4)
	for name, rows := range byStream {
		g.Go(func() error {
			got, err := streamGet(url, token, name)
			if err == nil {
				err = sameServed("stream.get "+name, got, rows)
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ category, correlation string }{{"order", "workflow"}, {"account", "saga:step"}} {
		got := categoryGet(t, url, token, c.category, map[string]any{"correlation": c.correlation})
		wantCorr := mdbtest.Rows(t, src, mdb, where+` AND message_store.category(stream_name) = $1
			AND message_store.category(metadata->>'correlationStreamName') = $2`, c.category, c.correlation)
		if len(wantCorr) == 0 {
			t.Fatalf("no %s rows correlated with %s", c.category, c.correlation)
		}
		if err := sameServed("category.get "+c.category+" correlation "+c.correlation, got, wantCorr); err != nil {
			t.Fatal(err)
		}
	}
}

// checkConsumerGroups compares each member's category.get with Message DB's
// split, computed with its hash in PostgreSQL. Streams without an id are in
// no member in Message DB; here each is in the member its whole name hashes
// to (a documented difference), so they are compared apart.
func checkConsumerGroups(t *testing.T, url, token string, src *pgx.Conn, where string) {
	t.Helper()
	for _, category := range []string{"account", "user:command", "stock"} {
		for _, size := range []int64{1, 2, 3, 5} {
			var union []int64
			for member := range size {
				got := categoryGet(t, url, token, category, map[string]any{"consumerGroup": map[string]any{"member": member, "size": size}})
				var withID, withoutID []int64
				for _, m := range got {
					if stream.IsCategory(m.Stream) {
						withoutID = append(withoutID, m.GPos)
					} else {
						withID = append(withID, m.GPos)
					}
				}
				wantWithID := mdbtest.GlobalPositions(t, src, `SELECT global_position FROM message_store.messages
					WHERE `+where+` AND message_store.category(stream_name) = $1
					AND message_store.is_member(stream_name, $2, $3) ORDER BY global_position`, category, member, size)
				wantWithoutID := mdbtest.GlobalPositions(t, src, `SELECT global_position FROM message_store.messages
					WHERE `+where+` AND stream_name = $1
					AND @message_store.hash_64(stream_name) % $3 = $2 ORDER BY global_position`, category, member, size)
				if !slices.Equal(withID, wantWithID) || !slices.Equal(withoutID, wantWithoutID) {
					t.Fatalf("%s member %d of %d: %d+%d messages, want Message DB's %d (+%d without id)",
						category, member, size, len(withID), len(withoutID), len(wantWithID), len(wantWithoutID))
				}
				union = append(union, globalPositions(got)...)
			}
			// Every message in exactly one member, and Message DB's split
			// leaves the streams without an id out.
			slices.Sort(union)
			all := mdbtest.GlobalPositions(t, src, `SELECT global_position FROM message_store.messages
				WHERE `+where+` AND message_store.category(stream_name) = $1 ORDER BY global_position`, category)
			inNone := mdbtest.GlobalPositions(t, src, `SELECT count(*) FROM message_store.messages
				WHERE `+where+` AND message_store.category(stream_name) = $1
				AND NOT EXISTS (SELECT FROM generate_series(0, $2 - 1) AS m WHERE message_store.is_member(stream_name, m, $2))`, category, size)
			noID := mdbtest.GlobalPositions(t, src, `SELECT count(*) FROM message_store.messages WHERE `+where+` AND stream_name = $1`, category)
			if !slices.Equal(union, all) || inNone[0] != noID[0] || noID[0] == 0 {
				t.Fatalf("%s in %d members: %d of %d messages; Message DB leaves %d out, the streams without id hold %d",
					category, size, len(union), len(all), inNone[0], noID[0])
			}
		}
	}
}

// sameTables compares the rows where selects from two messages tables, every
// column, by a digest PostgreSQL computes; on a difference it finds the
// first differing row.
func sameTables(t *testing.T, a *pgx.Conn, whereA string, b *pgx.Conn, whereB string) {
	t.Helper()
	digest := func(conn *pgx.Conn, where string) (n int64, sum string) {
		err := conn.QueryRow(context.Background(), `SELECT count(*), coalesce(md5(string_agg(concat_ws('|', global_position,
			position, time, stream_name, type, data::text, coalesce(metadata::text, 'NULL'), id), E'\n' ORDER BY global_position)), '')
			FROM message_store.messages WHERE `+where).Scan(&n, &sum)
		if err != nil {
			t.Fatal(err)
		}
		return n, sum
	}
	nA, sumA := digest(a, whereA)
	nB, sumB := digest(b, whereB)
	if nA == nB && sumA == sumB {
		return
	}
	rowsA, rowsB := mdbtest.Rows(t, a, mdb, whereA), mdbtest.Rows(t, b, mdb, whereB)
	for i := range min(len(rowsA), len(rowsB)) {
		if fmt.Sprint(rowsA[i]) != fmt.Sprint(rowsB[i]) {
			t.Fatalf("row %d differs:\n%+v\n%+v", i, rowsA[i], rowsB[i])
		}
	}
	t.Fatalf("%d rows, want %d", nB, nA)
}

// Straight into an EventoDB PostgreSQL database, only some categories; then
// out into another schema of a fresh database, whose sequence continues.
func TestMessageDBImportIntoDatabaseByCategory(t *testing.T) {
	t.Parallel()
	srcURL, src := messageDB(t, 20_000)
	dbURL := mdbtest.Database(t, config.TestPostgresURL())
	pg, err := postgres.Open(postgres.Config{URL: dbURL, MaxConns: 4}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if err := pg.Create(context.Background(), namespace.Record{ID: "shop", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "import", "--from-message-db", srcURL, "--db-url", dbURL, "--namespace", "shop",
		"--categories", "account, user:command")
	where := "message_store.category(stream_name) IN ('account', 'user:command')"
	want := mdbtest.Rows(t, src, mdb, where)
	wantLine := fmt.Sprintf("read %d rows, imported %d messages (global positions %d to %d)",
		len(want), len(want), want[0].GlobalPosition, want[len(want)-1].GlobalPosition)
	if code != exitOK || stdout != "" || !strings.HasPrefix(stderr, wantLine) {
		t.Fatalf("import: exit %d, stdout %q, stderr %q; want %q", code, stdout, stderr, wantLine)
	}
	got, _ := everything(t, pg, "shop")
	if len(got) != len(want) {
		t.Fatalf("%d messages, want %d", len(got), len(want))
	}
	for i := range want {
		w, g := want[i], got[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Position != w.Position ||
			g.GlobalPosition != w.GlobalPosition || !g.Time.Equal(w.Time) || !sameJSONValue(t, g.Data, w.Data) ||
			!sameJSONValue(t, g.Metadata, w.Metadata) {
			t.Fatalf("message %d = %+v, want %+v", i, g, w)
		}
	}

	outURL := mdbtest.Database(t, config.TestPostgresURL())
	code, _, stderr = run(t, "export", "--db-url", dbURL, "--namespace", "shop", "--to-message-db", outURL, "--schema", mdb)
	if code != exitOK {
		t.Fatalf("export: exit %d, stderr %q", code, stderr)
	}
	out := mdbtest.Connect(t, outURL)
	sameTables(t, src, where, out, "true")
	next := mdbtest.GlobalPositions(t, out, `INSERT INTO message_store.messages (position, stream_name, type, data)
		VALUES (0, 'new-1', 'T', '{}') RETURNING global_position`)
	if next[0] != want[len(want)-1].GlobalPosition+1 {
		t.Fatalf("Message DB's next write takes global position %d, want %d", next[0], want[len(want)-1].GlobalPosition+1)
	}
	// Again into the same table: every position is taken, nothing is written.
	code, _, stderr = run(t, "export", "--db-url", dbURL, "--namespace", "shop", "--to-message-db", outURL)
	if code != exitFailed || !strings.Contains(stderr, "already holds a message this export would write") {
		t.Fatalf("second export: exit %d, stderr %q", code, stderr)
	}
}

// sameJSONValue compares stored JSON with a source jsonb text as values.
func sameJSONValue(t *testing.T, got, want []byte) bool {
	t.Helper()
	if got == nil || want == nil {
		return got == nil && want == nil
	}
	var g, w any
	if unmarshalNumber(got, &g) != nil || unmarshalNumber(want, &w) != nil {
		return false
	}
	return reflect.DeepEqual(g, w)
}

func TestMessageDBUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"schema without source", []string{"import", "--schema", "x"}, exitUsage, "--schema needs --from-message-db"},
		{"skip-invalid without source", []string{"import", "--skip-invalid"}, exitUsage, "--skip-invalid needs --from-message-db"},
		{"json without source", []string{"import", "--json"}, exitUsage, "--json needs --from-message-db"},
		{"input and source", []string{"import", "--from-message-db", "postgres://x/y", "--input", "f"}, exitUsage, "--input and --from-message-db exclude each other"},
		{"negative from-gpos", []string{"import", "--from-message-db", "postgres://x/y", "--from-gpos", "-3"}, exitUsage, "--from-gpos must not be negative"},
		{"output and target", []string{"export", "--to-message-db", "postgres://x/y", "--output", "f"}, exitUsage, "--output and --to-message-db exclude each other"},
		{"schema without target", []string{"export", "--schema", "x"}, exitUsage, "--schema needs --to-message-db"},
		{"unreachable source", []string{"import", "--from-message-db", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2",
			"--url", "http://127.0.0.1:1", "--token", "t"}, exitFailed, "--from-message-db:"},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.stderr) || stdout != "" {
			t.Errorf("%s: exit %d, stderr %q, stdout %q; want exit %d and %q", tt.name, code, stderr, stdout, tt.code, tt.stderr)
		}
	}
	_, help, _ := run(t, "import", "--help")
	_, exportHelp, _ := run(t, "export", "--help")
	if !strings.Contains(help, "Coming from Message DB") || !strings.Contains(help, "--from-message-db url") ||
		!strings.Contains(exportHelp, "--to-message-db url") {
		t.Fatalf("help lacks the Message DB flags:\n%s\n%s", help, exportHelp)
	}
}
