package bunstore

import (
	"context"

	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
)

// PipelinedAppender is a backend that commits a batch planned from the
// writer's memory in one round trip, like OneTripAppender's AppendIf, and
// can send a namespace's next batch before the previous one is answered.
// Both travel on one connection, so the database runs them in the order
// sent and starts the next the moment the previous commit ends, instead of a
// round trip and a hand-off later. A batch planned after one that turns out
// not to hold fails its own condition, so it writes nothing either.
type PipelinedAppender interface {
	// AcquirePipe takes a connection for one namespace's batches. The writer
	// holds it while batches it sent are unanswered, then releases it.
	AcquirePipe(ctx context.Context) (AppendPipe, error)
}

// AppendPipe sends batches over one connection.
type AppendPipe interface {
	// Send is AppendIf without the wait: the lock and the conditional write
	// of rows and streams, one implicit transaction. done gets the outcome
	// as AppendIf returns it, once the database answers, on a goroutine of
	// the pipe's, in the order the batches were sent; once the connection
	// broke, the batches still unanswered fail at once. done must not block.
	Send(ns *Namespace, cond AppendCondition, rows []planner.Row, streams []*planner.StreamRow, done func(held bool, err error))
	// Contended reports whether others wait for a connection: then the
	// holder sends no more on this one and releases it once answered, so a
	// namespace under steady load cannot keep it from the others.
	Contended() bool
	// Release gives the connection back; every batch sent must be answered.
	Release()
}

// maxInFlight is how many pipelined batches a namespace may have unanswered:
// one committing and the next waiting right behind it. More would only make
// batches smaller.
const maxInFlight = 2

// pipeOutcome is a pipelined batch's answer.
type pipeOutcome struct {
	held bool
	err  error
}

// commitPipelined plans reqs from memory, sends them on the namespace's pipe
// with what the plan assumed, remembers the plan as if it held, and hands
// the lead over (sent) before waiting for the answer: the next leader's
// batch is sent while this one commits. held is false when the long path
// must run.
func (w *writer) commitPipelined(pa PipelinedAppender, reqs []*appendReq, sent func()) (results []planner.Result, held bool, err error) {
	results, answer, err := w.sendPipelined(pa, reqs)
	if answer == nil || err != nil {
		return nil, false, err
	}
	sent()
	o := <-answer
	if o.err != nil || !o.held {
		return nil, false, o.err
	}
	return results, true, nil
}

// sendPipelined is commitPipelined's part under w.tx: it returns the
// channel the batch's answer will come on, or nil when the memory cannot be
// planned from (the long path must run).
func (w *writer) sendPipelined(pa PipelinedAppender, reqs []*appendReq) (results []planner.Result, answer <-chan pipeOutcome, err error) {
	w.tx.Lock()
	defer w.tx.Unlock()
	if !w.settled() || w.state.next == 0 {
		return nil, nil, nil
	}
	cond, p, results, ok := w.planFromMemory(reqs)
	if !ok {
		return nil, nil, nil
	}
	pipe, err := w.holdPipe(pa)
	if err != nil {
		return nil, nil, err
	}
	// The next batch is planned after this one; should this one not hold,
	// the next fails its condition too, and the memory is read again.
	w.state.committed(p)
	committed := p.Committed()
	out := make(chan pipeOutcome, 1)
	pipe.Send(w.ns, cond, p.Rows, p.Streams, func(held bool, err error) {
		w.pipelineAnswered(cond.Last, committed, held, err)
		out <- pipeOutcome{held, err}
	})
	return results, out, nil
}

// holdPipe counts one more batch in flight on the namespace's pipe,
// acquiring one when none is held (or the held one is wanted elsewhere);
// w.tx must be held (only its holder sends).
func (w *writer) holdPipe(pa PipelinedAppender) (AppendPipe, error) {
	w.mu.Lock()
	if w.pipe != nil && w.pipe.Contended() {
		for w.inflight > 0 {
			w.answered.Wait() // the last answer releases the pipe
		}
	}
	if w.pipe != nil {
		w.inflight++
		w.mu.Unlock()
		return w.pipe, nil
	}
	w.mu.Unlock()
	// Nothing is in flight, so nothing else can touch w.pipe meanwhile.
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	pipe, err := pa.AcquirePipe(ctx)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.pipe = pipe
	w.inflight++
	w.mu.Unlock()
	return pipe, nil
}

// pipelineAnswered takes in one pipelined batch's answer, in the order they
// were sent: tells the feed (which must hear commits in order), marks the
// memory stale when the batch did not hold, and releases the pipe once
// nothing is in flight.
func (w *writer) pipelineAnswered(after int64, committed []stream.Committed, held bool, err error) {
	if feed := w.store.commitFeed(); feed != nil {
		if err != nil {
			feed.Unsure(w.ns.ID) // the commit may have happened
		} else if held && len(committed) > 0 {
			feed.Committed(w.ns.ID, after, committed)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.inflight--
	if err != nil || !held {
		w.stale = true
	}
	if w.inflight == 0 {
		w.pipe.Release()
		w.pipe = nil
	}
	w.answered.Broadcast()
}

// settled reports whether the memory can be planned from: not once a
// pipelined batch did not hold, until settle has forgotten it.
func (w *writer) settled() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return !w.stale
}

// settle waits until no pipelined batch is unanswered and forgets the
// memory if one of them did not hold: every transaction other than a
// pipelined append runs settled. w.tx must be held.
func (w *writer) settle() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.inflight > 0 {
		w.answered.Wait()
	}
	if w.stale {
		w.state.forget()
		w.stale = false
	}
}
