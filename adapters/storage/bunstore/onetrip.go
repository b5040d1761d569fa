package bunstore

import (
	"context"
	"maps"
	"time"

	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
)

// OneTripAppender is a backend that can commit a planned batch in a single
// round trip, provided what the plan assumed still holds under the
// namespace's append lock. A networked database pays for every statement
// of the long path (lock, MAX, version and id lookups, inserts, commit) in
// round trips; this path sends the plan with its assumptions instead.
// (PostgreSQL goes further and pipelines such batches: PipelinedAppender.)
//
// The backend is the only writer of its data (SQLite files have one owner),
// so the writer's memory is the truth and appends refused from it need no
// check: they are answered before the batch is written, and under
// contention their retries are queued for the next commit while this one is
// made durable.
type OneTripAppender interface {
	// AppendIf takes the append lock and, in the same transaction, writes
	// rows and moves streams only if cond holds. held reports whether it
	// did; when it did not, or an id was already stored, nothing is written
	// and held is false with a nil error.
	AppendIf(ctx context.Context, ns *Namespace, cond AppendCondition, rows []planner.Row, streams []*planner.StreamRow) (held bool, err error)
}

// AppendCondition is what a plan made from the writer's memory assumed.
type AppendCondition struct {
	Last     int64            // the namespace's highest global position
	Versions map[string]int64 // every stream the batch appends to -> its version (stream.NoStream: none)
}

// commitOneTrip plans reqs from the remembered state, guessing that streams
// it does not remember have no messages and that no client-chosen id is
// stored, and commits the plan on those conditions. held is false when a
// guess was wrong: nothing was written and the long path must run. Called
// under w.tx with a known next position.
func (w *writer) commitOneTrip(ctx context.Context, ot OneTripAppender, reqs []*appendReq) (results []planner.Result, held bool, err error) {
	cond, p, results, ok := w.planFromMemory(reqs)
	if !ok {
		return nil, false, nil
	}
	for i, req := range reqs {
		if results[i].Err != nil {
			req.answer(appendResult{err: results[i].Err})
		}
	}
	held, err = ot.AppendIf(ctx, w.ns, cond, p.Rows, p.Streams)
	if err != nil {
		w.state.forget()
		if feed := w.store.commitFeed(); feed != nil {
			feed.Unsure(w.ns.ID) // the commit may have happened
		}
		return nil, false, err
	}
	if !held {
		w.state.forget()
		return nil, false, nil
	}
	w.state.committed(p)
	if feed := w.store.commitFeed(); feed != nil && len(p.Rows) > 0 {
		feed.Committed(w.ns.ID, cond.Last, p.Committed())
	}
	return results, true, nil
}

// planFromMemory plans reqs from the remembered state (w.tx held, next
// position known) and returns the plan with what it assumed. ok is false
// when an append was refused whose ids the client chose: it may be the retry
// of a stored append, which is answered with its original positions, and
// only the long path, which looks the ids up, knows.
func (w *writer) planFromMemory(reqs []*appendReq) (cond AppendCondition, p *planner.Plan, results []planner.Result, ok bool) {
	cond = AppendCondition{Last: w.state.next - 1, Versions: make(map[string]int64, len(reqs))}
	for _, req := range reqs {
		if _, ok := cond.Versions[req.a.Stream]; !ok {
			v, ok := w.state.versions[req.a.Stream]
			if !ok {
				v = stream.NoStream
			}
			cond.Versions[req.a.Stream] = v
		}
	}
	// The plan moves its versions map along; the condition keeps the start.
	p = planner.New(w.state.next, w.store.opts.Clock.Now().UTC().Truncate(time.Microsecond), maps.Clone(cond.Versions), nil)
	results = make([]planner.Result, len(reqs))
	for i, req := range reqs {
		results[i] = p.Add(req.a)
		if results[i].Err != nil && !generatedIDs(req.a) {
			return cond, nil, nil, false
		}
	}
	return cond, p, results, true
}

// generatedIDs reports whether the server chose every id of a.
func generatedIDs(a stream.Append) bool {
	for _, m := range a.Messages {
		if !m.GeneratedID {
			return false
		}
	}
	return true
}
