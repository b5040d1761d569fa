package bunstore

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
)

// chunk bounds the rows or keys in one statement.
const chunk = 500

// Append hands a to the namespace's writer and waits until it is durable.
func (s *Store) Append(ctx context.Context, ns string, a stream.Append) (stream.Appended, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return stream.Appended{}, err
	}
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
		if err := insertMessages(ctx, tx, ns, p.rows); err != nil {
			return err
		}
		return upsertStreams(ctx, tx, ns, p.streams)
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
	if err := p.loadKnown(ctx, tx, ns, ids); err != nil {
		return nil, err
	}
	if err := p.loadVersions(ctx, tx, ns, names); err != nil {
		return nil, err
	}
	// The append lock is held, so max+1 is the next position for every node.
	err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(global_position), 0) + 1 FROM "+ns.Messages).Scan(&p.next)
	return p, err
}

func (p *plan) loadKnown(ctx context.Context, tx bun.Tx, ns *Namespace, ids []string) error {
	for start := 0; start < len(ids); start += chunk {
		part := ids[start:min(start+chunk, len(ids))]
		rows, err := tx.QueryContext(ctx,
			"SELECT "+messageColumns+" FROM "+ns.Messages+" WHERE id IN (?)", bun.List(part))
		if err != nil {
			return err
		}
		msgs, err := scanMessages(rows, 0)
		if err != nil {
			return err
		}
		for i := range msgs {
			p.known[msgs[i].ID] = &msgs[i]
		}
	}
	return nil
}

func (p *plan) loadVersions(ctx context.Context, tx bun.Tx, ns *Namespace, names []string) error {
	for _, name := range names {
		p.versions[name] = stream.NoStream
	}
	for start := 0; start < len(names); start += chunk {
		part := names[start:min(start+chunk, len(names))]
		rows, err := tx.QueryContext(ctx, "SELECT name, version FROM "+ns.Streams+" WHERE name IN (?)", bun.List(part))
		if err != nil {
			return err
		}
		for rows.Next() {
			var name string
			var v int64
			if err := rows.Scan(&name, &v); err != nil {
				rows.Close()
				return err
			}
			p.versions[name] = v
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
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
		p.known[m.ID] = &p.rows[len(p.rows)-1].msg
		p.next++
	}
	p.versions[a.Stream] = version
	p.streams[a.Stream] = &streamRow{name: a.Stream, category: category, version: version, time: p.now}
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

func insertMessages(ctx context.Context, tx bun.Tx, ns *Namespace, rows []messageRow) error {
	for start := 0; start < len(rows); start += chunk {
		part := rows[start:min(start+chunk, len(rows))]
		var b strings.Builder
		b.WriteString("INSERT INTO " + ns.Messages +
			" (global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation) VALUES ")
		args := make([]any, 0, len(part)*11)
		for i, r := range part {
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
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

func upsertStreams(ctx context.Context, tx bun.Tx, ns *Namespace, streams map[string]*streamRow) error {
	if len(streams) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + ns.Streams + " (name, category, version, last_time) VALUES ")
	args := make([]any, 0, len(streams)*4)
	i := 0
	for _, r := range streams {
		if i > 0 {
			b.WriteByte(',')
		}
		i++
		b.WriteString("(?,?,?,?)")
		args = append(args, r.name, r.category, r.version, r.time)
	}
	b.WriteString(" ON CONFLICT (name) DO UPDATE SET version = excluded.version, last_time = excluded.last_time")
	_, err := tx.ExecContext(ctx, b.String(), args...)
	return err
}
