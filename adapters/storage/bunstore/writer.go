package bunstore

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// appendReq is one caller's append waiting to be committed.
type appendReq struct {
	ctx  context.Context
	a    stream.Append
	done chan appendResult // buffered: a leader never blocks on a caller
	// lead, buffered, tells a waiting caller to become the leader; promoted
	// is set (under the writer's mu) when it is sent.
	lead     chan struct{}
	promoted bool
	answered bool // done has its result; set by the leader only
}

// answer gives req its result, once: a refusal may be answered before the
// rest of its batch is committed.
func (req *appendReq) answer(r appendResult) {
	if req.answered {
		return
	}
	req.answered = true
	req.done <- r
}

type appendResult struct {
	res stream.Appended
	err error
}

// writer group-commits the appends of one namespace in this process, without
// a goroutine of its own: the first caller to arrive when nobody commits
// becomes the leader, commits everything waiting in one transaction, and
// hands the lead to the oldest caller that arrived meanwhile. A lone writer
// thus commits its own append with no hand-off, and under load each commit
// takes every append that queued during the previous one. Every transaction
// of the namespace (appends, imports, clears) runs under tx, which also guards
// the cached state.
type writer struct {
	store *Store
	ns    *Namespace
	q     *queries

	mu        sync.Mutex
	queue     []*appendReq
	leading   bool          // a leader is committing or about to
	stopped   bool          // no new appends; the queue is still committed
	done      chan struct{} // closed once stopped with no leader left
	lastBatch int           // appends in the batch taken last
	yield     bool          // let appenders about to queue join a batch (see lead)

	tx    sync.Mutex // held by every transaction of the namespace
	state state      // next global position and stream versions; under tx

	// busy counts the leaders whose batch is not answered yet: with a
	// pipelined backend a leader hands the lead over before its answer.
	busy int
	// Pipelined appends (pipeline.go), under mu.
	pipe     AppendPipe // held while batches are in flight
	inflight int        // batches sent on pipe and not answered yet
	stale    bool       // an answered batch did not hold: state is wrong until settled
	answered sync.Cond  // on mu; signalled when inflight falls
}

func newWriter(s *Store, ns *Namespace) *writer {
	_, pipelined := s.backend.(PipelinedAppender)
	w := &writer{store: s, ns: ns, q: newQueries(ns, s.backend.Placeholders(), s.backend.StatementArgs()), done: make(chan struct{}),
		yield: !pipelined}
	w.answered.L = &w.mu
	return w
}

// submit appends a and returns once it is durable or refused. Once taken into
// a batch, the append is waited for even if ctx ends, so the caller never
// reports a failure for a write that is committed.
func (w *writer) submit(ctx context.Context, a stream.Append) (stream.Appended, error) {
	req := &appendReq{ctx: ctx, a: a, done: make(chan appendResult, 1), lead: make(chan struct{}, 1)}
	w.mu.Lock()
	if w.stopped {
		w.mu.Unlock()
		return stream.Appended{}, w.stoppedError()
	}
	w.queue = append(w.queue, req)
	if !w.leading {
		w.leading = true
		w.mu.Unlock()
		w.lead()
		r := <-req.done
		return r.res, r.err
	}
	w.mu.Unlock()
	return w.wait(ctx, req)
}

// wait waits for req's result, leading when the lead is handed over, and
// withdraws req when ctx ends before a leader took it.
func (w *writer) wait(ctx context.Context, req *appendReq) (stream.Appended, error) {
	select {
	case r := <-req.done:
		return r.res, r.err
	case <-req.lead:
		w.lead()
		r := <-req.done
		return r.res, r.err
	case <-ctx.Done():
	}
	w.mu.Lock()
	for i, q := range w.queue {
		if q == req && !req.promoted {
			w.queue = append(w.queue[:i], w.queue[i+1:]...)
			w.mu.Unlock()
			return stream.Appended{}, ctx.Err()
		}
	}
	w.mu.Unlock()
	select { // taken into a batch, or made the leader: see it through
	case r := <-req.done:
		return r.res, r.err
	case <-req.lead:
		w.lead()
		r := <-req.done
		return r.res, r.err
	}
}

