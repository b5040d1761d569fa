package bunstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
)

// chunk bounds the rows of one INSERT statement.
const chunk = 500

// Append hands a to the namespace's writer and waits until it is durable.
func (s *Store) Append(ctx context.Context, ns string, a stream.Append) (stream.Appended, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return stream.Appended{}, err
	}
	defer h.release()
	return h.writer.submit(ctx, a)
}

// appendBatch commits reqs in one transaction and returns each one's outcome.
// Appends that fail their own checks (version conflict, duplicate id) get an
// error result and write nothing; the others are committed together. The
// returned error is for the transaction as a whole.
func (s *Store) appendBatch(ctx context.Context, ns *Namespace, reqs []*appendReq) ([]appendResult, error) {
	results := make([]appendResult, len(reqs))
	err := ns.Writer.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.backend.LockForAppend(ctx, tx, ns.ID); err != nil {
			return err
		}
		p, err := s.newPlan(ctx, tx, ns, reqs)
		if err != nil {
			return err
		}
		for i, req := range reqs {
			res, err := p.add(req.a)
			results[i] = appendResult{res: res, err: err}
		}
		return writeRows(ctx, tx, ns, p)
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// plan assigns positions to a batch of appends, given what the database holds.
type plan struct {
	now      int64                      // unix µs stamped on every message of the batch
	next     int64                      // next global position
	versions map[string]int64           // stream -> version, including this batch
	known    map[string]*stream.Message // message id -> stored or planned message
	rows     []messageRow
	streams  map[string]*streamRow
}

type messageRow struct {
	msg         stream.Message
	category    string
	hash        int64
	correlation *string
}

type streamRow struct {
	name, category string
	version, time  int64
	added          int64 // messages this batch adds to the stream
}

func (s *Store) newPlan(ctx context.Context, tx bun.Tx, ns *Namespace, reqs []*appendReq) (*plan, error) {
	p := &plan{
		now:      s.opts.Clock.Now().UnixMicro(),
		versions: map[string]int64{},
		known:    map[string]*stream.Message{},
		streams:  map[string]*streamRow{},
	}
	var ids, names []string
	seen := map[string]bool{}
	for _, req := range reqs {
		if !seen[req.a.Stream] {
			seen[req.a.Stream] = true
			names = append(names, req.a.Stream)
		}
		for _, m := range req.a.Messages {
			ids = append(ids, m.ID)
		}
	}
	if err := p.load(ctx, tx, ns, ids, names); err != nil {
		return nil, err
	}
	return p, nil
}

// load reads, in one round trip, what the plan depends on: the stored
// messages with the batch's ids, the versions of its streams and the next
// global position. It runs after the append lock is taken, so for every node
// MAX+1 is the next global position.
func (p *plan) load(ctx context.Context, tx bun.Tx, ns *Namespace, ids, names []string) error {
	const (
		kindMessage = iota
		kindStream
		kindMax
	)
	rows, err := tx.QueryContext(ctx, `
		SELECT 0, id, stream_name, type, position, global_position, data FROM `+ns.Messages+` WHERE id IN (?)
		UNION ALL
		SELECT 1, name, NULL, NULL, version, NULL, NULL FROM `+ns.Streams+` WHERE name IN (?)
		UNION ALL
		SELECT 2, NULL, NULL, NULL, NULL, COALESCE(MAX(global_position), 0), NULL FROM `+ns.Messages,
		bun.List(ids), bun.List(names))
	if err != nil {
		return err
	}
	defer rows.Close()
	for _, name := range names {
		p.versions[name] = stream.NoStream
	}
	for rows.Next() {
		var kind int
		var id, streamName, typ, data sql.NullString
		var position, global sql.NullInt64
		if err := rows.Scan(&kind, &id, &streamName, &typ, &position, &global, &data); err != nil {
			return err
		}
		switch kind {
		case kindMessage:
			p.known[id.String] = &stream.Message{
				ID: id.String, Stream: streamName.String, Type: typ.String,
				Position: position.Int64, GlobalPosition: global.Int64, Data: []byte(data.String),
			}
		case kindStream:
			p.versions[id.String] = position.Int64
		case kindMax:
			p.next = global.Int64 + 1
		}
	}
	return errors.Join(rows.Err(), rows.Close())
}

// add plans one append, or explains why it cannot be written.
func (p *plan) add(a stream.Append) (stream.Appended, error) {
	if res, done, err := p.retried(a); done || err != nil {
		return res, err
	}
	version := p.versions[a.Stream]
	if err := a.ExpectedVersion.Check(a.Stream, version); err != nil {
		return stream.Appended{}, err
	}
	if err := stream.CheckRoom(version, p.next, len(a.Messages)); err != nil {
		return stream.Appended{}, err
	}
	res := stream.Appended{Position: version + 1, GlobalPosition: p.next, Count: len(a.Messages)}
	category := stream.Category(a.Stream)
	hash := partition.Hash64(partition.Key(a.Stream))
	for _, m := range a.Messages {
		version++
		row := messageRow{
			msg: stream.Message{
				ID: m.ID, Stream: a.Stream, Type: m.Type, Position: version, GlobalPosition: p.next,
				Data: m.Data, Metadata: m.Metadata, Time: time.UnixMicro(p.now),
			},
			category: category,
			hash:     hash,
		}
		if c := stream.CorrelationCategory(m.Metadata); c != "" {
			row.correlation = &c
		}
		p.rows = append(p.rows, row)
		planned := row.msg // a copy: p.rows may move when it grows
		p.known[m.ID] = &planned
		p.next++
	}
	p.versions[a.Stream] = version
	row, ok := p.streams[a.Stream]
	if !ok {
		row = &streamRow{name: a.Stream, category: category}
		p.streams[a.Stream] = row
	}
	row.version, row.time = version, p.now
	row.added += int64(len(a.Messages))
	return res, nil
}

// retried recognises an append whose message ids are already stored. When all
// are stored with the same content it is a retry of a write that succeeded and
// gets the original result; any other overlap is a duplicate id.
func (p *plan) retried(a stream.Append) (stream.Appended, bool, error) {
	var stored []*stream.Message
	for _, m := range a.Messages {
		old, ok := p.known[m.ID]
		if !ok {
			continue
		}
		if !old.SameContent(a.Stream, m) {
			return stream.Appended{}, false, &stream.DuplicateIDError{ID: m.ID}
		}
		stored = append(stored, old)
	}
	switch len(stored) {
	case 0:
		return stream.Appended{}, false, nil
	case len(a.Messages):
		return stream.Appended{Position: stored[0].Position, GlobalPosition: stored[0].GlobalPosition, Count: len(stored)}, true, nil
	default: // part of the write exists: not a retry of this write
		return stream.Appended{}, false, &stream.DuplicateIDError{ID: stored[0].ID}
	}
}

// writeRows inserts the planned messages and updates their streams' rows with
// one round trip: the statements go to the database together.
func writeRows(ctx context.Context, tx bun.Tx, ns *Namespace, p *plan) error {
	if len(p.rows) == 0 {
		return nil
	}
	var b strings.Builder
	args := buildInserts(&b, make([]any, 0, len(p.rows)*11+len(p.streams)*4), ns, p.rows)
	b.WriteString("INSERT INTO " + ns.Streams + " AS s (name, category, version, last_time, message_count) VALUES ")
	i := 0
	for _, r := range p.streams {
		if i > 0 {
			b.WriteByte(',')
		}
		i++
		b.WriteString("(?,?,?,?,?)")
		args = append(args, r.name, r.category, r.version, r.time, r.added)
	}
	b.WriteString(" ON CONFLICT (name) DO UPDATE SET version = excluded.version, last_time = excluded.last_time," +
		" message_count = s.message_count + excluded.message_count")
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}

// insertMessages inserts rows as they are (positions included).
func insertMessages(ctx context.Context, tx bun.Tx, ns *Namespace, rows []messageRow) error {
	if len(rows) == 0 {
		return nil
	}
	var b strings.Builder
	args := buildInserts(&b, make([]any, 0, len(rows)*11), ns, rows)
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}

// buildInserts writes INSERT statements for rows, chunk rows each and every
// one ended by ';', to b and returns args with their arguments appended.
func buildInserts(b *strings.Builder, args []any, ns *Namespace, rows []messageRow) []any {
	for start := 0; start < len(rows); start += chunk {
		b.WriteString("INSERT INTO " + ns.Messages +
			" (global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation) VALUES ")
		for i, r := range rows[start:min(start+chunk, len(rows))] {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString("(?,?,?,?,?,?,?,?,?,?,?)")
			var meta *string
			if r.msg.Metadata != nil {
				m := string(r.msg.Metadata)
				meta = &m
			}
			args = append(args, r.msg.GlobalPosition, r.msg.Position, r.msg.Stream, r.category, r.msg.Type,
				r.msg.ID, string(r.msg.Data), meta, r.msg.Time.UnixMicro(), r.hash, r.correlation)
		}
		b.WriteString(";\n")
	}
	return args
}
