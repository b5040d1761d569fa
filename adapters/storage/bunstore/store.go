package bunstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
	"golang.org/x/sync/singleflight"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// Interface guards.
var (
	_ ports.Storage = (*Store)(nil)
	_ ports.Clock   = systemClock{}
)

// Options tune the store.
type Options struct {
	// MaxBatchMessages caps how many messages one group-commit transaction
	// writes (default 1000).
	MaxBatchMessages int
	// MaxBatchBytes caps the message bytes one group-commit transaction
	// writes (default 8 MiB), bounding the SQL text built for it.
	MaxBatchBytes int
	// Clock stamps message times (default: the system clock).
	Clock ports.Clock
	// IdleTimeout closes a namespace nobody used for this long, releasing its
	// writer goroutine and connections; the next request opens it again.
	// 0 keeps namespaces open (needed for in-memory databases).
	IdleTimeout time.Duration
}

// Store implements ports.Storage on a Backend.
type Store struct {
	backend   Backend
	networked bool                       // backend.Networked(), read once
	feed      atomic.Pointer[feedHolder] // told of every commit; nil: nobody
	log       *zap.Logger
	opts      Options

	mu      sync.RWMutex
	open    map[string]*handle // open namespaces by id
	opening singleflight.Group // namespaces being opened, by id
	ids     sync.Map           // namespace id -> *sync.Mutex, see lockID
	closed  bool
	closing atomic.Bool // set first in Close, read by writers without the lock
	writers sync.WaitGroup
	janitor chan struct{} // closed by Close to stop closing idle namespaces
	idle    sync.WaitGroup
}

