// Package storetest is the contract every storage adapter must pass. An adapter's
// tests call Run with a Harness that opens its store; each test works in a
// namespace of its own, so tests run in parallel on one store.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// Harness opens stores of the adapter under test.
type Harness struct {
	// Open returns a store; the harness closes it with t.Cleanup.
	Open func(t *testing.T) ports.Storage
	// OpenPeer returns a second store on the same database as first, as another
	// server node would have. Nil when the backend cannot share a database.
	OpenPeer func(t *testing.T, first ports.Storage) ports.Storage
}

// Run runs the whole contract.
func Run(t *testing.T, h Harness) {
	store := h.Open(t)
	env := &env{store: store, harness: h}
	t.Run("append and read", func(t *testing.T) { t.Parallel(); testAppendRead(t, env) })
	t.Run("read options", func(t *testing.T) { t.Parallel(); testReadOptions(t, env) })
	t.Run("byte-bounded and positions-only reads", func(t *testing.T) { t.Parallel(); testReadShape(t, env) })
	t.Run("expected version", func(t *testing.T) { t.Parallel(); testExpectedVersion(t, env) })
	t.Run("idempotent ids", func(t *testing.T) { t.Parallel(); testIdempotentIDs(t, env) })
	t.Run("multi-message append is atomic", func(t *testing.T) { t.Parallel(); testAtomicBatch(t, env) })
	t.Run("concurrent writers keep positions gap-free", func(t *testing.T) { t.Parallel(); testConcurrentPositions(t, env) })
	t.Run("one winner per expected version", func(t *testing.T) { t.Parallel(); testOneWinner(t, env) })
	t.Run("consumer groups partition a category", func(t *testing.T) { t.Parallel(); testConsumerGroups(t, env) })
	t.Run("correlation filter", func(t *testing.T) { t.Parallel(); testCorrelation(t, env) })
	t.Run("read all in global order", func(t *testing.T) { t.Parallel(); testReadAll(t, env) })
	t.Run("tailing reader never skips", func(t *testing.T) { t.Parallel(); testTailNeverSkips(t, env, nil) })
	t.Run("namespaces", func(t *testing.T) { t.Parallel(); testNamespaces(t, env) })
	t.Run("writes racing namespace creation", func(t *testing.T) { t.Parallel(); testWritesRacingCreate(t, env) })
	t.Run("deletes racing a re-create", func(t *testing.T) { t.Parallel(); testDeleteRaces(t, env) })
	t.Run("longest namespace id", func(t *testing.T) { t.Parallel(); testLongNamespaceID(t, env) })
	t.Run("namespaces are isolated", func(t *testing.T) { t.Parallel(); testIsolation(t, env) })
	t.Run("catalog", func(t *testing.T) { t.Parallel(); testCatalog(t, env) })
	t.Run("import and export", func(t *testing.T) { t.Parallel(); testImports(t, env) })
	t.Run("clear before a restore", func(t *testing.T) { t.Parallel(); testClear(t, env) })
	t.Run("durable consumer groups", func(t *testing.T) { t.Parallel(); testGroups(t, env) })
	if h.OpenPeer != nil {
		t.Run("two nodes: tailing reader never skips", func(t *testing.T) {
			t.Parallel()
			testTailNeverSkips(t, env, h.OpenPeer(t, store))
		})
		t.Run("two nodes take turns on a stream", func(t *testing.T) {
			t.Parallel()
			testPeersTakeTurns(t, env, h.OpenPeer(t, store))
		})
		t.Run("two nodes: durable consumer groups", func(t *testing.T) {
			t.Parallel()
			testGroupsTwoNodes(t, env, h.OpenPeer(t, store))
		})
	}
}

type env struct {
	store   ports.Storage
	harness Harness
}

// namespace creates a fresh namespace for one test and returns its id.
func (e *env) namespace(t *testing.T) string {
	t.Helper()
	id := "t" + randomHex(8)
	rec := namespace.Record{ID: id, TokenHash: randomHex(32), CreatedAt: time.Now().UTC()}
	if err := e.store.Create(context.Background(), rec); err != nil {
		t.Fatalf("create namespace: %v", err)
	}
	return id
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
