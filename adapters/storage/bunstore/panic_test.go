package bunstore_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
)

// panickyFeed panics in its first Committed: a bug in the commit path.
type panickyFeed struct{ panicked atomic.Bool }

func (f *panickyFeed) Committed(string, int64, []stream.Committed) {
	if f.panicked.CompareAndSwap(false, true) {
		panic("a bug in the commit path")
	}
}

func (f *panickyFeed) Unsure(string) {}

// A panic while a batch commits reaches its leader's caller, but leaves the
// namespace with a leader: later appends are committed, and the store closes.
func TestPanicInACommitDoesNotWedgeTheNamespace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store, err := sqlite.Open(sqlite.Config{InMemory: true}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	store.PublishCommits(&panickyFeed{})
	closed := make(chan error, 1)
	t.Cleanup(func() {
		go func() { closed <- store.Close() }()
		select {
		case err := <-closed:
			if err != nil {
				t.Errorf("close: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the store did not close")
		}
	})
	if err := store.Create(ctx, namespace.Record{ID: "bug", TokenHash: "x", CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	write := func() (stream.Appended, error) {
		return store.Append(ctx, "bug", stream.Append{Stream: "doc-1",
			Messages: []stream.Proposed{{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`), GeneratedID: true}}})
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("the commit's panic did not reach its caller")
			}
		}()
		_, _ = write()
	}()
	done := make(chan error, 1)
	go func() {
		_, err := write()
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("append after the panic: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the namespace took no append after the panic")
	}
}
