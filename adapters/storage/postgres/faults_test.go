package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// TestTerminatedConnectionsUnderLoad kills every connection of the store with
// pg_terminate_backend, three times, while appends run. Appends caught by a
// kill fail with an error wrapping ports.ErrUnavailable (their commit outcome
// may be unknown, so they must not be acknowledged); their retries with the
// same ids are acknowledged once; the store recovers without reopening.
func TestTerminatedConnectionsUnderLoad(t *testing.T) {
	t.Parallel()
	dsn := freshDatabase(t)
	s := open(t, postgres.Config{URL: dsn, MaxConns: 6})
	ns := createNamespace(t, s)
	l := startLoad(t, s, ns, 6)
	for round := range 3 {
		before, _ := l.counts()
		l.waitUntil("appends before a kill", func(a, _ int) bool { return a >= before+100 })
		if n := terminateBackends(t, dsn); n == 0 {
			t.Fatalf("round %d: no connection of the store to terminate", round)
		}
	}
	before, _ := l.counts()
	l.waitUntil("appends after the last kill", func(a, _ int) bool { return a >= before+100 })
	l.finish()
	appends, failures := l.counts()
	t.Logf("%d appends acknowledged, %d attempts failed with ErrUnavailable", appends, failures)
	l.verify(s)
	if _, err := s.Health(context.Background()); err != nil {
		t.Fatalf("health after the kills: %v", err)
	}
}

// TestOutage cuts the network to the database under load: while it is down,
// appends, reads and the health check fail fast with ports.ErrUnavailable;
// when it is back the store recovers by itself and nothing acknowledged is
// lost or duplicated.
func TestOutage(t *testing.T) {
	t.Parallel()
	p, dsn := startProxy(t, freshDatabase(t))
	s := open(t, postgres.Config{URL: dsn, MaxConns: 4, ConnectTimeout: 2 * time.Second})
	ns := createNamespace(t, s)
	l := startLoad(t, s, ns, 4)
	l.waitUntil("appends before the outage", func(a, _ int) bool { return a >= 100 })

	p.cut()
	_, before := l.counts()
	l.waitUntil("failed appends during the outage", func(_, f int) bool { return f >= before+20 })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := s.Health(ctx); !errors.Is(err, ports.ErrUnavailable) {
		t.Errorf("health during the outage: %v, want ports.ErrUnavailable", err)
	}
	if _, err := s.ReadStream(ctx, ns, ports.StreamQuery{Stream: "load-0", Limit: 1}); !errors.Is(err, ports.ErrUnavailable) {
		t.Errorf("read during the outage: %v, want ports.ErrUnavailable", err)
	}
	if _, err := s.Stats(ctx, ns); !errors.Is(err, ports.ErrUnavailable) {
		t.Errorf("stats during the outage: %v, want ports.ErrUnavailable", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("calls during the outage did not fail fast: %v", ctx.Err())
	}

	p.restore()
	appendsBefore, _ := l.counts()
	l.waitUntil("appends after the outage", func(a, _ int) bool { return a >= appendsBefore+100 })
	l.finish()
	appends, failures := l.counts()
	t.Logf("%d appends acknowledged, %d attempts failed with ErrUnavailable", appends, failures)
	l.verify(s)
	if _, err := s.Health(context.Background()); err != nil {
		t.Fatalf("health after the outage: %v", err)
	}
}

// TestAmbiguousCommit loses the reply to an append's commit: the append is
// committed but its caller cannot know. It must get an error wrapping
// ports.ErrUnavailable, not an acknowledgement, and its retry with the same
// ids must be acknowledged with the original positions, storing nothing twice.
// The first append of a namespace opened afresh takes the long path (its
// writer knows nothing yet: the commit is a COMMIT statement); later ones
// commit in one round trip.
func TestAmbiguousCommit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		warm bool // append once before, so the writer knows the namespace
	}{
		{"long path", false},
		{"one round trip", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			p, dsn := startProxy(t, freshDatabase(t))
			s := open(t, postgres.Config{URL: dsn, MaxConns: 2})
			ns := createNamespace(t, s)
			if tc.warm {
				write(t, s, ns, "doc-0")
			}
			a := stream.Append{Stream: "doc-1", Messages: []stream.Proposed{{ID: uuid.NewString(), Type: "Written", Data: []byte(`{"n":2}`)}}}

			// The long path ends in a COMMIT statement; the one-trip
			// append's pipeline carries the message id among its arguments.
			marker := commitQuery
			if tc.warm {
				marker = []byte(a.Messages[0].ID)
			}
			p.loseNextReply(marker)
			res, err := s.Append(ctx, ns, a)
			if !errors.Is(err, ports.ErrUnavailable) {
				t.Fatalf("append whose commit reply was lost = %+v, %v; want an error wrapping ports.ErrUnavailable", res, err)
			}
			t.Logf("append whose commit reply was lost: %v", err)
			stored := read(t, s, ns, "doc-1")
			if len(stored) != 1 || stored[0].ID != a.Messages[0].ID {
				t.Fatalf("stream holds %+v; the lost-reply commit should have committed", stored)
			}
			res, err = s.Append(ctx, ns, a)
			if err != nil || res.Position != 0 || res.GlobalPosition != stored[0].GlobalPosition {
				t.Fatalf("retry = %+v, %v; want the original position 0, global %d", res, err, stored[0].GlobalPosition)
			}
			if got := read(t, s, ns, "doc-1"); len(got) != 1 {
				t.Fatalf("after the retry the stream holds %d messages, want 1", len(got))
			}
		})
	}
}

// terminateBackends ends every other session on dsn's database and returns how many.
func terminateBackends(t *testing.T, dsn string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&n)
	if err != nil {
		t.Fatalf("terminate backends: %v", err)
	}
	return n
}
