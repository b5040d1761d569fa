package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
)

// A read of a small (here: empty) category must look it up in the category
// index, not walk the primary key and filter: on a large namespace that
// reads every message (57 ms on 70,000 messages instead of 0.04 ms, and a
// fan-out to a thousand fresh subscribers took seconds). The statements the
// store prepares run generic plans, which cannot see how small the category
// is and chose that walk. The test reads PostgreSQL's own index counters,
// which a backend publishes when it exits: it closes the stores to read them.
func TestSmallCategoryReadsDoNotWalkTheNamespace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := freshDatabase(t)
	cfg := postgres.Config{URL: dsn, MaxConns: 4}

	// One large category is the worst case for a generic plan: it then
	// expects any category it is asked for to match most messages.
	const messages = 20000
	writer, err := postgres.Open(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	ns := createNamespace(t, writer)
	all := storetest.OneLargeCategory(messages)
	for start := 0; start < len(all); start += 1000 {
		if err := writer.Import(ctx, ns, all[start:start+1000]); err != nil {
			t.Fatal(err)
		}
	}
	if err := writer.Close(); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	waitForOtherBackends(t, conn)
	if _, err := conn.Exec(ctx, `ANALYZE "ns_`+ns+`".messages`); err != nil {
		t.Fatal(err)
	}
	before := indexReads(t, conn, ns)

	reader, err := postgres.Open(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	for name, q := range storetest.CategoryReadVariants() {
		q.Category, q.GlobalPosition, q.Limit = "small", 1, 1000
		// Twice: pgx prepares a statement on its first use.
		for range 2 {
			if msgs, err := reader.ReadCategory(ctx, ns, q); err != nil || len(msgs) != 0 {
				t.Fatalf("%s: read %d messages, %v; want none", name, len(msgs), err)
			}
		}
	}
	if err := reader.Close(); err != nil {
		t.Fatal(err)
	}
	waitForOtherBackends(t, conn)
	after := indexReads(t, conn, ns)
	t.Logf("index entries read by 10 reads of an empty category among %d messages: %v (before: %v)", messages, diff(after, before), before)
	if walked := after["messages_pkey"] - before["messages_pkey"]; walked > 1000 {
		t.Errorf("reads of an empty category walked %d entries of the primary key: a scan of the namespace", walked)
	}
}

// indexReads is, per index of ns's messages table, how many index entries
// scans have read.
func indexReads(t *testing.T, conn *pgx.Conn, ns string) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := conn.Exec(ctx, "SELECT pg_stat_clear_snapshot()"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, `SELECT indexrelname, idx_tup_read FROM pg_stat_user_indexes
		WHERE schemaname = $1 AND relname = 'messages'`, "ns_"+ns)
	if err != nil {
		t.Fatal(err)
	}
	reads, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (struct {
		name string
		n    int64
	}, error) {
		var v struct {
			name string
			n    int64
		}
		err := r.Scan(&v.name, &v.n)
		return v, err
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range reads {
		out[r.name] = r.n
	}
	return out
}

func diff(after, before map[string]int64) map[string]int64 {
	d := map[string]int64{}
	for k, v := range after {
		d[k] = v - before[k]
	}
	return d
}

// waitForOtherBackends waits until conn is the only connection to its
// database: closed stores' backends have exited and published their
// statistics.
func waitForOtherBackends(t *testing.T, conn *pgx.Conn) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var others int
		err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&others)
		if err != nil {
			t.Fatal(err)
		}
		if others == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d other connections to the database are still open after 30 s", others)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
