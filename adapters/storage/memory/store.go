package memory

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// Interface guards: the ports the SQL stores implement, optional ones included.
var (
	_ ports.Storage   = (*Store)(nil)
	_ ports.AllReader = (*Store)(nil)
	_ ports.Importer  = (*Store)(nil)
	_ ports.Exporter  = (*Store)(nil)
	_ ports.Clearer   = (*Store)(nil)
)

// Backend is the name Health reports.
const Backend = "memory"

// Options tune the store.
type Options struct {
	// Clock stamps the time of appended messages (default: the system clock).
	Clock ports.Clock
}

// Store implements the storage ports in memory. It is safe for concurrent use.
// The zero value is not usable: call New.
type Store struct {
	clock ports.Clock

	// mu guards spaces and closed. It is never held while waiting for a
	// namespace's lock, so a busy namespace does not stall the others.
	mu     sync.RWMutex
	spaces map[string]*space // namespaces by id
	closed bool
}

// New returns an empty store.
func New(opts Options) *Store {
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	return &Store{clock: opts.Clock, spaces: map[string]*space{}}
}

// Close drops every namespace. Calls after it fail with ports.ErrUnavailable,
// as a closed database's would; calls already running finish.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	s.spaces = nil
	return nil
}

// Health reports the backend; a memory store has no connections.
func (s *Store) Health(ctx context.Context) (ports.Health, error) {
	if err := ctx.Err(); err != nil {
		return ports.Health{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ports.Health{}, closedError()
	}
	return ports.Health{Backend: Backend}, nil
}

// lookup returns namespace id.
func (s *Store) lookup(ctx context.Context, id string) (*space, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	sp, closed := s.spaces[id], s.closed
	s.mu.RUnlock()
	switch {
	case closed:
		return nil, closedError()
	case sp == nil:
		return nil, namespace.NotFoundError(id)
	}
	return sp, nil
}

// read runs fn on namespace id under its read lock.
func (s *Store) read(ctx context.Context, id string, fn func(sp *space) error) error {
	sp, err := s.lookup(ctx, id)
	if err != nil {
		return err
	}
	sp.mu.RLock()
	defer sp.mu.RUnlock()
	if sp.deleted { // deleted after lookup found it
		return namespace.NotFoundError(id)
	}
	return fn(sp)
}

// write runs fn on namespace id under its write lock.
func (s *Store) write(ctx context.Context, id string, fn func(sp *space) error) error {
	sp, err := s.lookup(ctx, id)
	if err != nil {
		return err
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.deleted {
		return namespace.NotFoundError(id)
	}
	return fn(sp)
}

func closedError() error {
	return fmt.Errorf("%w: the memory store is closed", ports.ErrUnavailable)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
