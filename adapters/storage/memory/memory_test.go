package memory_test

import (
	"testing"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/storage/storetest"
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
