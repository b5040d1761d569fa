package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func benchStore(b *testing.B) ports.Storage {
	b.Helper()
	s := open(b, postgres.Config{URL: freshDatabase(b)})
	if err := s.Create(context.Background(), namespace.Record{ID: "bench", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchAppend(b *testing.B, s ports.MessageStore, name string) {
	m := stream.Proposed{ID: uuid.NewString(), Type: "Bench", Data: []byte(`{"amount":100}`)}
	if _, err := s.Append(context.Background(), "bench", stream.Append{Stream: name, Messages: []stream.Proposed{m}}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAppend is one writer: every append is its own transaction.
func BenchmarkAppend(b *testing.B) {
	s := benchStore(b)
	for i := 0; b.Loop(); i++ {
		benchAppend(b, s, fmt.Sprintf("bench-%d", i%100))
	}
}

// BenchmarkAppendParallel lets concurrent appends share transactions.
func BenchmarkAppendParallel(b *testing.B) {
	s := benchStore(b)
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			benchAppend(b, s, fmt.Sprintf("bench-%d", i%100))
		}
	})
}

func BenchmarkReadStream100(b *testing.B) {
	s := benchStore(b)
	for range 100 {
		benchAppend(b, s, "read-1")
	}
	for b.Loop() {
		msgs, err := s.ReadStream(context.Background(), "bench", ports.StreamQuery{Stream: "read-1", Limit: 100})
		if err != nil || len(msgs) != 100 {
			b.Fatal(len(msgs), err)
		}
	}
}
