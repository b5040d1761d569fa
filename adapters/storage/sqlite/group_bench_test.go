package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/partition"
)

// BenchmarkGroupLag is the SQLite twin of the PostgreSQL one: the lag of
// 100 groups over a category of 1,000,000 messages (among 1,500,000), members
// at random checkpoints.
//
//	go test ./adapters/storage/sqlite -run '^$' -bench GroupLag -benchtime 20x
func BenchmarkGroupLag(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	s, err := sqlite.Open(sqlite.Config{DataDir: dir}, zap.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if err := s.Create(ctx, namespace.Record{ID: "bench", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	fillMillionSQLite(b, filepath.Join(dir, "namespaces", "bench.db"))
	b.Logf("filled 1,500,000 messages in %s", time.Since(start).Round(time.Millisecond))
	storetest.RunGroupLag(b, s, nil)
}

// fillMillionSQLite writes 1,500,000 messages straight into the namespace's
// file: every third one in category "other", the rest in "big", over
// 10,000 streams each, one in 20 correlated with "workflow".
func fillMillionSQLite(b *testing.B, path string) {
	b.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_busy_timeout=10000&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO messages (global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation)
		VALUES (?, ?, ?, ?, 'Done', ?, '{}', NULL, 0, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	hashes := make([]int64, 10000)
	for i := range hashes {
		hashes[i] = partition.Hash64(fmt.Sprint(i))
	}
	for g := int64(1); g <= 1_500_000; g++ {
		c := "big"
		if g%3 == 0 {
			c = "other"
		}
		var corr any
		if g%20 == 0 {
			corr = "workflow"
		}
		if _, err := ins.Exec(g, g/10000, fmt.Sprintf("%s-%d", c, g%10000), c, uuid.NewString(), hashes[g%10000], corr); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := tx.Exec(`INSERT INTO streams (name, category, version, last_time, message_count)
		SELECT stream_name, category, MAX(position), 0, COUNT(*) FROM messages GROUP BY stream_name`); err != nil {
		b.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec("ANALYZE"); err != nil {
		b.Fatal(err)
	}
}
