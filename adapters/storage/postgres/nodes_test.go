package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func TestNodesStartTogether(t *testing.T) {
	t.Parallel()
	dsn := freshDatabase(t)
	const nodes = 4
	stores := make([]ports.Storage, nodes)
	errs := make([]error, nodes)
	var wg sync.WaitGroup
	for i := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, err := postgres.Open(postgres.Config{URL: dsn, MaxConns: 3}, nil)
			stores[i], errs[i] = s, err
			if err == nil {
				t.Cleanup(func() { _ = s.Close() })
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("node %d did not start: %v", i, err)
		}
	}
	// Every node creates a namespace; every node sees all of them.
	ids := make([]string, nodes)
	for i, s := range stores {
		ids[i] = createNamespace(t, s)
	}
	for i, s := range stores {
		list, err := s.List(context.Background())
		if err != nil || len(list) != nodes {
			t.Fatalf("node %d lists %v, %v; want %d namespaces", i, list, err, nodes)
		}
	}
}

func TestNamespaceLifecycleAcrossNodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := freshDatabase(t)
	a := open(t, postgres.Config{URL: dsn, MaxConns: 4})
	b := open(t, postgres.Config{URL: dsn, MaxConns: 4})
	id := createNamespace(t, a)
	write(t, a, id, "doc-1")
	if got := read(t, b, id, "doc-1"); len(got) != 1 {
		t.Fatalf("node b reads %d messages, want 1", len(got))
	}
	// Deleted on a: node b, which has the namespace open, finds it gone.
	if n, err := a.Delete(ctx, id); err != nil || n != 1 {
		t.Fatalf("delete = %d, %v", n, err)
	}
	if _, err := b.ReadStream(ctx, id, ports.StreamQuery{Stream: "doc-1", Limit: 10}); !errors.Is(err, namespace.ErrNotFound) {
		t.Fatalf("read on b after delete on a: %v, want ErrNotFound", err)
	}
	// Re-created on b: both nodes see the new, empty namespace and can write.
	if err := b.Create(ctx, record(id)); err != nil {
		t.Fatalf("re-create: %v", err)
	}
	for name, s := range map[string]ports.Storage{"a": a, "b": b} {
		if got := read(t, s, id, "doc-1"); len(got) != 0 {
			t.Fatalf("node %s sees %d old messages in the re-created namespace", name, len(got))
		}
	}
	write(t, a, id, "doc-1")
	write(t, b, id, "doc-1")
	if got := read(t, a, id, "doc-1"); len(got) != 2 || got[1].Position != 1 || got[1].GlobalPosition != 2 {
		t.Fatalf("re-created namespace holds %+v", got)
	}
}

// A namespace whose deletion removed the registry record but not the schema
// (the drop failed) leaves a stale schema; registering the id again must not
// bring its messages back.
func TestStaleSchemaIsNotReused(t *testing.T) {
	t.Parallel()
	dsn := freshDatabase(t)
	a := open(t, postgres.Config{URL: dsn, MaxConns: 4})
	id := createNamespace(t, a)
	write(t, a, id, "doc-1")
	exec(t, dsn, "DELETE FROM eventodb.namespaces WHERE id = $1", id)

	b := open(t, postgres.Config{URL: dsn, MaxConns: 4})
	if err := b.Create(context.Background(), record(id)); err != nil {
		t.Fatalf("re-create: %v", err)
	}
	if got := read(t, b, id, "doc-1"); len(got) != 0 {
		t.Fatalf("the re-created namespace shows %d messages of the deleted one", len(got))
	}
}

func TestRejectsUnsafeNamespaceIDs(t *testing.T) {
	t.Parallel()
	s := open(t, postgres.Config{URL: freshDatabase(t), MaxConns: 2})
	for _, id := range []string{`x"; DROP SCHEMA eventodb CASCADE; --`, "", "a b"} {
		if err := s.Create(context.Background(), record(id)); err == nil {
			t.Errorf("create %q succeeded", id)
		}
	}
	if list, err := s.List(context.Background()); err != nil || len(list) != 0 {
		t.Fatalf("registry holds %v, %v after refused creates", list, err)
	}
}

func TestOpenFailsFastWhenUnreachable(t *testing.T) {
	t.Parallel()
	adminURL(t)
	_, err := postgres.Open(postgres.Config{URL: "postgres://nobody@127.0.0.1:1/none?sslmode=disable"}, nil)
	if err == nil || !postgres.IsUnavailable(err) {
		t.Fatalf("open of an unreachable server: %v, want an unavailability error", err)
	}
}

func record(id string) namespace.Record {
	return namespace.Record{ID: id, TokenHash: randomHex(16), CreatedAt: time.Now().UTC()}
}

func createNamespace(t *testing.T, s ports.Storage) string {
	t.Helper()
	id := "t" + randomHex(6)
	if err := s.Create(context.Background(), record(id)); err != nil {
		t.Fatalf("create namespace: %v", err)
	}
	return id
}

func write(t *testing.T, s ports.MessageStore, ns, streamName string) stream.Appended {
	t.Helper()
	res, err := s.Append(context.Background(), ns, stream.Append{
		Stream:   streamName,
		Messages: []stream.Proposed{{ID: uuid.NewString(), Type: "Written", Data: []byte(`{}`)}},
	})
	if err != nil {
		t.Fatalf("append to %s/%s: %v", ns, streamName, err)
	}
	return res
}

func read(t *testing.T, s ports.MessageStore, ns, streamName string) []stream.Message {
	t.Helper()
	msgs, err := s.ReadStream(context.Background(), ns, ports.StreamQuery{Stream: streamName, Limit: 1000})
	if err != nil {
		t.Fatalf("read %s/%s: %v", ns, streamName, err)
	}
	return msgs
}
