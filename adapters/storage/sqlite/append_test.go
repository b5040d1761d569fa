package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
)

// An append planned from the writer's memory is one statement whose trigger
// checks the plan against the file. Memory cannot go stale while the store
// owns the files; if it ever did (here: the file changed past the store, on a
// connection of its own), the statement must write nothing, neither over
// another message nor leaving a gap, and the append must be planned again
// from the file. (Refusals, which write nothing, are answered from memory:
// that is why the files have one owner.)
func TestAppendFromStaleMemoryIsPlannedAgain(t *testing.T) {
	t.Parallel()
	for name, behind := range map[string]string{
		"a message written behind the store": `INSERT INTO append_rows (global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation)
			VALUES (3, 2, 'order-1', 'order', 'Behind', 'behind-the-store', '{}', NULL, 0, 0, NULL)`,
		"the last message removed behind the store": `DELETE FROM messages WHERE global_position = 2;
			UPDATE streams SET version = 0, message_count = 1 WHERE name = 'order-1'`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dir := t.TempDir()
			s := open(t, sqlite.Config{DataDir: dir})
			if err := s.Create(ctx, namespace.Record{ID: "stale", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
			write := func() (stream.Appended, error) {
				m := stream.Proposed{ID: uuid.Must(uuid.NewV7()).String(), Type: "T", Data: []byte(`{}`), GeneratedID: true}
				return s.Append(ctx, "stale", stream.Append{Stream: "order-1", Messages: []stream.Proposed{m}})
			}
			for range 2 {
				if _, err := write(); err != nil {
					t.Fatal(err)
				}
			}
			db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "namespaces", "stale.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(behind); err != nil {
				t.Fatal(err)
			}
			var want stream.Appended
			if err := db.QueryRow("SELECT MAX(position) + 1, MAX(global_position) + 1 FROM messages").Scan(&want.Position, &want.GlobalPosition); err != nil {
				t.Fatal(err)
			}

			res, err := write()
			if err != nil || res.Position != want.Position || res.GlobalPosition != want.GlobalPosition {
				t.Fatalf("append = %+v, %v; want position %d, global position %d", res, err, want.Position, want.GlobalPosition)
			}
			var version int64
			if err := db.QueryRow("SELECT version FROM streams WHERE name = 'order-1'").Scan(&version); err != nil || version != want.Position {
				t.Fatalf("stream version %d (%v), want %d", version, err, want.Position)
			}
		})
	}
}
