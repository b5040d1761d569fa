package memory_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// The whole storage contract. OpenPeer stays nil: a memory store is one
// process's memory, which no second node can share, so the two-node test of
// the contract does not apply.
func TestContract(t *testing.T) {
	t.Parallel()
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) ports.Storage {
			s := memory.New(memory.Options{})
			t.Cleanup(func() { _ = s.Close() })
			return s
		},
	})
}

type fixedClock struct{ t time.Time }

func (c fixedClock) Now() time.Time { return c.t }

// newStore returns a store with namespace "ns" on a clock stopped at now.
func newStore(t *testing.T, now time.Time) *memory.Store {
	t.Helper()
	s := memory.New(memory.Options{Clock: fixedClock{now}})
	t.Cleanup(func() { _ = s.Close() })
	if err := s.Create(context.Background(), namespace.Record{ID: "ns", TokenHash: "x", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return s
}

func write(t *testing.T, s *memory.Store, streamName string, data string) stream.Appended {
	t.Helper()
	m := stream.Proposed{ID: uuid.NewString(), Type: "T", Data: []byte(data)}
	res, err := s.Append(context.Background(), "ns", stream.Append{Stream: streamName, Messages: []stream.Proposed{m}})
	if err != nil {
		t.Fatalf("append to %s: %v", streamName, err)
	}
	return res
}

// Message times and creation times come back as the SQL stores give them:
// from the store's clock, in UTC, cut to microseconds.
func TestTimesFromTheClock(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 1, 15, 10, 30, 0, 123456789, time.FixedZone("CET", 3600))
	want := time.Date(2026, 1, 15, 9, 30, 0, 123456000, time.UTC)
	s := newStore(t, now)
	write(t, s, "clock-1", `{}`)
	msgs, err := s.ReadStream(context.Background(), "ns", ports.StreamQuery{Stream: "clock-1", Limit: 1})
	if err != nil || len(msgs) != 1 || msgs[0].Time != want {
		t.Fatalf("messages = %+v, %v; want time %v", msgs, err, want)
	}
	rec, err := s.Get(context.Background(), "ns")
	if err != nil || rec.CreatedAt != want {
		t.Fatalf("record = %+v, %v; want createdAt %v", rec, err, want)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	s := newStore(t, time.Now())
	h, err := s.Health(context.Background())
	if err != nil || h != (ports.Health{Backend: "memory"}) {
		t.Fatalf("health = %+v, %v", h, err)
	}
}

// After Close every call fails as on a database that went away, and the
// messages are gone.
func TestClosed(t *testing.T) {
	t.Parallel()
	s := newStore(t, time.Now())
	write(t, s, "gone-1", `{}`)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	calls := map[string]func() error{
		"health": func() error { _, err := s.Health(ctx); return err },
		"append": func() error {
			_, err := s.Append(ctx, "ns", stream.Append{Stream: "gone-1", Messages: []stream.Proposed{{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`)}}})
			return err
		},
		"read": func() error {
			_, err := s.ReadStream(ctx, "ns", ports.StreamQuery{Stream: "gone-1", Limit: 1})
			return err
		},
		"create": func() error { return s.Create(ctx, namespace.Record{ID: "late", CreatedAt: time.Now()}) },
		"delete": func() error { _, err := s.Delete(ctx, "ns"); return err },
		"list":   func() error { _, err := s.List(ctx); return err },
		"get":    func() error { _, err := s.Get(ctx, "ns"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ports.ErrUnavailable) {
			t.Errorf("%s after Close: %v, want ports.ErrUnavailable", name, err)
		}
	}
}

// A cancelled context fails the call before it touches the store.
func TestCancelledContext(t *testing.T) {
	t.Parallel()
	s := newStore(t, time.Now())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m := stream.Proposed{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`)}
	if _, err := s.Append(ctx, "ns", stream.Append{Stream: "c-1", Messages: []stream.Proposed{m}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("append with a cancelled context: %v", err)
	}
	if v, err := s.Version(context.Background(), "ns", "c-1"); err != nil || v != stream.NoStream {
		t.Fatalf("version = %d, %v; the cancelled append must not be stored", v, err)
	}
}
