package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
	"github.com/eventodb/eventodb/domain/namespace"
)

// BenchmarkGroupLag measures what group.list costs: the lag of 100 groups
// over a category of 1,000,000 messages (among 1,500,000), each group's
// members at random checkpoints. Run it with
//
//	EVENTODB_TEST_PG_URL=… go test ./adapters/storage/postgres -run '^$' -bench GroupLag -benchtime 20x
//
// Filling the database takes a while; the set-up logs how long creating the
// groups took (their tallies count the category once per shape) and the
// plans of the counting queries.
func BenchmarkGroupLag(b *testing.B) {
	ctx := context.Background()
	dsn := freshDatabase(b)
	s := open(b, postgres.Config{URL: dsn, MaxConns: 10})
	if err := s.Create(ctx, namespace.Record{ID: "bench", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	fillMillion(b, dsn)
	storetest.RunGroupLag(b, s, func(b *testing.B) { explainLag(b, dsn) })
}

// fillMillion writes 1,500,000 messages straight into the namespace's
// table: every third one in category "other", the rest (1,000,000) in "big",
// over 10,000 streams each, one in 20 correlated with "workflow".
// partition_hash is Message DB's hash_64 of the cardinal id, computed by
// PostgreSQL itself.
func fillMillion(b *testing.B, dsn string) {
	b.Helper()
	start := time.Now()
	exec(b, dsn, `INSERT INTO "ns_bench".messages
		(global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation)
		SELECT g, g / 10000, c || '-' || (g % 10000), c, 'Done', md5(g::text)::uuid::text, '{}', NULL, 0,
		       ('x' || left(md5((g % 10000)::text), 16))::bit(64)::bigint,
		       CASE WHEN g % 20 = 0 THEN 'workflow' END
		FROM generate_series(1, 1500000) AS g,
		     LATERAL (SELECT CASE WHEN g % 3 = 0 THEN 'other' ELSE 'big' END AS c) AS cat`)
	exec(b, dsn, `INSERT INTO "ns_bench".streams (name, category, version, last_time, message_count)
		SELECT stream_name, category, MAX(position), 0, COUNT(*) FROM "ns_bench".messages GROUP BY stream_name, category`)
	exec(b, dsn, `VACUUM ANALYZE "ns_bench".messages`)
	b.Logf("filled 1,500,000 messages in %s", time.Since(start).Round(time.Millisecond))
}

// explainLag logs the plans of the counting queries on the filled table.
func explainLag(b *testing.B, dsn string) {
	b.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`SELECT ABS(partition_hash % 4), COUNT(*) FROM "ns_bench".messages WHERE category = 'big' AND global_position > 1400000 AND global_position <= 1500000 GROUP BY 1`,
		`SELECT ABS(partition_hash % 4), COUNT(*) FROM "ns_bench".messages WHERE category = 'big' AND global_position > 1400000 AND global_position <= 1500000 AND correlation = 'workflow' GROUP BY 1`,
		`SELECT COUNT(*) FROM "ns_bench".messages WHERE category = 'big' AND global_position > 1400000 AND global_position <= 1400300 AND ABS(partition_hash % 4) = 1`,
		`SELECT member, checkpoint, counted, updated_at, lease_id, lease_expires_at, lease_ttl FROM "ns_bench".group_members WHERE group_name = 'g003' ORDER BY member`,
		`SELECT counted_to, totals FROM "ns_bench".group_tallies WHERE category = 'big' AND correlation = '' AND size = 4`,
		`SELECT COALESCE(MAX(global_position), 0) FROM "ns_bench".messages`,
	} {
		rows, err := conn.Query(ctx, "EXPLAIN (COSTS OFF) "+q)
		if err != nil {
			b.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				b.Fatal(err)
			}
			plan = append(plan, "    "+line)
		}
		rows.Close()
		b.Logf("%s\n%s", q, strings.Join(plan, "\n"))
	}
}
