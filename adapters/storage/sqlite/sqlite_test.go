package sqlite_test

import (
	"testing"

	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
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

func TestContractFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) ports.Storage { return open(t, sqlite.Config{DataDir: dir}) },
		// A second store on the same files stands in for a second process.
		OpenPeer: func(t *testing.T, _ ports.Storage) ports.Storage { return open(t, sqlite.Config{DataDir: dir}) },
	})
}
