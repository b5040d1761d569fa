package memory

import (
	"context"
	"slices"
	"time"

	"github.com/eventodb/eventodb/domain/stream"
)

// Import stores batch keeping ids, positions and times, all or nothing, under
// the namespace's write lock, so it never interleaves with an append and the
// appends after it continue past the highest global position. The checks and
// their order are the SQL stores': first what the batch says of itself, then
// what it would clash with, the first offending message in batch order.
func (s *Store) Import(ctx context.Context, ns string, batch []stream.Message) error {
	return s.write(ctx, ns, func(sp *space) error {
		if len(batch) == 0 {
			return nil
		}
		if err := stream.CheckImportBatch(batch); err != nil {
			return err
		}
		if err := sp.checkTaken(batch); err != nil {
			return err
		}
		sp.insert(batch)
		return nil
	})
}

// checkTaken refuses a batch of which a global position, an id or a stream
// position is stored already. The indexes answer each question in O(log n).
func (sp *space) checkTaken(batch []stream.Message) error {
	for i := range batch {
		m := &batch[i]
		switch {
		case sp.globalTaken(m.GlobalPosition):
			return &stream.PositionExistsError{GlobalPosition: m.GlobalPosition}
		case sp.ids[m.ID] != nil:
			return &stream.DuplicateIDError{ID: m.ID}
		case sp.positionTaken(m.Stream, m.Position):
			return &stream.PositionExistsError{GlobalPosition: m.GlobalPosition, Stream: m.Stream, Position: m.Position}
		}
	}
	return nil
}

func (sp *space) globalTaken(g int64) bool {
	i := fromGlobal(sp.log, g)
	return i < len(sp.log) && sp.log[i].msg.GlobalPosition == g
}

func (sp *space) positionTaken(name string, p int64) bool {
	st := sp.streams[name]
	if st == nil {
		return false
	}
	i := fromPosition(st.entries, p)
	return i < len(st.entries) && st.entries[i].msg.Position == p
}

// insert indexes a checked batch: each stream's messages, each category's
// and the log are merged in once, sorted, however the batch interleaves them.
// A stream's version becomes its highest position and its last activity the
// later of what it had and its newest imported message: never lowered.
func (sp *space) insert(batch []stream.Message) {
	all := make([]*entry, len(batch))
	byStream := map[string][]*entry{}
	byCategory := map[string][]*entry{}
	derived := map[string]keys{}
	for i, m := range batch {
		k, ok := derived[m.Stream]
		if !ok {
			k = keysOf(m.Stream)
			derived[m.Stream] = k
		}
		e := newEntry(m, k)
		all[i] = e
		byStream[m.Stream] = append(byStream[m.Stream], e)
		byCategory[k.category] = append(byCategory[k.category], e)
	}
	for name, entries := range byStream {
		slices.SortFunc(entries, comparePosition)
		st := sp.addStream(name, entries)
		newest := newestTime(entries)
		if newest.After(st.lastTime) {
			st.lastTime = newest
		}
		sp.touched(newest)
	}
	for name, entries := range byCategory {
		slices.SortFunc(entries, compareGlobal)
		sp.addCategory(name, entries)
	}
	slices.SortFunc(all, compareGlobal)
	sp.addLog(all)
}

func newestTime(entries []*entry) time.Time {
	var t time.Time
	for _, e := range entries {
		if e.msg.Time.After(t) {
			t = e.msg.Time
		}
	}
	return t
}

// Clear drops every message and stream of ns under its write lock, keeping
// the namespace: what a new namespace of the same record would hold.
func (s *Store) Clear(ctx context.Context, ns string) (int64, error) {
	var deleted int64
	err := s.write(ctx, ns, func(sp *space) error {
		deleted = int64(len(sp.log))
		sp.clear()
		return nil
	})
	return deleted, err
}
