package bunstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
)

// gatedFeed holds each commit's writer in Committed (after the commit, before
// its callers are answered) until the test lets it go.
type gatedFeed struct {
	entered chan struct{}
	release chan struct{}
}

func (f *gatedFeed) Committed(string, int64, []stream.Committed) {
	f.entered <- struct{}{}
	<-f.release
}

func (f *gatedFeed) Unsure(string) {}

// A refused append is answered as soon as its batch is planned, not after
// the batch's commit: under contention its caller retries meanwhile. With
// ids the server generates, SQLite commits the batch as one statement from
// the writer's memory; with the client's, it reads ids first: both answer early.
func TestRefusalsAreAnsweredBeforeTheCommit(t *testing.T) {
	t.Parallel()
	for _, generated := range []bool{false, true} {
		t.Run(map[bool]string{false: "client ids", true: "generated ids"}[generated], func(t *testing.T) {
			t.Parallel()
			testRefusalsAnsweredEarly(t, generated)
		})
	}
}

func testRefusalsAnsweredEarly(t *testing.T, generated bool) {
	ctx := context.Background()
	store, err := sqlite.Open(sqlite.Config{InMemory: true}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	feed := &gatedFeed{entered: make(chan struct{}, 8), release: make(chan struct{})}
	store.PublishCommits(feed)
	t.Cleanup(func() { _ = store.Close() })
	t.Cleanup(func() { close(feed.release) }) // first: a failed test lets every writer go
	ns := "early"
	if err := store.Create(ctx, namespace.Record{ID: ns, TokenHash: "x", CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	appendTo := func(name string, ev stream.ExpectedVersion) <-chan error {
		done := make(chan error, 1)
		go func() {
			_, err := store.Append(ctx, ns, stream.Append{Stream: name, ExpectedVersion: ev,
				Messages: []stream.Proposed{{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`), GeneratedID: generated}}})
			done <- err
		}()
		return done
	}
	first := appendTo("held-1", stream.AnyVersion())
	<-feed.entered // the first batch is committed and its leader held: the next appends queue
	writer := appendTo("fresh-2", stream.AnyVersion())
	time.Sleep(50 * time.Millisecond) // let it queue first, so it leads the next batch
	refused := appendTo("held-1", stream.ExactVersion(5))
	time.Sleep(50 * time.Millisecond)
	feed.release <- struct{}{} // the first batch's callers are answered; the next batch runs
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	<-feed.entered // the second batch is committed; its leader is held before answering
	select {
	case err := <-refused:
		var conflict *stream.VersionConflictError
		if !errors.As(err, &conflict) {
			t.Fatalf("refused append = %v, want a version conflict", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the refused append was not answered before its batch's callers")
	}
	select {
	case err := <-writer:
		t.Fatalf("the accepted append was answered (%v) before its batch was through", err)
	default:
	}
	feed.release <- struct{}{}
	if err := <-writer; err != nil {
		t.Fatal(err)
	}
}
