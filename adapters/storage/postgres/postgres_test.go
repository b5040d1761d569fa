package postgres_test

import (
	"testing"

	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
	"github.com/eventodb/eventodb/ports"
)

func TestContract(t *testing.T) {
	t.Parallel()
	dsn := freshDatabase(t)
	cfg := postgres.Config{URL: dsn, MaxConns: 10}
	storetest.Run(t, storetest.Harness{
		Open: func(t *testing.T) ports.Storage { return open(t, cfg) },
		// A second store on the same database is a second server node.
		OpenPeer: func(t *testing.T, _ ports.Storage) ports.Storage { return open(t, cfg) },
	})
}
