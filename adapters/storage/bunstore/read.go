package bunstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

const messageColumns = "id, stream_name, type, position, global_position, data, metadata, time"

// positionColumns are messageColumns without the payload, for reads that
// need positions only (subscriptions): data and metadata are never loaded.
// Nor is time: SQLite stores it after data, and reading it would walk a large
// message's overflow pages.
const positionColumns = "id, stream_name, type, position, global_position, '', NULL, 0"

// columns selects what a read of shape sh loads.
func columns(sh ports.ReadShape) string {
	if sh.PositionsOnly {
		return positionColumns
	}
	return messageColumns
}

var (
	_ ports.AllReader = (*Store)(nil)
	_ ports.Scanner   = (*Store)(nil)
)

// ReadStream uses the unique (stream_name, position) index.
func (s *Store) ReadStream(ctx context.Context, ns string, q ports.StreamQuery) ([]stream.Message, error) {
	return collect(q.Limit, func(visit func(*stream.Message) error) (ports.Scanned, error) {
		return s.ScanStream(ctx, ns, q, visit)
	})
}

// ScanStream is ReadStream handing each message to visit as it is read.
func (s *Store) ScanStream(ctx context.Context, ns string, q ports.StreamQuery, visit func(*stream.Message) error) (ports.Scanned, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return ports.Scanned{}, err
	}
	defer h.release()
	key := "stream" + shapeKey(q.ReadShape)
	args := []any{q.Stream, q.Position}
	if q.GlobalPosition > 0 {
		key += "+global"
		args = append(args, q.GlobalPosition)
	}
	text := h.writer.q.text(key, func() string {
		query := "SELECT " + columns(q.ReadShape) + " FROM " + h.ns.Messages + " WHERE stream_name = ? AND position >= ?"
		if q.GlobalPosition > 0 {
			query += " AND global_position >= ?"
		}
		return query + " ORDER BY position LIMIT ?"
	})
	return s.scan(ctx, h, q.MaxBytes, visit, text, append(args, q.Limit)...)
}

// ReadCategory uses the (category, global_position) index; the correlation and
// consumer-group conditions filter rows of that range.
func (s *Store) ReadCategory(ctx context.Context, ns string, q ports.CategoryQuery) ([]stream.Message, error) {
	return collect(q.Limit, func(visit func(*stream.Message) error) (ports.Scanned, error) {
		return s.ScanCategory(ctx, ns, q, visit)
	})
}

// ScanCategory is ReadCategory handing each message to visit as it is read.
func (s *Store) ScanCategory(ctx context.Context, ns string, q ports.CategoryQuery, visit func(*stream.Message) error) (ports.Scanned, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return ports.Scanned{}, err
	}
	defer h.release()
	key := "category" + shapeKey(q.ReadShape)
	args := []any{q.Category, q.GlobalPosition}
	if q.Correlation != "" {
		key += "+correlation"
		args = append(args, q.Correlation)
	}
	if q.Group != nil {
		key += "+group"
		args = append(args, q.Group.Size, q.Group.Member)
	}
	text := h.writer.q.text(key, func() string { return CategoryReadSQL(h.ns.Messages, q, h.writer.q.dollar) })
	return s.scan(ctx, h, q.MaxBytes, visit, text, append(args, q.Limit)...)
}

// CategoryReadSQL is ScanCategory's query for q's filters and shape, for
// PostgreSQL ($n parameters) or SQLite (?). Its parameters: category,
// global position, then the correlation and the group's size and member
// when q has them, then the limit. Exported for the backends' plan tests.
//
// Plainly written (category = ? AND global_position >= ? ORDER BY
// global_position), a planner that cannot tell how small the category is
// may walk the primary key in order and filter, which costs nothing for a
// large category and reads the whole namespace for a small one (57 ms on
// 70,000 messages, against 0.04 ms on the index). PostgreSQL's generic plans
// (see Backend.StatementArgs) are made without the category, and SQLite's
// plans after an ANALYZE chose that walk. So the query names its index:
// SQLite's INDEXED BY does so directly. PostgreSQL has no hints: there no
// equality fixes the index's leading column, so the ORDER BY keeps it and
// only the index has that order; the row comparison starts the scan at
// (category, position) and the upper bound ends it with the category, the
// same rows as the plain form (collations are deterministic). With a
// correlation, the category is fixed and the same is done with the
// correlation index's next column.
func CategoryReadSQL(messages string, q ports.CategoryQuery, postgres bool) string {
	var b strings.Builder
	b.WriteString("SELECT " + columns(q.ReadShape) + " FROM " + messages)
	if !postgres {
		if q.Correlation != "" {
			b.WriteString(" INDEXED BY messages_correlation WHERE category = ? AND global_position >= ? AND correlation = ?")
		} else {
			b.WriteString(" INDEXED BY messages_category WHERE category = ? AND global_position >= ?")
		}
		if q.Group != nil {
			// Same as partition.MemberOf: abs(hash mod size) == abs(hash) mod size,
			// without overflowing on the smallest int64.
			b.WriteString(" AND ABS(partition_hash % ?) = ?")
		}
		b.WriteString(" ORDER BY global_position LIMIT ?")
		return b.String()
	}
	next := 3 // the next parameter's number
	order := " ORDER BY category, global_position"
	if q.Correlation == "" {
		b.WriteString(" WHERE (category, global_position) >= ($1, $2) AND category <= $1")
	} else {
		b.WriteString(" WHERE category = $1 AND (correlation, global_position) >= ($3, $2) AND correlation <= $3")
		order = " ORDER BY correlation, global_position"
		next = 4
	}
	if q.Group != nil {
		fmt.Fprintf(&b, " AND ABS(partition_hash %% $%d) = $%d", next, next+1)
		next += 2
	}
	fmt.Fprintf(&b, "%s LIMIT $%d", order, next)
	return b.String()
}

