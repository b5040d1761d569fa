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
	backend Backend
	log     *zap.Logger
	opts    Options

	mu      sync.RWMutex
	open    map[string]*handle // open namespaces by id
	opening singleflight.Group // namespaces being opened, by id
	closed  bool
	closing atomic.Bool // set first in Close, read by writers without the lock
	writers sync.WaitGroup
	janitor chan struct{} // closed by Close to stop closing idle namespaces
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
	s := &Store{backend: backend, log: log, opts: opts, open: map[string]*handle{}, janitor: make(chan struct{})}
	if opts.IdleTimeout > 0 {
		go s.closeIdle(opts.IdleTimeout)
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
	if _, err := s.getRecord(ctx, id); err != nil {
		return nil, err
	}
	ns, err := s.backend.OpenNamespace(ctx, id)
	if err != nil {
		return nil, s.wrap(fmt.Errorf("open namespace %s: %w", id, err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	discard := func() {
		if ns.Close != nil {
			_ = ns.Close()
		}
	}
	if h, ok := s.open[id]; ok { // Create adopted it meanwhile
		discard()
		return h, nil
	}
	if s.closed {
		discard()
		return nil, fmt.Errorf("%w: the server is shutting down", ports.ErrUnavailable)
	}
	// Create and Delete hold the lock while they change the record and the
	// storage: seen under the lock, the record says whether ns is current.
	if _, err := s.getRecord(ctx, id); err != nil {
		discard()
		return nil, err
	}
	return s.adopt(ns), nil
}

// adopt starts the writer of a freshly opened namespace; s.mu must be held.
func (s *Store) adopt(ns *Namespace) *handle {
	h := &handle{ns: ns, writer: newWriter(s, ns)}
	h.lastUsed.Store(time.Now().UnixNano())
	s.open[ns.ID] = h
	s.writers.Add(1)
	go func() {
		defer s.writers.Done()
		defer close(h.writer.done)
		h.writer.run()
	}()
	return h
}

// forget stops and closes an open namespace; s.mu must be held.
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

// fail turns a query error on namespace id into the error to return, evicting
// the namespace when its storage turned out to be gone (deleted by another node).
func (s *Store) fail(id string, err error) error {
	if err == nil {
		return nil
	}
	if s.backend.IsMissingNamespace(err) {
		s.mu.Lock()
		if h := s.forget(id); h != nil && h.ns.Close != nil {
			_ = h.ns.Close()
		}
		s.mu.Unlock()
		return namespace.NotFoundError(id)
	}
	return s.wrap(err)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
