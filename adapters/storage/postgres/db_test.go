package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
)

// adminURL is the server the tests use, or a skip.
func adminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("EVENTODB_TEST_PG_URL")
	if u == "" {
		t.Skip("EVENTODB_TEST_PG_URL not set: skipping PostgreSQL tests")
	}
	return u
}

// freshDatabase creates a database of its own for one test and drops it (with
// any connection left) when the test ends. It returns the database's URL.
func freshDatabase(t testing.TB) string {
	t.Helper()
	admin := adminURL(t)
	name := "eventodb_test_" + randomHex(6)
	exec(t, admin, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'")
	t.Cleanup(func() { exec(t, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return withDatabase(t, admin, name)
}

// withDatabase returns raw (a URL or a keyword/value string) naming database name.
func withDatabase(t testing.TB, raw, name string) string {
	t.Helper()
	if !strings.Contains(raw, "://") {
		return raw + " dbname=" + name
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("EVENTODB_TEST_PG_URL does not parse: %v", err)
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("dbname")
	u.RawQuery = q.Encode()
	return u.String()
}

// exec runs statements on a connection of its own.
func exec(t testing.TB, dsn string, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// open opens a store (a node) on dsn and closes it when the test ends.
func open(t testing.TB, cfg postgres.Config) *bunstore.Store {
	t.Helper()
	s, err := postgres.Open(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
