package messagedb

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Query selects the rows an import reads.
type Query struct {
	Table      Table
	Categories []string // only streams of these categories; none: every stream
	FromGPos   int64    // only global positions >= FromGPos
}

// DefaultFetchSize is how many rows one FETCH reads.
const DefaultFetchSize = 1000

// Cursor reads a messages table in ascending global position through a
// server-side cursor, FetchSize rows at a time, so memory does not grow with
// the table. The rows are those of one snapshot: a read-only repeatable-read
// transaction, so messages Message DB writes meanwhile are left for a rerun
// with --from-gpos. Not safe for concurrent use.
type Cursor struct {
	tx    pgx.Tx
	fetch string
}

// cursorName names the cursor within its transaction.
const cursorName = "eventodb_import"

// OpenCursor declares the cursor of q on conn. fetchSize 0 is
// DefaultFetchSize. Close releases it.
func OpenCursor(ctx context.Context, conn *pgx.Conn, q Query, fetchSize int) (*Cursor, error) {
	if fetchSize <= 0 {
		fetchSize = DefaultFetchSize
	}
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", q.Table, err)
	}
	// Ordered by the primary key, so PostgreSQL walks its index and starts
	// answering at once. The category is split_part, as Message DB's
	// category() computes it, so its function need not be installed.
	sql := `DECLARE ` + cursorName + ` NO SCROLL CURSOR FOR
		SELECT global_position, position, time, stream_name, type, data::text, metadata::text, id::text
		FROM ` + q.Table.Name() + `
		WHERE global_position >= $1 AND (cardinality($2::text[]) = 0 OR split_part(stream_name, '-', 1) = ANY($2))
		ORDER BY global_position`
	cats := q.Categories
	if cats == nil {
		cats = []string{}
	}
	if _, err := tx.Exec(ctx, sql, q.FromGPos, cats); err != nil {
		_ = tx.Rollback(ctx)
		return nil, fmt.Errorf("read %s: %w", q.Table, q.Table.missing(err))
	}
	return &Cursor{tx: tx, fetch: fmt.Sprintf("FETCH FORWARD %d FROM %s", fetchSize, cursorName)}, nil
}

// Next reads the next rows into buf (reusing its memory) and returns them;
// no rows means the end.
func (c *Cursor) Next(ctx context.Context, buf []Row) ([]Row, error) {
	buf = buf[:0]
	rows, err := c.tx.Query(ctx, c.fetch)
	if err != nil {
		return nil, err
	}
	var r Row
	_, err = pgx.ForEachRow(rows, []any{&r.GlobalPosition, &r.Position, &r.Time, &r.Stream, &r.Type, &r.Data, &r.Metadata, &r.ID},
		func() error {
			buf = append(buf, r)
			r.Data, r.Metadata = nil, nil // the next row scans into fresh slices
			return nil
		})
	if err != nil {
		return nil, err
	}
	return buf, nil
}

// Close ends the cursor's transaction. It wrote nothing, so ending it
// either way is the same.
func (c *Cursor) Close(ctx context.Context) error {
	err := c.tx.Rollback(ctx)
	if errors.Is(err, pgx.ErrTxClosed) {
		return nil
	}
	return err
}
