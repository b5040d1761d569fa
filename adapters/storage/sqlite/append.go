package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/mattn/go-sqlite3"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/domain/planner"
)

var _ bunstore.OneTripAppender = (*backend)(nil)

// appendChunk bounds the rows of one INSERT into append_rows: 11 parameters
// each stays far below SQLite's limit, and the statement cache keeps one
// text per batch size up to it.
const appendChunk = 64

// AppendIf writes rows through the append_rows view, whose trigger inserts
// each message and moves its stream's row after checking that the message
// takes the next global position and its stream's next version. A batch of up
// to appendChunk rows is one autocommit statement: SQLite takes the write
// lock at its start and commits (durably) at its end, so the append costs
// neither BEGIN nor COMMIT statements. Larger batches run their chunks in
// one transaction.
//
// The trigger checks the rows, not cond: the files have one owner, this
// store (owner.go), so the writer's memory, which cond comes from, is the
// truth; appends it refuses from memory write nothing and need no check. The
// row checks keep a wrong plan from leaving a gap in positions, should memory
// ever be wrong. A check that fails, or an id that is already stored, aborts
// the statement: held is false and nothing is written.
func (b *backend) AppendIf(ctx context.Context, ns *bunstore.Namespace, _ bunstore.AppendCondition, rows []planner.Row, _ []*planner.StreamRow) (bool, error) {
	var err error
	switch {
	case len(rows) == 0: // every append of the batch was refused: nothing to write
		return true, nil
	case len(rows) <= appendChunk:
		_, err = ns.Writer.DB.ExecContext(ctx, appendText(len(rows)), bunstore.RowArgs(rows)...)
	default:
		err = appendInTx(ctx, ns.Writer.DB, rows)
	}
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrConstraint {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("append: %w", err)
	}
	return true, nil
}

// appendInTx writes rows through append_rows in chunks, in one transaction.
func appendInTx(ctx context.Context, db *sql.DB, rows []planner.Row) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	for start := 0; start < len(rows); start += appendChunk {
		chunk := rows[start:min(start+appendChunk, len(rows))]
		if _, err := tx.ExecContext(ctx, appendText(len(chunk)), bunstore.RowArgs(chunk)...); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// appendTexts caches the INSERT into append_rows of n rows, by n.
var appendTexts sync.Map // int -> string

func appendText(n int) string {
	if text, ok := appendTexts.Load(n); ok {
		return text.(string)
	}
	var b strings.Builder
	b.WriteString("INSERT INTO append_rows (" + bunstore.MessageColumns + ") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?)")
	}
	text := b.String()
	appendTexts.Store(n, text)
	return text
}
