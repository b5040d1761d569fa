package messagedb

import (
	"bufio"
	"context"
	"fmt"
	"io"
)

// feed reads the cursor and writes every row the checker accepts to the sink
// as a record line. An invalid row is skipped (reported to onSkip) or ends
// the feed with a *RowError, after the rows before it were written.
type feed struct {
	cur         *Cursor
	check       Checker
	skipInvalid bool
	onSkip      func(Skip)
	lines       *lineIndex
	sum         *Summary // Read and the skipped rows; not read until run returns
}

// RowError is a row that cannot be stored as it is.
type RowError struct {
	Skip
}

func (e *RowError) Error() string {
	return fmt.Sprintf("the message at global position %d cannot be stored: %s", e.GlobalPosition, e.Reason)
}

// run feeds w until the table ends, a row is invalid or writing fails.
func (f *feed) run(ctx context.Context, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var buf []Row
	for {
		rows, err := f.cur.Next(ctx, buf)
		if err != nil {
			return fmt.Errorf("read the messages after global position %d: %w", f.lastRead(), err)
		}
		if len(rows) == 0 {
			return bw.Flush()
		}
		for i := range rows {
			f.sum.Read++
			line, err := f.check.Line(rows[i])
			if err != nil {
				k := Skip{GlobalPosition: rows[i].GlobalPosition, Reason: Reason(err)}
				if !f.skipInvalid {
					// The rows before it go to the sink; it stops there.
					if err := bw.Flush(); err != nil {
						return err
					}
					return &RowError{Skip: k}
				}
				f.sum.skip(k)
				if f.onSkip != nil {
					f.onSkip(k)
				}
				continue
			}
			f.lines.add(rows[i].GlobalPosition)
			if _, err := bw.Write(line); err != nil {
				return err
			}
			if err := bw.WriteByte('\n'); err != nil {
				return err
			}
		}
		buf = rows
	}
}

// lastRead is the global position of the last line written, for errors.
func (f *feed) lastRead() int64 {
	_, _, last := f.lines.span()
	return last
}
