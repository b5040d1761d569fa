package memory_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func benchStore(b *testing.B) *memory.Store {
	b.Helper()
	s := memory.New(memory.Options{})
	b.Cleanup(func() { _ = s.Close() })
	if err := s.Create(context.Background(), namespace.Record{ID: "bench", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		b.Fatal(err)
	}
	return s
}

func benchAppend(b *testing.B, s *memory.Store, name string) {
	m := stream.Proposed{ID: uuid.NewString(), Type: "Bench", Data: []byte(`{"amount":100,"note":"benchmark"}`)}
	if _, err := s.Append(context.Background(), "bench", stream.Append{Stream: name, Messages: []stream.Proposed{m}}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkAppend is one writer over 100 streams of one category.
func BenchmarkAppend(b *testing.B) {
	s := benchStore(b)
	for i := 0; b.Loop(); i++ {
		benchAppend(b, s, fmt.Sprintf("bench-%d", i%100))
	}
}

// BenchmarkAppendParallel has concurrent writers contend for the namespace's lock.
func BenchmarkAppendParallel(b *testing.B) {
	s := benchStore(b)
	b.RunParallel(func(pb *testing.PB) {
		for i := 0; pb.Next(); i++ {
			benchAppend(b, s, fmt.Sprintf("bench-%d", i%100))
		}
	})
}

// The reads run on a namespace of 100,000 messages: the indexes, not a scan
// of the namespace, must answer them.
func benchReadStore(b *testing.B) *memory.Store {
	b.Helper()
	s := benchStore(b)
	for i := range 100_000 {
		benchAppend(b, s, fmt.Sprintf("read%d-%d", i%10, i%1000))
	}
	return s
}

func BenchmarkReadStream100(b *testing.B) {
	s := benchReadStore(b)
	for b.Loop() {
		msgs, err := s.ReadStream(context.Background(), "bench", ports.StreamQuery{Stream: "read7-537", Position: 0, Limit: 100})
		if err != nil || len(msgs) != 100 {
			b.Fatal(len(msgs), err)
		}
	}
}

func BenchmarkReadCategory100(b *testing.B) {
	s := benchReadStore(b)
	for b.Loop() {
		msgs, err := s.ReadCategory(context.Background(), "bench", ports.CategoryQuery{Category: "read3", GlobalPosition: 50_000, Limit: 100})
		if err != nil || len(msgs) != 100 {
			b.Fatal(len(msgs), err)
		}
	}
}
