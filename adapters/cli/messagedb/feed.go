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
	from        int64    // the query's first global position
	sum         *Summary // Read and the skipped rows; not read until run returns
}

// RowError is a row that cannot be stored as it is.
type RowError struct {
	Skip
}

func (e *RowError) Error() string {
	return fmt.Sprintf("the message at global position %d cannot be stored: %s", e.GlobalPosition, e.Reason)
}

// interrupted ends a feed asked to stop, at a row boundary; next is the
// global position to resume from.
type interrupted struct {
	next  int64
	cause error
}

func (e *interrupted) Error() string { return "interrupted: " + e.cause.Error() }
func (e *interrupted) Unwrap() error { return e.cause }

// run feeds w until the table ends, a row is invalid, writing fails or stop
// is cancelled. It reads with work, which outlives stop so that a FETCH is
// never cut off half-way.
func (f *feed) run(stop, work context.Context, w io.Writer) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	var buf []Row
	next := max(f.from, 1) // the global position after the last row handled
	halt := func() error {
		if err := bw.Flush(); err != nil {
			return err
		}
		return &interrupted{next: next, cause: stop.Err()}
	}
	for {
		if stop.Err() != nil {
			return halt()
		}
		rows, err := f.cur.Next(work, buf)
		if err != nil {
			return fmt.Errorf("read the messages after global position %d: %w", next-1, err)
		}
		if len(rows) == 0 {
			return bw.Flush()
		}
		for i := range rows {
			if stop.Err() != nil {
				return halt()
			}
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
			} else {
				f.lines.add(rows[i].GlobalPosition)
				if _, err := bw.Write(line); err != nil {
					return err
				}
				if err := bw.WriteByte('\n'); err != nil {
					return err
				}
			}
			next = rows[i].GlobalPosition + 1
		}
		buf = rows
	}
}
