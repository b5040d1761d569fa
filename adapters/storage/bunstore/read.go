package bunstore

import (
	"context"
	"database/sql"
	"errors"
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

var _ ports.AllReader = (*Store)(nil)

// ReadStream uses the unique (stream_name, position) index.
func (s *Store) ReadStream(ctx context.Context, ns string, q ports.StreamQuery) ([]stream.Message, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	query := "SELECT " + columns(q.ReadShape) + " FROM " + h.ns.Messages + " WHERE stream_name = ? AND position >= ?"
	args := []any{q.Stream, q.Position}
	if q.GlobalPosition > 0 {
		query += " AND global_position >= ?"
		args = append(args, q.GlobalPosition)
	}
	query += " ORDER BY position LIMIT ?"
	args = append(args, q.Limit)
	return s.query(ctx, h, q.Limit, q.MaxBytes, query, args...)
}

// ReadCategory uses the (category, global_position) index; the correlation and
// consumer-group conditions filter rows of that range.
func (s *Store) ReadCategory(ctx context.Context, ns string, q ports.CategoryQuery) ([]stream.Message, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	var b strings.Builder
	b.WriteString("SELECT " + columns(q.ReadShape) + " FROM " + h.ns.Messages + " WHERE category = ? AND global_position >= ?")
	args := []any{q.Category, q.GlobalPosition}
	if q.Correlation != "" {
		b.WriteString(" AND correlation = ?")
		args = append(args, q.Correlation)
	}
	if q.Group != nil {
		// Same as partition.MemberOf: abs(hash mod size) == abs(hash) mod size,
		// without overflowing on the smallest int64.
		b.WriteString(" AND ABS(partition_hash % ?) = ?")
		args = append(args, q.Group.Size, q.Group.Member)
	}
	b.WriteString(" ORDER BY global_position LIMIT ?")
	args = append(args, q.Limit)
	return s.query(ctx, h, q.Limit, q.MaxBytes, b.String(), args...)
}

// LastGlobalPosition reads the end of the primary key, global_position.
func (s *Store) LastGlobalPosition(ctx context.Context, ns string) (int64, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return 0, err
	}
	defer h.release()
	var last int64
	err = h.ns.Reader.QueryRowContext(ctx, "SELECT COALESCE(MAX(global_position), 0) FROM "+h.ns.Messages).Scan(&last)
	if err != nil {
		return 0, s.fail(h.ns, err)
	}
	return last, nil
}

// ReadAll is a range scan of the primary key, global_position.
func (s *Store) ReadAll(ctx context.Context, ns string, q ports.AllQuery) ([]stream.Message, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	query := "SELECT " + columns(q.ReadShape) + " FROM " + h.ns.Messages + " WHERE global_position >= ? ORDER BY global_position LIMIT ?"
	return s.query(ctx, h, q.Limit, q.MaxBytes, query, q.GlobalPosition, q.Limit)
}

// Last uses the (stream_name, position) index backwards.
func (s *Store) Last(ctx context.Context, ns, streamName, msgType string) (*stream.Message, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	query := "SELECT " + messageColumns + " FROM " + h.ns.Messages + " WHERE stream_name = ?"
	args := []any{streamName}
	if msgType != "" {
		query += " AND type = ?"
		args = append(args, msgType)
	}
	query += " ORDER BY position DESC LIMIT 1"
	msgs, err := s.query(ctx, h, 1, 0, query, args...)
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
	err = h.ns.Reader.QueryRowContext(ctx, "SELECT version FROM "+h.ns.Streams+" WHERE name = ?", streamName).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return stream.NoStream, nil
	}
	if err != nil {
		return 0, s.fail(h.ns, err)
	}
	return v, nil
}

func (s *Store) query(ctx context.Context, h *handle, sizeHint, maxBytes int, query string, args ...any) ([]stream.Message, error) {
	rows, err := h.ns.Reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(h.ns, err)
	}
	msgs, err := scanMessages(rows, sizeHint, maxBytes)
	if err != nil {
		return nil, s.fail(h.ns, err)
	}
	return msgs, nil
}

// scanMessages reads rows of messageColumns and closes them, stopping after
// the row that brings the payload read to maxBytes or more (0: no bound), so
// a read of large messages holds about maxBytes, whatever its row limit.
func scanMessages(rows *sql.Rows, sizeHint, maxBytes int) ([]stream.Message, error) {
	defer rows.Close()
	out := make([]stream.Message, 0, min(max(sizeHint, 0), 1024))
	size := 0
	for (maxBytes <= 0 || size < maxBytes) && rows.Next() {
		var m stream.Message
		var data string
		var meta sql.NullString
		var t int64
		if err := rows.Scan(&m.ID, &m.Stream, &m.Type, &m.Position, &m.GlobalPosition, &data, &meta, &t); err != nil {
			return nil, err
		}
		m.Data = []byte(data)
		if meta.Valid {
			m.Metadata = []byte(meta.String)
		}
		m.Time = time.UnixMicro(t).UTC()
		out = append(out, m)
		size += ports.PayloadBytes(&m)
	}
	return out, errors.Join(rows.Err(), rows.Close())
}