// lockID serializes what changes one namespace's storage: Create, Delete and
// opening. It is held across their database work, which the store-wide lock
// never is, so a slow create or drop stalls only its own namespace.
func (s *Store) lockID(id string) func() {
	m, _ := s.ids.LoadOrStore(id, &sync.Mutex{})
	mu := m.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// handle is an open namespace with its writer goroutine. Every store method
// holds a reference while it uses the handle (see namespace and release).
type handle struct {
	ns       *Namespace
	writer   *writer
	refs     atomic.Int64 // store calls using the handle now
	lastUsed atomic.Int64 // unix nanoseconds of the last release
}

// New returns a store on backend. Close closes the backend too.
func New(backend Backend, log *zap.Logger, opts Options) (*Store, error) {
	if backend == nil {
		return nil, errors.New("bunstore: nil backend")
	}
	if log == nil {
		log = zap.NewNop()
	}
	if opts.MaxBatchMessages <= 0 {
		opts.MaxBatchMessages = 1000
	}
	if opts.MaxBatchBytes <= 0 {
		opts.MaxBatchBytes = 8 << 20
	}
	if opts.Clock == nil {
		opts.Clock = systemClock{}
	}
	s := &Store{backend: backend, networked: backend.Networked(), log: log, opts: opts, open: map[string]*handle{}, janitor: make(chan struct{})}
	if opts.IdleTimeout > 0 {
		s.idle.Add(1)
		go func() {
			defer s.idle.Done()
			s.closeIdle(opts.IdleTimeout)
		}()
	}
	return s, nil
}

// Backend is the database adapter behind the store.
func (s *Store) Backend() Backend { return s.backend }

// namespace returns the open namespace id, opening it on first use. It returns
// an error wrapping namespace.ErrNotFound when the namespace does not exist.
// Opening (files, migrations, connections) happens outside the store's lock,
// once per id however many requests wait for it, so one slow open does not
// stall the other namespaces.
func (s *Store) namespace(ctx context.Context, id string) (*handle, error) {
	for {
		s.mu.RLock()
		h, closed := s.open[id], s.closed
		if h != nil {
			// Taken under the read lock, so closeIdle (under the write lock)
			// sees it and leaves the handle open.
			h.refs.Add(1)
		}
		s.mu.RUnlock()
		switch {
		case closed:
			return nil, fmt.Errorf("%w: the server is shutting down", ports.ErrUnavailable)
		case h != nil:
			return h, nil
		}
		opened := s.opening.DoChan(id, func() (any, error) { return s.openNamespace(id) })
		select {
		case res := <-opened:
			if res.Err != nil {
				return nil, res.Err
			}
			// Opened and adopted: loop to take a reference the usual way.
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// release ends a store call's use of h.
func (h *handle) release() {
	h.lastUsed.Store(time.Now().UnixNano())
	h.refs.Add(-1)
}

// openTimeout bounds opening a namespace, which requests share and so must
// not depend on the first one's context.
const openTimeout = 30 * time.Second

func (s *Store) openNamespace(id string) (*handle, error) {
	ctx, cancel := context.WithTimeout(context.Background(), openTimeout)
	defer cancel()
	defer s.lockID(id)()
	s.mu.RLock()
	h := s.open[id]
	s.mu.RUnlock()
	if h != nil { // Create adopted it while we waited for the id
		return h, nil
	}
	if _, err := s.getRecord(ctx, id); err != nil {
		return nil, err
	}
	ns, err := s.backend.OpenNamespace(ctx, id)
	if err != nil {
		return nil, s.wrap(fmt.Errorf("open namespace %s: %w", id, err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	h, err = s.adopt(ns)
	if err != nil && ns.Close != nil {
		_ = ns.Close()
	}
	return h, err
}

// adopt makes a freshly opened namespace the open one with its writer; s.mu
// must be held. After Close it refuses, so no writer outlives the store.
func (s *Store) adopt(ns *Namespace) (*handle, error) {
	if s.closed {
		return nil, fmt.Errorf("%w: the server is shutting down", ports.ErrUnavailable)
	}
	h := &handle{ns: ns, writer: newWriter(s, ns)}
	h.lastUsed.Store(time.Now().UnixNano())
	s.open[ns.ID] = h
	s.writers.Add(1) // done when the writer has stopped and committed what it took
	return h, nil
}

// forget removes an open namespace and stops its writer; s.mu must be held.
// Closing its storage is left to the caller, once nothing uses it.
func (s *Store) forget(id string) *handle {
	h, ok := s.open[id]
	if !ok {
		return nil
	}
	delete(s.open, id)
	h.writer.stop()
	return h
}

// Close stops the writers (finishing appends already accepted), closes every
// namespace and the backend.
func (s *Store) Close() error {
	s.closing.Store(true)
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.janitor)
	handles := make([]*handle, 0, len(s.open))
	for id := range s.open {
		handles = append(handles, s.forget(id))
	}
	s.mu.Unlock()
	s.idle.Wait()
	s.writers.Wait()
	var errs []error
	for _, h := range handles {
		if h.ns.Close != nil {
			errs = append(errs, h.ns.Close())
		}
	}
	errs = append(errs, s.backend.Close())
	return errors.Join(errs...)
}

// Health reports the backend's connection figures.
func (s *Store) Health(ctx context.Context) (ports.Health, error) {
	h, err := s.backend.Health(ctx)
	if err != nil {
		return h, s.wrap(err)
	}
	return h, nil
}

// wrap marks errors that mean the database is unreachable with ports.ErrUnavailable.
func (s *Store) wrap(err error) error {
	if err == nil || errors.Is(err, ports.ErrUnavailable) {
		return err
	}
	if s.backend.IsUnavailable(err) {
		return fmt.Errorf("%w: %w", ports.ErrUnavailable, err)
	}
	return err
}

// fail turns a query error on ns into the error to return. During shutdown it
// is ErrUnavailable. When ns is no longer the namespace's current storage
// (deleted, here or by another node) it is NotFound, and storage found
// missing is forgotten so the next call opens the namespace anew.
func (s *Store) fail(ns *Namespace, err error) error {
	if err == nil {
		return nil
	}
	if s.closing.Load() {
		return fmt.Errorf("%w: the server is shutting down: %w", ports.ErrUnavailable, err)
	}
	s.mu.Lock()
	cur := s.open[ns.ID]
	current := cur != nil && cur.ns == ns
	if current && s.backend.IsMissingNamespace(err) {
		s.forget(ns.ID)
		current = false
	}
	s.mu.Unlock()
	if !current {
		return namespace.NotFoundError(ns.ID)
	}
	return s.wrap(err)
}

// feedHolder boxes a CommitFeed for the atomic pointer.
type feedHolder struct{ ports.CommitFeed }

var _ ports.CommitPublisher = (*Store)(nil)

// PublishCommits makes the store tell feed of every commit, and of imports
// and clears as writes the feed cannot follow.
func (s *Store) PublishCommits(feed ports.CommitFeed) {
	s.feed.Store(&feedHolder{feed})
}

// commitFeed is the feed to tell, or nil.
func (s *Store) commitFeed() ports.CommitFeed {
	if h := s.feed.Load(); h != nil {
		return h.CommitFeed
	}
	return nil
}

// sqlCtx is the context statements run with: ctx itself for a networked
// database, and ctx without its cancellation for embedded SQLite (see
// Backend.Networked); callers still check ctx between statements.
func (s *Store) sqlCtx(ctx context.Context) context.Context {
	if s.networked {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
