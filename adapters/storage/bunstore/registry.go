package bunstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/ports"
)

// The namespaces table lives in the backend's registry database:
//
//	namespaces(id TEXT PRIMARY KEY, description TEXT, token_hash TEXT, created_at BIGINT /* unix µs */)

// Create records the namespace and creates its storage. The record is inserted
// first so two concurrent creates of one id cannot both build storage. The
// id's lock is held throughout: a request that finds the new record waits
// for the storage instead of opening it before it exists.
func (s *Store) Create(ctx context.Context, rec namespace.Record) error {
	defer s.lockID(rec.ID)()
	if s.closing.Load() {
		return fmt.Errorf("%w: the server is shutting down", ports.ErrUnavailable)
	}
	// RETURNING yields a row only when the insert happened, so a taken id is
	// detected atomically, also against another node.
	rows, err := s.backend.Registry().QueryContext(ctx,
		"INSERT INTO namespaces (id, description, token_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id",
		rec.ID, rec.Description, rec.TokenHash, rec.CreatedAt.UnixMicro())
	if err != nil {
		return s.wrap(err)
	}
	inserted := rows.Next()
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return s.wrap(err)
	}
	if !inserted {
		return namespace.ExistsError(rec.ID)
	}
	undo := func() {
		_, _ = s.backend.Registry().NewRaw("DELETE FROM namespaces WHERE id = ?", rec.ID).Exec(context.WithoutCancel(ctx))
	}
	ns, err := s.backend.CreateNamespace(ctx, rec.ID)
	if err != nil {
		undo()
		return s.wrap(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old := s.forget(rec.ID); old != nil && old.ns.Close != nil {
		_ = old.ns.Close()
	}
	if _, err := s.adopt(ns); err != nil {
		if ns.Close != nil {
			_ = ns.Close()
		}
		undo()
		return err
	}
	return nil
}

// Delete drops namespace id with its messages and returns how many there were.
// The id's lock is held from removing the record to dropping the storage, so
// neither a create of the same id nor an open can slip in between.
func (s *Store) Delete(ctx context.Context, id string) (int64, error) {
	h, err := s.namespace(ctx, id)
	if err != nil {
		return 0, err
	}
	defer h.release()
	stats, err := s.Stats(ctx, id)
	if err != nil {
		return 0, err
	}
	defer s.lockID(id)()
	s.mu.RLock()
	current := s.open[id] == h
	s.mu.RUnlock()
	if !current { // deleted (and maybe created again) since we looked it up
		return 0, namespace.NotFoundError(id)
	}
	res, err := s.backend.Registry().NewRaw("DELETE FROM namespaces WHERE id = ?", id).Exec(ctx)
	if err != nil {
		return 0, s.wrap(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, namespace.NotFoundError(id) // deleted by another node
	}
	s.mu.Lock()
	s.forget(id)
	s.mu.Unlock()
	if err := s.backend.DropNamespace(ctx, h.ns); err != nil {
		return 0, s.wrap(err)
	}
	return stats.MessageCount, nil
}

// Get returns the record of namespace id.
func (s *Store) Get(ctx context.Context, id string) (namespace.Record, error) {
	return s.getRecord(ctx, id)
}

func (s *Store) getRecord(ctx context.Context, id string) (namespace.Record, error) {
	rows, err := s.backend.Registry().QueryContext(ctx,
		"SELECT id, description, token_hash, created_at FROM namespaces WHERE id = ?", id)
	if err != nil {
		return namespace.Record{}, s.wrap(err)
	}
	recs, err := scanRecords(rows)
	if err != nil {
		return namespace.Record{}, s.wrap(err)
	}
	if len(recs) == 0 {
		return namespace.Record{}, namespace.NotFoundError(id)
	}
	return recs[0], nil
}

// List returns every namespace record sorted by id.
func (s *Store) List(ctx context.Context) ([]namespace.Record, error) {
	rows, err := s.backend.Registry().QueryContext(ctx,
		"SELECT id, description, token_hash, created_at FROM namespaces ORDER BY id")
	if err != nil {
		return nil, s.wrap(err)
	}
	recs, err := scanRecords(rows)
	return recs, s.wrap(err)
}

func scanRecords(rows *sql.Rows) ([]namespace.Record, error) {
	defer rows.Close()
	var out []namespace.Record
	for rows.Next() {
		var r namespace.Record
		var created int64
		if err := rows.Scan(&r.ID, &r.Description, &r.TokenHash, &created); err != nil {
			return nil, err
		}
		r.CreatedAt = time.UnixMicro(created).UTC()
		out = append(out, r)
	}
	return out, errors.Join(rows.Err(), rows.Close())
}
