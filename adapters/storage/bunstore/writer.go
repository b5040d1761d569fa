package bunstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// batchTimeout bounds one group-commit transaction. It is detached from the
// callers' contexts: a client that hangs up must not abort its neighbours' writes.
const batchTimeout = 30 * time.Second

// appendReq is one caller's append waiting for the writer.
type appendReq struct {
	ctx  context.Context
	a    stream.Append
	done chan appendResult // buffered: the writer never blocks on a caller
}

type appendResult struct {
	res stream.Appended
	err error
}

// writer is the single ordered writer of one namespace in this process. It
// takes every append that is waiting when it becomes free and commits them in
// one transaction.
type writer struct {
	store *Store
	ns    *Namespace
	reqs  chan *appendReq // unbuffered: a request is either taken or refused
	quit  chan struct{}
	done  chan struct{} // closed when run has returned
	once  sync.Once
}

func newWriter(s *Store, ns *Namespace) *writer {
	return &writer{store: s, ns: ns, reqs: make(chan *appendReq), quit: make(chan struct{}), done: make(chan struct{})}
}

// submit hands a to the writer and waits until it is committed or refused.
// Once taken, the append is waited for even if ctx ends, so the caller never
// reports a failure for a write that is committed.
func (w *writer) submit(ctx context.Context, a stream.Append) (stream.Appended, error) {
	req := &appendReq{ctx: ctx, a: a, done: make(chan appendResult, 1)}
	select {
	case w.reqs <- req:
	case <-w.quit:
		return stream.Appended{}, w.stoppedError()
	case <-ctx.Done():
		return stream.Appended{}, ctx.Err()
	}
	r := <-req.done
	return r.res, r.err
}

// stop makes the writer finish what it has taken and exit; it does not wait.
func (w *writer) stop() { w.once.Do(func() { close(w.quit) }) }

// stoppedError is what an append that meets a stopped writer gets: the
// server is shutting down, or the namespace was deleted.
func (w *writer) stoppedError() error {
	if w.store.closing.Load() {
		return fmt.Errorf("%w: the server is shutting down", ports.ErrUnavailable)
	}
	return namespace.NotFoundError(w.ns.ID)
}

func (w *writer) stopped() bool {
	select {
	case <-w.quit:
		return true
	default:
		return false
	}
}

func (w *writer) run() {
	for {
		select {
		case req := <-w.reqs:
			w.commit(w.collect(req))
		case <-w.quit:
			for { // finish appends that raced with stop
				select {
				case req := <-w.reqs:
					w.commit(w.collect(req))
				default:
					return
				}
			}
		}
	}
}

// collect adds to first every append already waiting, up to the batch
// limits on messages and bytes.
func (w *writer) collect(first *appendReq) []*appendReq {
	batch := []*appendReq{first}
	n, size := len(first.a.Messages), appendSize(first.a)
	for n < w.store.opts.MaxBatchMessages && size < w.store.opts.MaxBatchBytes {
		select {
		case req := <-w.reqs:
			batch = append(batch, req)
			n += len(req.a.Messages)
			size += appendSize(req.a)
		default:
			return batch
		}
	}
	return batch
}

// appendSize is roughly what an append adds to the batch's SQL text.
func appendSize(a stream.Append) int {
	size := 0
	for _, m := range a.Messages {
		size += len(m.Type) + len(m.Data) + len(m.Metadata) + len(a.Stream)
	}
	return size
}

// commit writes a batch in one transaction. If the transaction itself fails,
// each append is retried alone, so one bad append cannot fail its neighbours;
// when the database is unreachable every append fails at once instead.
func (w *writer) commit(batch []*appendReq) {
	live := batch[:0]
	for _, req := range batch {
		if err := req.ctx.Err(); err != nil {
			req.done <- appendResult{err: err}
			continue
		}
		live = append(live, req)
	}
	if len(live) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	results, err := w.store.appendBatch(ctx, w.ns, live)
	if err == nil {
		for i, req := range live {
			req.done <- results[i]
		}
		return
	}
	if len(live) == 1 || w.stopped() || w.store.backend.IsUnavailable(err) || errors.Is(err, context.DeadlineExceeded) {
		if w.stopped() {
			// The storage went away under this batch (namespace deleted, or
			// closed at shutdown): nothing of it was committed.
			err = w.stoppedError()
		} else {
			err = w.store.fail(w.ns, err)
		}
		for _, req := range live {
			req.done <- appendResult{err: err}
		}
		return
	}
	for _, req := range live {
		w.commit([]*appendReq{req})
	}
}
