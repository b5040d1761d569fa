package rpc_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// faultyStore is the memory store with the failures the RPC tests need
// injected in front of it: a database that is down, one that fails with an
// internal error, reads that start failing halfway through a streamed
// response, and the connection figures a SQL backend reports. The faults live
// here, not in the production adapter.
type faultyStore struct {
	store ports.Storage

	mu        sync.Mutex
	down      bool          // every call fails with ports.ErrUnavailable
	broken    error         // every call fails with this error
	readsLeft int           // > 0: reads fail once this many more were tried
	figures   *ports.Health // Health reports these instead of the store's
}

var _ ports.Storage = (*faultyStore)(nil)

func newFaultyStore(clock ports.Clock) *faultyStore {
	return &faultyStore{store: memory.New(memory.Options{Clock: clock})}
}

func (s *faultyStore) setDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

func (s *faultyStore) setBroken(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.broken = err
}

// failReadsAfter makes the nth read from now on, and every one after it, fail.
func (s *faultyStore) failReadsAfter(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.readsLeft = n
}

func (s *faultyStore) reportFigures(h ports.Health) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.figures = &h
}

// fault is the error every call fails with now, or nil.
func (s *faultyStore) fault() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.down:
		return fmt.Errorf("dial: connection refused: %w", ports.ErrUnavailable)
	case s.broken != nil:
		return s.broken
	}
	return nil
}

// readFault is fault for a read, which also counts down to failing reads.
func (s *faultyStore) readFault() error {
	if err := s.fault(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.readsLeft {
	case 0:
		return nil
	case 1:
		return errors.New("disk on fire")
	}
	s.readsLeft--
	return nil
}

func (s *faultyStore) Append(ctx context.Context, ns string, a stream.Append) (stream.Appended, error) {
	if err := s.fault(); err != nil {
		return stream.Appended{}, err
	}
	return s.store.Append(ctx, ns, a)
}

func (s *faultyStore) ReadStream(ctx context.Context, ns string, q ports.StreamQuery) ([]stream.Message, error) {
	if err := s.readFault(); err != nil {
		return nil, err
	}
	return s.store.ReadStream(ctx, ns, q)
}

func (s *faultyStore) ReadCategory(ctx context.Context, ns string, q ports.CategoryQuery) ([]stream.Message, error) {
	if err := s.readFault(); err != nil {
		return nil, err
	}
	return s.store.ReadCategory(ctx, ns, q)
}

func (s *faultyStore) Last(ctx context.Context, ns, streamName, msgType string) (*stream.Message, error) {
	if err := s.fault(); err != nil {
		return nil, err
	}
	return s.store.Last(ctx, ns, streamName, msgType)
}

func (s *faultyStore) Version(ctx context.Context, ns, streamName string) (int64, error) {
	if err := s.fault(); err != nil {
		return 0, err
	}
	return s.store.Version(ctx, ns, streamName)
}

func (s *faultyStore) ListStreams(ctx context.Context, ns string, q ports.StreamListQuery) ([]ports.StreamInfo, error) {
	if err := s.fault(); err != nil {
		return nil, err
	}
	return s.store.ListStreams(ctx, ns, q)
}

func (s *faultyStore) Categories(ctx context.Context, ns string) ([]ports.CategoryInfo, error) {
	if err := s.fault(); err != nil {
		return nil, err
	}
	return s.store.Categories(ctx, ns)
}

func (s *faultyStore) Stats(ctx context.Context, ns string) (ports.NamespaceStats, error) {
	if err := s.fault(); err != nil {
		return ports.NamespaceStats{}, err
	}
	return s.store.Stats(ctx, ns)
}

func (s *faultyStore) Create(ctx context.Context, rec namespace.Record) error {
	if err := s.fault(); err != nil {
		return err
	}
	return s.store.Create(ctx, rec)
}

func (s *faultyStore) Delete(ctx context.Context, id string) (int64, error) {
	if err := s.fault(); err != nil {
		return 0, err
	}
	return s.store.Delete(ctx, id)
}

func (s *faultyStore) Get(ctx context.Context, id string) (namespace.Record, error) {
	if err := s.fault(); err != nil {
		return namespace.Record{}, err
	}
	return s.store.Get(ctx, id)
}

func (s *faultyStore) List(ctx context.Context) ([]namespace.Record, error) {
	if err := s.fault(); err != nil {
		return nil, err
	}
	return s.store.List(ctx)
}

func (s *faultyStore) Health(ctx context.Context) (ports.Health, error) {
	if err := s.fault(); err != nil {
		return ports.Health{}, err
	}
	s.mu.Lock()
	figures := s.figures
	s.mu.Unlock()
	if figures != nil {
		return *figures, nil
	}
	return s.store.Health(ctx)
}
