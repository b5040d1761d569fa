// Package mdbtest gives tests of the Message DB import and export a
// Message DB-shaped PostgreSQL database: a fresh database per test, the
// schema (table, indexes, and the category, cardinal_id and hash_64 functions
// Message DB's reads use) and generated messages.
package mdbtest

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
)

var (
	//go:embed message_store.sql
	schemaSQL string
	//go:embed fill.sql
	fillSQL string
)

// Database creates a database on the PostgreSQL server of adminURL (the
// tests' EVENTODB_TEST_PG_URL), drops it when the test ends and returns its
// URL. It skips the test when adminURL is "".
func Database(t testing.TB, adminURL string) string {
	t.Helper()
	if adminURL == "" {
		t.Skip("EVENTODB_TEST_PG_URL is not set: skipping the Message DB tests, which need PostgreSQL")
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatalf("EVENTODB_TEST_PG_URL: %v", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "eventodb_mdb_" + hex.EncodeToString(b[:])
	admin := func(sql string) {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, adminURL)
		if err != nil {
			t.Fatalf("connect to %s: %v", u.Redacted(), err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	admin("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'")
	t.Cleanup(func() { admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u.Path = "/" + name
	q := u.Query()
	q.Del("dbname")
	u.RawQuery = q.Encode()
	return u.String()
}

// Connect opens a connection to dbURL, closed when the test ends.
func Connect(t testing.TB, dbURL string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	return conn
}

// Install creates a Message DB-shaped schema named schema.
func Install(t testing.TB, conn *pgx.Conn, schema string) {
	t.Helper()
	Exec(t, conn, strings.ReplaceAll(schemaSQL, "message_store", pgx.Identifier{schema}.Sanitize()))
}

// Fill writes n generated messages into schema's table.
func Fill(t testing.TB, conn *pgx.Conn, schema string, n int) {
	t.Helper()
	Exec(t, conn, strings.ReplaceAll(fillSQL, "message_store", pgx.Identifier{schema}.Sanitize()), n)
}

// Exec runs sql or fails the test.
func Exec(t testing.TB, conn *pgx.Conn, sql string, args ...any) {
	t.Helper()
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// Rows reads the rows of schema's table that where (SQL, "true" for all)
// selects, in global order.
func Rows(t testing.TB, conn *pgx.Conn, schema, where string, args ...any) []messagedb.Row {
	t.Helper()
	rows, err := conn.Query(context.Background(), `SELECT global_position, position, time, stream_name, type,
		data::text, metadata::text, id::text FROM `+messagedb.Table{Schema: schema}.Name()+`
		WHERE `+where+` ORDER BY global_position`, args...)
	if err != nil {
		t.Fatal(err)
	}
	var out []messagedb.Row
	var r messagedb.Row
	_, err = pgx.ForEachRow(rows, []any{&r.GlobalPosition, &r.Position, &r.Time, &r.Stream, &r.Type, &r.Data, &r.Metadata, &r.ID},
		func() error {
			out = append(out, r)
			r.Data, r.Metadata = nil, nil
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// GlobalPositions returns the global positions sql (one bigint column)
// selects, in its order.
func GlobalPositions(t testing.TB, conn *pgx.Conn, sql string, args ...any) []int64 {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}
