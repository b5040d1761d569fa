package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func open(t *testing.T, cfg sqlite.Config) ports.Storage {
	t.Helper()
	s, err := sqlite.Open(cfg, zaptest.NewLogger(t))
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

func TestContractInMemory(t *testing.T) {
	t.Parallel()
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) ports.Storage { return open(t, sqlite.Config{InMemory: true}) },
	})
}

// Namespaces closing after 1 ms idle reopen all the time during the contract:
// no call may find its namespace closed under it.
func TestContractFilesClosingIdle(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) ports.Storage {
			return open(t, sqlite.Config{DataDir: dir, IdleTimeout: time.Millisecond})
		},
	})
}

// No OpenPeer: SQLite files have one owner (TestDataHasOneOwner).
func TestContractFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) ports.Storage { return open(t, sqlite.Config{DataDir: dir}) },
	})
}

// A second store on the same files, in this process or another, is refused
// with ErrInUse: each namespace's writer trusts its memory of positions and
// versions. The files are free again once the owner closes them.
func TestDataHasOneOwner(t *testing.T) {
	if dir := os.Getenv("EVENTODB_TEST_OWNER_DIR"); dir != "" {
		// The other process: report what opening the same files does.
		_, err := sqlite.Open(sqlite.Config{DataDir: dir, BusyTimeout: 50 * time.Millisecond}, zap.NewNop())
		fmt.Printf("in use: %v; %v\n", errors.Is(err, sqlite.ErrInUse), err)
		return
	}
	dir := t.TempDir()
	first, err := sqlite.Open(sqlite.Config{DataDir: dir}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sqlite.Open(sqlite.Config{DataDir: dir}, zap.NewNop()); !errors.Is(err, sqlite.ErrInUse) {
		t.Fatalf("second store in this process: %v, want ErrInUse", err)
	}
	child := exec.Command(os.Args[0], "-test.run=^TestDataHasOneOwner$")
	child.Env = append(os.Environ(), "EVENTODB_TEST_OWNER_DIR="+dir)
	out, err := child.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "in use: true; the SQLite data is in use: ") || !strings.Contains(string(out), "locked by another process") {
		t.Fatalf("store in another process: %v\n%s", err, out)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	second := open(t, sqlite.Config{DataDir: dir})
	if err := second.Create(context.Background(), namespace.Record{ID: "after", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatalf("the files once their owner closed them: %v", err)
	}
}

// A namespace unused for IdleTimeout gives its files back, and opens again,
// with its data, on the next request.
func TestIdleNamespacesCloseAndReopen(t *testing.T) {
	t.Parallel()
	s := open(t, sqlite.Config{DataDir: t.TempDir(), IdleTimeout: 50 * time.Millisecond})
	ctx := context.Background()
	if err := s.Create(ctx, namespace.Record{ID: "quiet", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	write := func() {
		m := stream.Proposed{ID: uuid.NewString(), Type: "T", Data: []byte(`{}`)}
		if _, err := s.Append(ctx, "quiet", stream.Append{Stream: "q-1", Messages: []stream.Proposed{m}}); err != nil {
			t.Fatal(err)
		}
	}
	write()
	connections := func() int {
		h, err := s.Health(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return h.Connections
	}
	if n := connections(); n < 2 {
		t.Fatalf("%d connections with a namespace open, want the registry's and the namespace's", n)
	}
	deadline := time.Now().Add(10 * time.Second)
	for connections() > 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the idle namespace still holds connections: %d open", connections())
		}
		time.Sleep(20 * time.Millisecond)
	}
	write()
	msgs, err := s.ReadStream(ctx, "quiet", ports.StreamQuery{Stream: "q-1", Limit: 10})
	if err != nil || len(msgs) != 2 || msgs[1].Position != 1 {
		t.Fatalf("after reopening: %d messages, %v; want positions 0 and 1", len(msgs), err)
	}
}

// A closed store refuses to create namespaces: a writer started after Close
// would never be stopped, and Close would wait for it forever.
func TestCreateAfterClose(t *testing.T) {
	t.Parallel()
	s, err := sqlite.Open(sqlite.Config{DataDir: t.TempDir()}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	err = s.Create(context.Background(), namespace.Record{ID: "late", TokenHash: "x", CreatedAt: time.Now()})
	if !errors.Is(err, ports.ErrUnavailable) {
		t.Fatalf("Create after Close = %v, want ErrUnavailable", err)
	}
}
