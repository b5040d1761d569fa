package bunstore

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
)

// queries are the SQL texts of one namespace's hot paths. They are fixed
// texts with bound parameters, sent through database/sql rather than bun's
// formatter, so the drivers prepare each once per connection and reuse it
// (go-sqlite3's statement cache, pgx's automatic statement cache).
type queries struct {
	dollar bool  // PostgreSQL's $n parameters instead of ?
	lead   []any // Backend.StatementArgs
	ns     *Namespace

	maxGlobal string
	version   string
	lookupIDq string

	mu      sync.Mutex
	inserts map[int]string    // rows -> INSERT text
	upserts map[int]string    // streams -> upsert text
	reads   map[string]string // read variant -> text
}

// insertChunk bounds the rows of one INSERT: 11 parameters each stays far
// below both databases' parameter limits.
const insertChunk = 100

func newQueries(ns *Namespace, dollar bool, lead []any) *queries {
	q := &queries{dollar: dollar, lead: lead, ns: ns, inserts: map[int]string{}, upserts: map[int]string{}, reads: map[string]string{}}
	q.maxGlobal = "SELECT COALESCE(MAX(global_position), 0) FROM " + ns.Messages
	q.version = q.bind("SELECT version FROM " + ns.Streams + " WHERE name = ?")
	q.lookupIDq = q.bind("SELECT id, stream_name, type, position, global_position, data FROM " + ns.Messages + " WHERE id = ?")
	return q
}

// args are a fixed statement's arguments: the backend's leading ones, then params.
func (q *queries) args(params ...any) []any {
	if len(q.lead) == 0 {
		return params
	}
	return append(slices.Clip(q.lead), params...)
}

// bind numbers the ? parameters of query for PostgreSQL.
func (q *queries) bind(query string) string {
	if !q.dollar {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// text is the read query named key, built with ? parameters by build the
// first time it is asked for. Keys name a fixed set of variants.
func (q *queries) text(key string, build func() string) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	text, ok := q.reads[key]
	if !ok {
		text = q.bind(build())
		q.reads[key] = text
	}
	return text
}

// lookupID is the stored message with id, or nil.
func (q *queries) lookupID(ctx context.Context, tx *sql.Tx, id string) (*stream.Message, error) {
	var m stream.Message
	var data string
	err := tx.QueryRowContext(ctx, q.lookupIDq, q.args(id)...).Scan(&m.ID, &m.Stream, &m.Type, &m.Position, &m.GlobalPosition, &data)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	m.Data = []byte(data)
	return &m, nil
}

// insertText is the INSERT of n message rows.
func (q *queries) insertText(n int) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if text, ok := q.inserts[n]; ok {
		return text
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + q.ns.Messages + " (" + MessageColumns + ") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?)")
	}
	text := q.bind(b.String())
	q.inserts[n] = text
	return text
}

// insertRows inserts rows as they are, positions included.
func (q *queries) insertRows(ctx context.Context, tx *sql.Tx, rows []planner.Row) error {
	for start := 0; start < len(rows); start += insertChunk {
		chunk := rows[start:min(start+insertChunk, len(rows))]
		if _, err := tx.ExecContext(ctx, q.insertText(len(chunk)), RowArgs(chunk)...); err != nil {
			return err
		}
	}
	return nil
}

// MessageColumns are a message row's columns, in RowArgs's order.
const MessageColumns = "global_position, position, stream_name, category, type, id, data, metadata, time, partition_hash, correlation"

// RowArgs are rows' values in MessageColumns order, one row after another.
func RowArgs(rows []planner.Row) []any {
	args := make([]any, 0, len(rows)*11)
	for i := range rows {
		r, m := &rows[i], &rows[i].Message
		var meta, corr any // NULL unless set
		if m.Metadata != nil {
			meta = string(m.Metadata)
		}
		if r.Correlation != "" {
			corr = r.Correlation
		}
		args = append(args, m.GlobalPosition, m.Position, m.Stream, r.Category, m.Type,
			m.ID, string(m.Data), meta, m.Time.UnixMicro(), r.Hash, corr)
	}
	return args
}

// upsertText records n streams' new versions, adding to their counts.
func (q *queries) upsertText(n int) string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if text, ok := q.upserts[n]; ok {
		return text
	}
	var b strings.Builder
	b.WriteString("INSERT INTO " + q.ns.Streams + " AS s (name, category, version, last_time, message_count) VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?)")
	}
	b.WriteString(" ON CONFLICT (name) DO UPDATE SET version = excluded.version, last_time = excluded.last_time," +
		" message_count = s.message_count + excluded.message_count")
	text := q.bind(b.String())
	q.upserts[n] = text
	return text
}

// upsertStreams moves the streams' rows to what the plan wrote.
func (q *queries) upsertStreams(ctx context.Context, tx *sql.Tx, streams []*planner.StreamRow) error {
	for start := 0; start < len(streams); start += insertChunk {
		chunk := streams[start:min(start+insertChunk, len(streams))]
		args := make([]any, 0, len(chunk)*5)
		for _, s := range chunk {
			args = append(args, s.Name, s.Category, s.Version, s.Time.UnixMicro(), s.Added)
		}
		if _, err := tx.ExecContext(ctx, q.upsertText(len(chunk)), args...); err != nil {
			return err
		}
	}
	return nil
}
