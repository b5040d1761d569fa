package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
)

// BenchmarkScale is the PostgreSQL twin of the SQLite one: category pages
// from the middle, consumer-group and correlation pages, ns.categories,
// ns.streams and ns.info on a namespace of 1,000,000 messages (see
// storetest.RunScale), in a database of its own. The fill takes one to two
// minutes:
//
//	EVENTODB_TEST_PG_URL=… go test ./adapters/storage/postgres -run '^$' -bench Scale -count 5
//
// Every import batch updates the row of each of the 10,000 streams: the
// streams table's free space per page (fillfactor 50) keeps those updates on
// their pages, or the table would end with 100 versions of every row, which
// ns.categories and ns.info read whole. The catalog rows run once on the
// table as the fill left it and once more, named "compacted …", after VACUUM
// FULL; the set-up logs the table's size before and after.
func BenchmarkScale(b *testing.B) {
	dsn := freshDatabase(b)
	s := open(b, postgres.Config{URL: dsn})
	storetest.RunScale(b, storetest.ScaleHarness{
		Store: s,
		// What autovacuum does after a bulk insert, so the planner knows
		// the tables' sizes.
		Filled: func(b *testing.B, ns string) {
			exec(b, dsn, `VACUUM ANALYZE "ns_`+ns+`".messages`)
			exec(b, dsn, `VACUUM ANALYZE "ns_`+ns+`".streams`)
			logTableSizes(b, dsn, ns)
		},
		Compact: func(b *testing.B, ns string) {
			exec(b, dsn, `VACUUM FULL ANALYZE "ns_`+ns+`".streams`)
			logTableSizes(b, dsn, ns)
		},
	})
}

// logTableSizes logs the size on disk of the namespace's messages and
// streams tables (without their indexes).
func logTableSizes(b *testing.B, dsn, ns string) {
	b.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	var messages, streams int64
	if err := conn.QueryRow(ctx, `SELECT pg_relation_size($1::regclass), pg_relation_size($2::regclass)`,
		`"ns_`+ns+`".messages`, `"ns_`+ns+`".streams`).Scan(&messages, &streams); err != nil {
		b.Fatal(err)
	}
	b.Logf("table sizes: messages %.1f MB, streams %.2f MB", float64(messages)/1e6, float64(streams)/1e6)
}
