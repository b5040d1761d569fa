package bunstore

import (
	"context"
	"errors"
	"strings"

	"github.com/uptrace/bun"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

var _ ports.Importer = (*Store)(nil)

// Import stores batch keeping the messages' ids and positions. It runs under
// the writer's transaction lock and the append lock, so it commits between two
// group-commit transactions, never inside one, and it makes the writer forget
// what it remembered: the appends after it read the next global position and
// the versions anew.
func (s *Store) Import(ctx context.Context, ns string, batch []stream.Message) error {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return err
	}
	defer h.release()
	if len(batch) == 0 {
		return nil
	}
	if err := stream.CheckImportBatch(batch); err != nil {
		return err
	}
	w := h.writer
	w.tx.Lock()
	defer w.tx.Unlock()
	w.settle()
	defer w.state.forget()
	if feed := s.commitFeed(); feed != nil {
		// Imported positions may lie anywhere, below what subscribers read.
		defer feed.Unsure(ns)
	}
	err = h.ns.Writer.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.backend.LockForAppend(ctx, tx.Tx, ns); err != nil {
			return err
		}
		if err := checkTaken(ctx, tx, h.ns, batch); err != nil {
			return err
		}
		rows, streams := importRows(batch)
		if err := w.q.insertRows(ctx, tx.Tx, rows); err != nil {
			return err
		}
		return upsertStreamsMax(ctx, tx, h.ns, streams)
	})
	return s.fail(h.ns, err)
}

// streamPos is one position of one stream.
type streamPos struct {
	stream string
	pos    int64
}

// checkImportBatch refuses a batch that contradicts itself or holds positions
// checkTaken refuses a batch of which a global position, id or stream
// position is already stored; the first offending message in batch order wins.
func checkTaken(ctx context.Context, tx bun.Tx, ns *Namespace, batch []stream.Message) error {
	gposList := make([]int64, len(batch))
	idList := make([]string, len(batch))
	for i := range batch {
		gposList[i] = batch[i].GlobalPosition
		idList[i] = batch[i].ID
	}
	takenG, err := existing[int64](ctx, tx, "SELECT global_position FROM "+ns.Messages+" WHERE global_position IN (?)", gposList)
	if err != nil {
		return err
	}
	takenID, err := existing[string](ctx, tx, "SELECT id FROM "+ns.Messages+" WHERE id IN (?)", idList)
	if err != nil {
		return err
	}
	takenPos, err := takenPositions(ctx, tx, ns, batch)
	if err != nil {
		return err
	}
	for i := range batch {
		m := &batch[i]
		switch {
		case takenG[m.GlobalPosition]:
			return &stream.PositionExistsError{GlobalPosition: m.GlobalPosition}
		case takenID[m.ID]:
			return &stream.DuplicateIDError{ID: m.ID}
		case takenPos[streamPos{m.Stream, m.Position}]:
			return &stream.PositionExistsError{GlobalPosition: m.GlobalPosition, Stream: m.Stream, Position: m.Position}
		}
	}
	return nil
}

