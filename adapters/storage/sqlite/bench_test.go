package sqlite_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func benchStore(b *testing.B) (*bunstore.Store, string) {
	b.Helper()
	s, err := sqlite.Open(sqlite.Config{DataDir: b.TempDir()}, zap.NewNop())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	if err := s.Create(context.Background(), namespace.Record{ID: "bench", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	return s, "bench"
}

func benchAppend(b *testing.B, s ports.MessageStore, ns, name string) {
	m := stream.Proposed{ID: uuid.NewString(), Type: "Bench", Data: []byte(`{"amount":100,"note":"benchmark"}`)}
	if _, err := s.Append(context.Background(), ns, stream.Append{Stream: name, Messages: []stream.Proposed{m}}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAppend is one writer: every append waits for its own fsync.
func BenchmarkAppend(b *testing.B) {
	s, ns := benchStore(b)
	for i := 0; b.Loop(); i++ {
		benchAppend(b, s, ns, fmt.Sprintf("bench-%d", i%100))
	}
}

// BenchmarkAppendParallel has many concurrent writers share transactions.
func BenchmarkAppendParallel(b *testing.B) {
	s, ns := benchStore(b)
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			benchAppend(b, s, ns, fmt.Sprintf("bench-%d", i%100))
		}
	})
}

func BenchmarkReadStream100(b *testing.B) {
	s, ns := benchStore(b)
	for range 100 {
		benchAppend(b, s, ns, "read-1")
	}
	for b.Loop() {
		msgs, err := s.ReadStream(context.Background(), ns, ports.StreamQuery{Stream: "read-1", Limit: 100})
		if err != nil || len(msgs) != 100 {
			b.Fatal(len(msgs), err)
		}
	}
}

func BenchmarkReadCategory100(b *testing.B) {
	s, ns := benchStore(b)
	for i := range 100 {
		benchAppend(b, s, ns, fmt.Sprintf("read-%d", i%10))
	}
	for b.Loop() {
		msgs, err := s.ReadCategory(context.Background(), ns, ports.CategoryQuery{Category: "read", Limit: 100})
		if err != nil || len(msgs) != 100 {
			b.Fatal(len(msgs), err)
		}
	}
}
