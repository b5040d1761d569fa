package bunstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
)

// batchTimeout bounds one group-commit transaction. It is detached from the
// callers' contexts: a client that hangs up must not abort its neighbours' writes.
const batchTimeout = 30 * time.Second

// Append appends a to the namespace's stream and returns once it is durable.
func (s *Store) Append(ctx context.Context, ns string, a stream.Append) (stream.Appended, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return stream.Appended{}, err
	}
	defer h.release()
	return h.writer.submit(ctx, a)
}

// commit writes a batch in one transaction and answers every caller. If the
// transaction itself fails, each append is retried alone, so one bad append
// cannot fail its neighbours; when the database is unreachable every append
// fails at once instead. sent is called once the batch no longer needs the
// lead (a pipelined batch is on its way), perhaps not at all.
func (w *writer) commit(batch []*appendReq, sent func()) {
	live := batch[:0]
	for _, req := range batch {
		if err := req.ctx.Err(); err != nil {
			req.answer(appendResult{err: err})
			continue
		}
		live = append(live, req)
	}
	if len(live) == 0 {
		return
	}
	results, err := w.commitTx(live, sent)
	if err == nil {
		for i, req := range live {
			req.answer(appendResult{res: results[i].Appended, err: results[i].Err})
		}
		return
	}
	if len(live) == 1 || w.isStopped() || w.store.backend.IsUnavailable(err) || errors.Is(err, context.DeadlineExceeded) {
		if w.isStopped() {
			// The storage went away under this batch (namespace deleted, or
			// closed at shutdown): nothing of it was committed.
			err = w.stoppedError()
		} else {
			err = w.store.fail(w.ns, err)
		}
		for _, req := range live {
			req.answer(appendResult{err: err})
		}
		return
	}
	for _, req := range live {
		if !req.answered {
			w.commit([]*appendReq{req}, sent)
		}
	}
}

// commitTx plans and writes reqs in one transaction under the namespace's
// append lock, and returns each append's outcome. The error is for the
// transaction as a whole; then nothing was written (or, when COMMIT itself
// failed, perhaps everything: the cached state is dropped either way). A
// batch planned from memory is pipelined or sent in one round trip when the
// backend can; the long path reads what the plan depends on first.
func (w *writer) commitTx(reqs []*appendReq, sent func()) (results []planner.Result, err error) {
	if pa, ok := w.store.backend.(PipelinedAppender); ok {
		results, held, err := w.commitPipelined(pa, reqs, sent)
		if err != nil || held {
			return results, err
		}
	}
	w.tx.Lock()
	defer w.tx.Unlock()
	w.settle()
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	ctx = w.store.sqlCtx(ctx)
	if ot, ok := w.store.backend.(OneTripAppender); ok && w.state.next != 0 {
		results, held, err := w.commitOneTrip(ctx, ot, reqs)
		if err != nil || held {
			return results, err
		}
	}
	return w.commitLong(ctx, reqs)
}

// commitLong reads everything the plan depends on under the append lock,
// then writes it, statement by statement.
func (w *writer) commitLong(ctx context.Context, reqs []*appendReq) (results []planner.Result, err error) {
	tx, err := w.ns.Writer.DB.BeginTx(ctx, nil)
	if err != nil {
		w.state.forget()
		return nil, err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			w.state.forget()
		}
	}()
	if err = w.store.backend.LockForAppend(ctx, tx, w.ns.ID); err != nil {
		return nil, err
	}
	p, err := w.plan(ctx, tx, reqs)
	if err != nil {
		return nil, err
	}
	results = make([]planner.Result, len(reqs))
	for i, req := range reqs {
		results[i] = p.Add(req.a)
	}
	// A refused append writes nothing, so its caller need not wait for the
	// commit: under contention it retries while this batch is made durable,
	// and is in time for the next one.
	for i, req := range reqs {
		if results[i].Err != nil {
			req.answer(appendResult{err: results[i].Err})
		}
	}
	if err = w.write(ctx, tx, p); err != nil {
		return nil, err
	}
	after := p.Next() - int64(len(p.Rows)) - 1 // the highest global position before this batch
	if err = tx.Commit(); err != nil {
		if feed := w.store.commitFeed(); feed != nil {
			feed.Unsure(w.ns.ID) // the commit may have happened
		}
		return nil, err
	}
	w.state.committed(p)
	// Told under the transaction lock, so the feed hears commits in order.
	if feed := w.store.commitFeed(); feed != nil && len(p.Rows) > 0 {
		feed.Committed(w.ns.ID, after, p.Committed())
	}
	return results, nil
}

// plan starts the batch's plan from what it depends on: the next global
// position, the versions of its streams and the stored messages with the ids
// clients chose (ids the server generated cannot be stored yet).
func (w *writer) plan(ctx context.Context, tx *sql.Tx, reqs []*appendReq) (*planner.Plan, error) {
	next, err := w.state.nextPosition(ctx, tx, w.q)
	if err != nil {
		return nil, err
	}
	versions := map[string]int64{}
	known := map[string]*stream.Message{}
	for _, req := range reqs {
		if _, ok := versions[req.a.Stream]; !ok {
			if versions[req.a.Stream], err = w.state.version(ctx, tx, w.q, req.a.Stream); err != nil {
				return nil, err
			}
		}
		for _, m := range req.a.Messages {
			if m.GeneratedID {
				continue
			}
			if _, seen := known[m.ID]; seen {
				continue
			}
			stored, err := w.q.lookupID(ctx, tx, m.ID)
			if err != nil {
				return nil, err
			}
			if stored != nil {
				known[m.ID] = stored
			}
		}
	}
	return planner.New(next, w.store.opts.Clock.Now().UTC().Truncate(time.Microsecond), versions, known), nil
}

// write inserts the planned messages and moves their streams' rows.
func (w *writer) write(ctx context.Context, tx *sql.Tx, p *planner.Plan) error {
	if len(p.Rows) == 0 {
		return nil
	}
	if err := w.q.insertRows(ctx, tx, p.Rows); err != nil {
		return err
	}
	return w.q.upsertStreams(ctx, tx, p.Streams)
}
