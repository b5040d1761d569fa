package main

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/cli/messagedb/mdbtest"
	"github.com/eventodb/eventodb/app/config"
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
	sameTables(t, src, valid, mdbtest.Connect(t, outURL), mdb, "true")
}

// sameTables compares the rows where selects from two messages tables, every
// column, by a digest PostgreSQL computes; on a difference it finds the
// first differing row.
func sameTables(t *testing.T, a *pgx.Conn, whereA string, b *pgx.Conn, schemaB, whereB string) {
	t.Helper()
	digest := func(conn *pgx.Conn, schema, where string) (n int64, sum string) {
		err := conn.QueryRow(context.Background(), `SELECT count(*), coalesce(md5(string_agg(concat_ws('|', global_position,
			position, time, stream_name, type, data::text, coalesce(metadata::text, 'NULL'), id), E'\n' ORDER BY global_position)), '')
			FROM `+messagedb.Table{Schema: schema}.Name()+` WHERE `+where).Scan(&n, &sum)
		if err != nil {
			t.Fatal(err)
		}
		return n, sum
	}
	nA, sumA := digest(a, mdb, whereA)
	nB, sumB := digest(b, schemaB, whereB)
	if nA == nB && sumA == sumB {
		return
	}
	rowsA, rowsB := mdbtest.Rows(t, a, mdb, whereA), mdbtest.Rows(t, b, schemaB, whereB)
	for i := range min(len(rowsA), len(rowsB)) {
		if fmt.Sprint(rowsA[i]) != fmt.Sprint(rowsB[i]) {
			t.Fatalf("row %d differs:\n%+v\n%+v", i, rowsA[i], rowsB[i])
		}
	}
	t.Fatalf("%d rows, want %d", nB, nA)
}
