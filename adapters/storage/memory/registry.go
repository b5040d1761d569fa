package memory

import (
	"context"
	"slices"
	"strings"

	"github.com/eventodb/eventodb/domain/namespace"
)

// Create adds namespace rec.ID, empty. Its record is kept as the SQL stores
// give it back: CreatedAt in UTC, whole microseconds.
func (s *Store) Create(ctx context.Context, rec namespace.Record) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	rec.CreatedAt = microUTC(rec.CreatedAt)
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.closed:
		return closedError()
	case s.spaces[rec.ID] != nil:
		return namespace.ExistsError(rec.ID)
	}
	s.spaces[rec.ID] = newSpace(rec)
	return nil
}

// Delete removes namespace id and returns how many messages it held. It
// unlists the namespace first, so no new call finds it, then marks it deleted
// under its own lock, so a call that found it before either completed before
// (and its messages are counted) or fails with namespace.ErrNotFound.
func (s *Store) Delete(ctx context.Context, id string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.mu.Lock()
	sp, closed := s.spaces[id], s.closed
	if sp != nil && !closed {
		delete(s.spaces, id)
	}
	s.mu.Unlock()
	switch {
	case closed:
		return 0, closedError()
	case sp == nil:
		return 0, namespace.NotFoundError(id)
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	sp.deleted = true
	n := int64(len(sp.log))
	// Let the messages go even if a caller still holds the space.
	sp.log, sp.ids, sp.streams, sp.categories, sp.names, sp.unsorted = nil, nil, nil, nil, nil, nil
	return n, nil
}

// Get returns the record of namespace id.
func (s *Store) Get(ctx context.Context, id string) (namespace.Record, error) {
	sp, err := s.lookup(ctx, id)
	if err != nil {
		return namespace.Record{}, err
	}
	return sp.rec, nil
}

// List returns every namespace record sorted by id.
func (s *Store) List(ctx context.Context) ([]namespace.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, closedError()
	}
	var out []namespace.Record
	for _, sp := range s.spaces {
		out = append(out, sp.rec)
	}
	slices.SortFunc(out, func(a, b namespace.Record) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}
