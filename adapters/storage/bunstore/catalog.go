package bunstore

import (
	"context"
	"time"

	"github.com/eventodb/eventodb/ports"
)

// ListStreams pages through the streams table by name (its primary key).
func (s *Store) ListStreams(ctx context.Context, ns string, q ports.StreamListQuery) ([]ports.StreamInfo, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	query, args := streamsPageQuery(h.ns.Streams, q)
	rows, err := h.ns.Reader.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(h.ns, err)
	}
	defer rows.Close()
	out := []ports.StreamInfo{}
	for rows.Next() {
		var si ports.StreamInfo
		var t int64
		if err := rows.Scan(&si.Stream, &si.Version, &t); err != nil {
			return nil, s.fail(h.ns, err)
		}
		si.LastActivity = time.UnixMicro(t).UTC()
		out = append(out, si)
	}
	return out, s.fail(h.ns, rows.Err())
}

// streamsPageQuery is the query of one page of stream names. It has one
// lower bound, the tighter of the cursor and the prefix: SQLite's planner
// bounds the key's range by the first one it sees, so with both it could
// scan every name below the prefix. A range instead of LIKE: no escaping of
// % and _, and it uses the key.
func streamsPageQuery(table string, q ports.StreamListQuery) (string, []any) {
	query := "SELECT name, version, last_time FROM " + table
	var args []any
	if q.Prefix != "" && q.After < q.Prefix {
		query += " WHERE name >= ?"
		args = append(args, q.Prefix)
	} else {
		query += " WHERE name > ?"
		args = append(args, q.After)
	}
	if q.Prefix != "" {
		query += " AND name < ?"
		args = append(args, q.Prefix+"\U0010FFFF")
	}
	return query + " ORDER BY name LIMIT ?", append(args, q.Limit)
}

// Categories aggregates the streams table: one row per stream, so this costs
// the number of streams, not messages.
func (s *Store) Categories(ctx context.Context, ns string) ([]ports.CategoryInfo, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return nil, err
	}
	defer h.release()
	rows, err := h.ns.Reader.QueryContext(ctx,
		"SELECT category, COUNT(*), SUM(message_count) FROM "+h.ns.Streams+" GROUP BY category ORDER BY category")
	if err != nil {
		return nil, s.fail(h.ns, err)
	}
	defer rows.Close()
	out := []ports.CategoryInfo{}
	for rows.Next() {
		var c ports.CategoryInfo
		if err := rows.Scan(&c.Category, &c.StreamCount, &c.MessageCount); err != nil {
			return nil, s.fail(h.ns, err)
		}
		out = append(out, c)
	}
	return out, s.fail(h.ns, rows.Err())
}

// Stats sums the streams table.
func (s *Store) Stats(ctx context.Context, ns string) (ports.NamespaceStats, error) {
	h, err := s.namespace(ctx, ns)
	if err != nil {
		return ports.NamespaceStats{}, err
	}
	defer h.release()
	var st ports.NamespaceStats
	var last *int64
	err = h.ns.Reader.QueryRowContext(ctx,
		"SELECT COUNT(*), COALESCE(SUM(message_count), 0), MAX(last_time) FROM "+h.ns.Streams).
		Scan(&st.StreamCount, &st.MessageCount, &last)
	if err != nil {
		return st, s.fail(h.ns, err)
	}
	if last != nil {
		t := time.UnixMicro(*last).UTC()
		st.LastActivity = &t
	}
	return st, nil
}
