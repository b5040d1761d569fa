package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// Once the namespace's file has statistics (an operator's ANALYZE or
// PRAGMA optimize), SQLite plans a plainly written category read as a walk
// of the rowid, filtering by category: a scan of the whole namespace for a
// small category. Every category read must search its index instead.
func TestCategoryReadsSearchTheirIndexAfterAnalyze(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, sqlite.Config{DataDir: dir})
	if err := s.Create(ctx, namespace.Record{ID: "plans", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := s.(ports.Importer).Import(ctx, "plans", storetest.OneLargeCategory(5000)); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, "namespaces", "plans.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("ANALYZE"); err != nil {
		t.Fatal(err)
	}
	for name, q := range storetest.CategoryReadVariants() {
		plan := queryPlan(t, db, bunstore.CategoryReadSQL("messages", q, false))
		if !strings.Contains(plan, "USING INDEX messages_category (category=? AND global_position>?)") &&
			!strings.Contains(plan, "USING INDEX messages_correlation (category=? AND correlation=? AND global_position>?)") {
			t.Errorf("%s: the plan does not search the category's index from the position:\n%s", name, plan)
		}
		// The store runs that same text: a read of an empty category answers.
		q.Category, q.GlobalPosition, q.Limit = "small", 1, 1000
		if msgs, err := s.ReadCategory(ctx, "plans", q); err != nil || len(msgs) != 0 {
			t.Errorf("%s: read %d messages, %v; want none", name, len(msgs), err)
		}
	}
}

// queryPlan is SQLite's EXPLAIN QUERY PLAN of query, one step a line.
func queryPlan(t *testing.T, db *sql.DB, query string) string {
	t.Helper()
	n := strings.Count(query, "?")
	args := make([]any, n)
	for i := range args {
		args[i] = 1
	}
	rows, err := db.Query("EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(plan, "\n")
}
