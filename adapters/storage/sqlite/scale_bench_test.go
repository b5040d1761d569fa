package sqlite_test

import (
	"testing"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
)

// BenchmarkScale guards the reads that must not slow down as a namespace
// grows (category pages from the middle, consumer-group and correlation
// pages, ns.categories, ns.streams, ns.info) on a SQLite file holding
// 1,000,000 messages; see storetest.RunScale. The fill takes about a minute:
//
//	go test ./adapters/storage/sqlite -run '^$' -bench Scale -count 5
func BenchmarkScale(b *testing.B) {
	s, err := sqlite.Open(sqlite.Config{DataDir: b.TempDir()}, zap.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	storetest.RunScale(b, storetest.ScaleHarness{Store: s})
}