// existing runs query (one "IN (?)" placeholder) over keys in chunks and
// returns the keys it found.
func existing[K comparable](ctx context.Context, tx bun.Tx, query string, keys []K) (map[K]bool, error) {
	found := map[K]bool{}
	for start := 0; start < len(keys); start += insertChunk {
		rows, err := tx.QueryContext(ctx, query, bun.List(keys[start:min(start+insertChunk, len(keys))]))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k K
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return nil, err
			}
			found[k] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// takenPositions finds the stream positions of batch that are stored. A stream
// holds no position above its version, so only streams whose lowest imported
// position is at or below their version need a look at their messages (none,
// when importing into an empty namespace or past what it holds).
func takenPositions(ctx context.Context, tx bun.Tx, ns *Namespace, batch []stream.Message) (map[streamPos]bool, error) {
	type span struct{ lo, hi int64 }
	spans := map[string]*span{}
	var names []string
	for i := range batch {
		m := &batch[i]
		sp, ok := spans[m.Stream]
		if !ok {
			spans[m.Stream] = &span{m.Position, m.Position}
			names = append(names, m.Stream)
			continue
		}
		sp.lo, sp.hi = min(sp.lo, m.Position), max(sp.hi, m.Position)
	}
	versions, err := streamVersions(ctx, tx, ns, names)
	if err != nil {
		return nil, err
	}
	taken := map[streamPos]bool{}
	for _, name := range names {
		sp := spans[name]
		version, ok := versions[name]
		if !ok || sp.lo > version {
			continue
		}
		// The (stream_name, position) index serves this range.
		rows, err := tx.QueryContext(ctx, "SELECT position FROM "+ns.Messages+
			" WHERE stream_name = ? AND position >= ? AND position <= ?", name, sp.lo, min(sp.hi, version))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var pos int64
			if err := rows.Scan(&pos); err != nil {
				rows.Close()
				return nil, err
			}
			taken[streamPos{name, pos}] = true
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return taken, nil
}

// streamVersions reads the versions of those of names that exist.
func streamVersions(ctx context.Context, tx bun.Tx, ns *Namespace, names []string) (map[string]int64, error) {
	versions := make(map[string]int64, len(names))
	for start := 0; start < len(names); start += insertChunk {
		rows, err := tx.QueryContext(ctx, "SELECT name, version FROM "+ns.Streams+" WHERE name IN (?)",
			bun.List(names[start:min(start+insertChunk, len(names))]))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var name string
			var v int64
			if err := rows.Scan(&name, &v); err != nil {
				rows.Close()
				return nil, err
			}
			versions[name] = v
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return nil, err
		}
	}
	return versions, nil
}

// streamRow is an imported stream: the highest position and time the batch
// brings, and how many messages.
type streamRow struct {
	name, category string
	version, time  int64
	added          int64
}

// importRows derives the stored columns of batch and, per stream, the highest
// position and time it brings.
func importRows(batch []stream.Message) ([]planner.Row, map[string]*streamRow) {
	rows := make([]planner.Row, len(batch))
	streams := map[string]*streamRow{}
	for i, m := range batch {
		rows[i] = planner.Row{Message: m, Category: stream.Category(m.Stream), Hash: partition.Hash64(partition.Key(m.Stream)),
			Correlation: stream.CorrelationCategory(m.Metadata)}
		t := m.Time.UnixMicro()
		r, ok := streams[m.Stream]
		if !ok {
			streams[m.Stream] = &streamRow{name: m.Stream, category: rows[i].Category, version: m.Position, time: t, added: 1}
			continue
		}
		r.version, r.time = max(r.version, m.Position), max(r.time, t)
		r.added++
	}
	return rows, streams
}

// upsertStreamsMax records the imported streams, raising (never lowering) the
// version and last time of streams that already exist.
func upsertStreamsMax(ctx context.Context, tx bun.Tx, ns *Namespace, streams map[string]*streamRow) error {
	list := make([]*streamRow, 0, len(streams))
	for _, r := range streams {
		list = append(list, r)
	}
	for start := 0; start < len(list); start += insertChunk {
		part := list[start:min(start+insertChunk, len(list))]
		var b strings.Builder
		b.WriteString("INSERT INTO " + ns.Streams + " AS s (name, category, version, last_time, message_count) VALUES ")
		args := make([]any, 0, len(part)*5)
		for i, r := range part {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?)")
			args = append(args, r.name, r.category, r.version, r.time, r.added)
		}
		// CASE rather than MAX()/GREATEST(): the same text on SQLite and PostgreSQL.
		b.WriteString(" ON CONFLICT (name) DO UPDATE SET" +
			" version = CASE WHEN excluded.version > s.version THEN excluded.version ELSE s.version END," +
			" last_time = CASE WHEN excluded.last_time > s.last_time THEN excluded.last_time ELSE s.last_time END," +
			" message_count = s.message_count + excluded.message_count")
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}