// ReadAll is a range scan of the primary key, global_position.
func (s *Store) ReadAll(ctx context.Context, ns string, q ports.AllQuery) ([]stream.Message, error) {
	return collect(q.Limit, func(visit func(*stream.Message) error) (ports.Scanned, error) {
		h, err := s.namespace(ctx, ns)
		if err != nil {
			return ports.Scanned{}, err
		}
		defer h.release()
		text := h.writer.q.text("all"+shapeKey(q.ReadShape), func() string {
			return "SELECT " + columns(q.ReadShape) + " FROM " + h.ns.Messages + " WHERE global_position >= ? ORDER BY global_position LIMIT ?"
		})
		return s.scan(ctx, h, q.MaxBytes, visit, text, q.GlobalPosition, q.Limit)
	})
}

// LastGlobalPosition reads the end of the primary key, global_position.
func (s *Store) LastGlobalPosition(ctx context.Context, ns string) (int64, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return 0, err
	}
	defer h.release()
	var last int64
	err = h.ns.Reader.DB.QueryRowContext(s.sqlCtx(ctx), h.writer.q.maxGlobal, h.writer.q.args()...).Scan(&last)
	if err != nil {
		return 0, s.fail(h.ns, err)
	}
	return last, nil
}

// Last uses the (stream_name, position) index backwards.
func (s *Store) Last(ctx context.Context, ns, streamName, msgType string) (*stream.Message, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	key, args := "last", []any{streamName}
	if msgType != "" {
		key, args = "last+type", append(args, msgType)
	}
	text := h.writer.q.text(key, func() string {
		query := "SELECT " + messageColumns + " FROM " + h.ns.Messages + " WHERE stream_name = ?"
		if msgType != "" {
			query += " AND type = ?"
		}
		return query + " ORDER BY position DESC LIMIT 1"
	})
	msgs, err := collect(1, func(visit func(*stream.Message) error) (ports.Scanned, error) {
		return s.scan(ctx, h, 0, visit, text, args...)
	})
	if err != nil || len(msgs) == 0 {
		return nil, err
	}
	return &msgs[0], nil
}

// Version reads the streams table, which the append transaction keeps current.
func (s *Store) Version(ctx context.Context, ns, streamName string) (int64, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return 0, err
	}
	defer h.release()
	var v int64
	err = h.ns.Reader.DB.QueryRowContext(s.sqlCtx(ctx), h.writer.q.version, h.writer.q.args(streamName)...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return stream.NoStream, nil
	}
	if err != nil {
		return 0, s.fail(h.ns, err)
	}
	return v, nil
}

// shapeKey names a read shape in query cache keys.
func shapeKey(sh ports.ReadShape) string {
	if sh.PositionsOnly {
		return "+positions"
	}
	return ""
}

// scan runs query and hands each row to visit, stopping after the row that
// brings the payload read to maxBytes or more (0: no bound), so a read of
// large messages holds about maxBytes, whatever its row limit. The message's
// Data and Metadata point into the driver's buffer: valid only during visit.
func (s *Store) scan(ctx context.Context, h *handle, maxBytes int, visit func(*stream.Message) error, query string, args ...any) (ports.Scanned, error) {
	rows, err := h.ns.Reader.DB.QueryContext(s.sqlCtx(ctx), query, h.writer.q.args(args...)...)
	if err != nil {
		return ports.Scanned{}, s.fail(h.ns, err)
	}
	defer rows.Close()
	var out ports.Scanned
	var m stream.Message
	var data, meta sql.RawBytes
	var t int64
	for (maxBytes <= 0 || out.Bytes < maxBytes) && rows.Next() {
		if err := rows.Scan(&m.ID, &m.Stream, &m.Type, &m.Position, &m.GlobalPosition, &data, &meta, &t); err != nil {
			return out, s.fail(h.ns, err)
		}
		m.Data, m.Metadata = data, nil
		if meta != nil {
			m.Metadata = meta
		}
		m.Time = time.UnixMicro(t).UTC()
		out.Count++
		out.Bytes += ports.PayloadBytes(&m)
		if err := visit(&m); err != nil {
			return out, err
		}
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return out, s.fail(h.ns, err)
	}
	return out, nil
}

// collect gathers a scan's messages as copies that outlive it.
func collect(sizeHint int, scan func(visit func(*stream.Message) error) (ports.Scanned, error)) ([]stream.Message, error) {
	out := make([]stream.Message, 0, min(max(sizeHint, 0), 1024))
	_, err := scan(func(m *stream.Message) error {
		c := *m
		c.Data = bytes.Clone(m.Data)
		if m.Metadata != nil {
			c.Metadata = bytes.Clone(m.Metadata)
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
