package memory

import (
	"context"
	"time"

	"github.com/eventodb/eventodb/domain/stream"
)

// Append writes a under the namespace's write lock. The lock makes the
// expectedVersion check atomic with the write, keeps a multi-message append
// whole, and hands out global positions in the order readers can see them:
// a reader cannot see position n+1 before n, because both are published by
// the same critical section or by two in order.
func (s *Store) Append(ctx context.Context, ns string, a stream.Append) (stream.Appended, error) {
	var res stream.Appended
	err := s.write(ctx, ns, func(sp *space) error {
		var err error
		res, err = sp.append(a, s.clock.Now())
		return err
	})
	return res, err
}

func (sp *space) append(a stream.Append, now time.Time) (stream.Appended, error) {
	if res, done, err := sp.retried(a); done || err != nil {
		return res, err
	}
	version := sp.version(a.Stream)
	if err := a.ExpectedVersion.Check(a.Stream, version); err != nil {
		return stream.Appended{}, err
	}
	if err := repeatedID(a.Messages); err != nil {
		return stream.Appended{}, err
	}
	next := sp.lastGlobal() + 1
	if err := stream.CheckRoom(version, next, len(a.Messages)); err != nil {
		return stream.Appended{}, err
	}
	res := stream.Appended{Position: version + 1, GlobalPosition: next, Count: len(a.Messages)}
	if len(a.Messages) == 0 {
		return res, nil // as the SQL stores: nothing to write, nothing refused
	}
	now = microUTC(now)
	k := keysOf(a.Stream)
	entries := make([]*entry, len(a.Messages))
	for i, m := range a.Messages {
		entries[i] = newEntry(stream.Message{
			ID: m.ID, Stream: a.Stream, Type: m.Type,
			Position: version + 1 + int64(i), GlobalPosition: next + int64(i),
			Data: m.Data, Metadata: m.Metadata, Time: now,
		}, k)
	}
	sp.addStream(a.Stream, entries).lastTime = now
	sp.addCategory(k.category, entries)
	sp.addLog(entries)
	sp.touched(now)
	return res, nil
}

// retried recognises an append whose message ids are already stored. When all
// are stored with the same content it is a retry of a write that succeeded and
// gets the original result; any other overlap is a duplicate id. This is the
// rule of the SQL stores, error for error.
func (sp *space) retried(a stream.Append) (stream.Appended, bool, error) {
	var first *entry
	found := 0
	for _, m := range a.Messages {
		e := sp.ids[m.ID]
		if e == nil {
			continue
		}
		if !e.msg.SameContent(a.Stream, m) {
			return stream.Appended{}, false, &stream.DuplicateIDError{ID: m.ID}
		}
		if first == nil {
			first = e
		}
		found++
	}
	switch found {
	case 0:
		return stream.Appended{}, false, nil
	case len(a.Messages):
		return stream.Appended{Position: first.msg.Position, GlobalPosition: first.msg.GlobalPosition, Count: found}, true, nil
	default: // part of the write exists: not a retry of this write
		return stream.Appended{}, false, &stream.DuplicateIDError{ID: first.msg.ID}
	}
}

// repeatedID refuses an append that holds one new id twice, which the SQL
// stores' unique id index refuses too.
func repeatedID(msgs []stream.Proposed) error {
	if len(msgs) < 2 {
		return nil
	}
	seen := make(map[string]bool, len(msgs))
	for _, m := range msgs {
		if seen[m.ID] {
			return &stream.DuplicateIDError{ID: m.ID}
		}
		seen[m.ID] = true
	}
	return nil
}