// lead commits one batch of what is queued and passes the lead to the
// oldest caller still waiting, or gives it up when none is: once the batch
// is sent when the backend pipelines appends, else once it is answered.
func (w *writer) lead() {
	handOff := sync.OnceFunc(w.handOff)
	w.mu.Lock()
	for w.inflight >= maxInFlight {
		w.answered.Wait() // meanwhile the batch grows
	}
	if w.yield && w.lastBatch > 1 && len(w.queue) < w.lastBatch {
		// Appenders came together last time and fewer wait now: the others
		// are likely runnable, their requests read, about to queue. Letting
		// them run first puts them in this commit instead of the next
		// (SQLite, 10 writers, alternating builds: +4 to +7 % ops/s, and
		// +4 to +10 % with expectedVersion contention). A pipelined
		// backend's batches grow while one is in flight instead; there it
		// cost 4 %.
		w.mu.Unlock()
		runtime.Gosched()
		w.mu.Lock()
	}
	batch := w.take()
	w.lastBatch = len(batch)
	w.busy++
	w.mu.Unlock()
	defer func() { // also when the commit panicked: the namespace keeps a leader
		handOff()
		w.mu.Lock()
		defer w.mu.Unlock()
		w.busy--
		if w.stopped && !w.leading && w.busy == 0 {
			w.finish()
		}
	}()
	if len(batch) > 0 {
		w.commitOrFail(batch, handOff)
	}
}

// commitOrFail is commit that, should it panic (a bug), first answers every
// caller not answered yet with an error, forgets the memory and sends
// subscribers to the store: the outcome is unknown, so nothing is
// acknowledged and nobody waits forever. The panic then goes on.
func (w *writer) commitOrFail(batch []*appendReq, sent func()) {
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		w.tx.Lock() // every path releases it by defer
		w.state.forget()
		w.tx.Unlock()
		if feed := w.store.commitFeed(); feed != nil {
			feed.Unsure(w.ns.ID)
		}
		for _, req := range batch {
			req.answer(appendResult{err: errors.New("append: internal error")})
		}
		panic(p)
	}()
	w.commit(batch, sent)
}

// handOff passes the lead to the oldest caller waiting, or gives it up.
func (w *writer) handOff() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.queue) > 0 {
		next := w.queue[0]
		next.promoted = true
		next.lead <- struct{}{}
		return
	}
	w.leading = false
}

// take removes from the queue the appends of one batch, up to the batch
// limits on messages and bytes (the first always goes); w.mu must be held.
func (w *writer) take() []*appendReq {
	n, size, count := 0, 0, 0
	for _, req := range w.queue {
		if count > 0 && (n >= w.store.opts.MaxBatchMessages || size >= w.store.opts.MaxBatchBytes) {
			break
		}
		n += len(req.a.Messages)
		size += appendSize(req.a)
		count++
	}
	batch := append([]*appendReq(nil), w.queue[:count]...)
	w.queue = append(w.queue[:0], w.queue[count:]...)
	return batch
}

// appendSize is roughly what an append adds to the batch's memory.
func appendSize(a stream.Append) int {
	size := 0
	for _, m := range a.Messages {
		size += len(m.Type) + len(m.Data) + len(m.Metadata) + len(a.Stream)
	}
	return size
}

// stop refuses new appends; those already queued are still committed. done
// is closed once nothing is left to commit.
func (w *writer) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	w.stopped = true
	if !w.leading && w.busy == 0 {
		w.finish()
	}
}

// finish closes done; w.mu must be held, the writer stopped and idle.
func (w *writer) finish() {
	select {
	case <-w.done:
	default:
		close(w.done)
		w.store.writers.Done()
	}
}

func (w *writer) isStopped() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.stopped
}

// stoppedError is what an append that meets a stopped writer gets: the
// server is shutting down, or the namespace was deleted.
func (w *writer) stoppedError() error {
	if w.store.closing.Load() {
		return fmt.Errorf("%w: the server is shutting down", ports.ErrUnavailable)
	}
	return namespace.NotFoundError(w.ns.ID)
}
