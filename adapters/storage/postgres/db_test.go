package postgres_test

import (
	"crypto/rand"
	"encoding/hex"
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/adapters/storage/postgres/pgtest"
)

func adminURL(t testing.TB) string { return pgtest.AdminURL(t) }

func freshDatabase(t testing.TB) string { return pgtest.FreshDatabase(t) }

func exec(t testing.TB, dsn string, sql string, args ...any) { pgtest.Exec(t, dsn, sql, args...) }

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
