package bunstore

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/eventodb/eventodb/ports"
)

var _ ports.Clearer = (*Store)(nil)

// Clear deletes every message and stream of ns. Like Import it runs on the
// writer connection under the append lock, so no append of this or another
// node commits halfway through it.
func (s *Store) Clear(ctx context.Context, ns string) (int64, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return 0, err
	}
	defer h.release()
	w := h.writer
	w.tx.Lock()
	defer w.tx.Unlock()
	w.settle()
	defer w.state.forget()
	if feed := s.commitFeed(); feed != nil {
		defer feed.Unsure(ns)
	}
	var deleted int64
	err = h.ns.Writer.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.backend.LockForAppend(ctx, tx.Tx, ns); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM "+h.ns.Messages)
		if err != nil {
			return err
		}
		if deleted, err = res.RowsAffected(); err != nil {
			return err
		}
		if _, err = tx.ExecContext(ctx, "DELETE FROM "+h.ns.Streams); err != nil {
			return err
		}
		return clearGroups(ctx, tx, h.ns) // global positions start again: so do groups
	})
	return deleted, s.fail(h.ns, err)
}
