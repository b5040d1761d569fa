package messagedb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
)

// Pages hands an export's messages to page in ascending global position, a
// bounded page at a time (transfer.Source's Export with its query bound).
type Pages func(ctx context.Context, page func([]stream.Message) error) error

// ExportSummary is what an export wrote.
type ExportSummary struct {
	Exported  int64  `json:"exported"`
	FirstGPos int64  `json:"firstGlobalPosition"` // 0 when nothing was exported
	LastGPos  int64  `json:"lastGlobalPosition"`
	Elapsed   string `json:"elapsed"`
}

// String is the summary as one line for people.
func (s ExportSummary) String() string {
	if s.Exported == 0 {
		return "exported no messages in " + s.Elapsed
	}
	return fmt.Sprintf("exported %d messages (global positions %d to %d) in %s", s.Exported, s.FirstGPos, s.LastGPos, s.Elapsed)
}

// columns of the messages table, in the order Export copies them.
var copyColumns = []string{"global_position", "position", "time", "stream_name", "type", "data", "metadata", "id"}

// Export writes the messages of pages into t on conn, creating t (schema,
// table, indexes) when it is missing, keeping every id, position, global
// position and time. It runs in one transaction: a message whose global
// position, stream position or id the table already holds stops it with
// nothing written. Afterwards t's global_position sequence continues past
// the highest global position, so Message DB's own writes follow on.
func Export(ctx context.Context, conn *pgx.Conn, t Table, pages Pages, progress func(interchange.Progress)) (ExportSummary, error) {
	start := time.Now()
	var sum ExportSummary
	tx, err := conn.Begin(ctx)
	if err != nil {
		return sum, err
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := t.Create(ctx, tx); err != nil {
		return sum, err
	}
	ident := pgx.Identifier{t.schema(), "messages"}
	err = pages(ctx, func(msgs []stream.Message) error {
		if len(msgs) == 0 {
			return nil
		}
		_, err := tx.CopyFrom(ctx, ident, copyColumns, pgx.CopyFromSlice(len(msgs), func(i int) ([]any, error) {
			m := &msgs[i]
			var meta any // SQL NULL
			if m.Metadata != nil {
				meta = string(m.Metadata)
			}
			return []any{m.GlobalPosition, m.Position, m.Time.UTC(), m.Stream, m.Type, string(m.Data), meta, m.ID}, nil
		}))
		if err != nil {
			return t.collision(err)
		}
		if sum.Exported == 0 {
			sum.FirstGPos = msgs[0].GlobalPosition
		}
		sum.Exported += int64(len(msgs))
		sum.LastGPos = msgs[len(msgs)-1].GlobalPosition
		if progress != nil {
			progress(interchange.Progress{Imported: sum.Exported, GPos: sum.LastGPos})
		}
		return nil
	})
	if err != nil {
		return sum, err
	}
	if err := t.advanceSequence(ctx, tx); err != nil {
		return sum, err
	}
	if err := tx.Commit(ctx); err != nil {
		return sum, err
	}
	sum.Elapsed = elapsed(time.Since(start))
	return sum, nil
}

// collision explains a unique violation: the table already holds one of the
// exported messages' global positions, stream positions or ids.
func (t Table) collision(err error) error {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "23505" {
		return fmt.Errorf("write %s: %w", t, err)
	}
	return fmt.Errorf("%s already holds a message this export would write (%s); nothing was written: "+
		"export into an empty table, or select messages it does not hold (--from-gpos, --categories): %w",
		t, pgErr.Detail, err)
}

// advanceSequence moves the global_position sequence past the highest global
// position, when it is not already: Message DB's write_message takes the next
// value of the sequence, which would otherwise collide with exported rows.
// A hand-made table without a sequence is left alone.
func (t Table) advanceSequence(ctx context.Context, tx pgx.Tx) error {
	var seq *string
	if err := tx.QueryRow(ctx, `SELECT pg_get_serial_sequence($1, 'global_position')`, t.Name()).Scan(&seq); err != nil {
		return fmt.Errorf("find the sequence of %s: %w", t, err)
	}
	if seq == nil {
		return nil
	}
	// The next value is last_value+1 once the sequence was called, last_value
	// before; it must end up above the highest global position.
	_, err := tx.Exec(ctx, `SELECT setval($1::regclass, m)
		FROM (SELECT max(global_position) AS m FROM `+t.Name()+`) AS top, `+*seq+` AS s
		WHERE m IS NOT NULL AND (m > s.last_value OR (m = s.last_value AND NOT s.is_called))`, *seq)
	if err != nil {
		return fmt.Errorf("advance the sequence of %s: %w", t, err)
	}
	return nil
}
