// Package pgtest gives tests a PostgreSQL database of their own on the server
// EVENTODB_TEST_PG_URL names, and skips them, saying so, when it is unset.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the server the PostgreSQL tests use.
const EnvURL = "EVENTODB_TEST_PG_URL"

// AdminURL is EnvURL's value; the test is skipped when it is unset.
func AdminURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(EnvURL)
	if u == "" {
		t.Skip(EnvURL + " is not set: skipping this PostgreSQL test")
	}
	return u
}

// FreshDatabase creates a database for one test and drops it (with any
// connection left) when the test ends. It returns the database's URL.
func FreshDatabase(t testing.TB) string {
	t.Helper()
	admin := AdminURL(t)
	name := "eventodb_test_" + randomHex(6)
	Exec(t, admin, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'")
	t.Cleanup(func() { Exec(t, admin, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return WithDatabase(t, admin, name)
}

// WithDatabase returns raw (a URL or a keyword/value string) naming database name.
func WithDatabase(t testing.TB, raw, name string) string {
	t.Helper()
	if !strings.Contains(raw, "://") {
		return raw + " dbname=" + name
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s does not parse: %v", EnvURL, err)
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("dbname")
	u.RawQuery = q.Encode()
	return u.String()
}

// Exec runs one statement on a connection of its own.
func Exec(t testing.TB, dsn string, sql string, args ...any) {
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

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
