package messagedb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/jackc/pgx/v5"
)

// Sink imports NDJSON records and returns how many it stored; a refused
// record stops it with an *interchange.Failure naming its line, after the
// lines before it were stored. The sinks of `eventodb import` (a server's
// POST /import, or service.Imports on a store) are sinks.
type Sink interface {
	Import(ctx context.Context, r io.Reader, progress func(interchange.Progress) error) (int64, error)
}

// ImportOptions tune an import.
type ImportOptions struct {
	Query
	// SkipInvalid leaves out rows that cannot be stored (reported to
	// Skipped) instead of stopping at the first one.
	SkipInvalid bool
	FetchSize   int     // rows per FETCH; 0 is DefaultFetchSize
	Checker     Checker // the rules a row must meet
	// Progress, when set, follows every batch the sink stores.
	Progress func(interchange.Progress)
	// Skipped, when set, hears of every row SkipInvalid leaves out. It is
	// called from another goroutine than Progress.
	Skipped func(Skip)
}

// StopError is an import that ended before the table did. Every message
// below ResumeFrom that the import selects is stored and none at or above it,
// so a rerun with --from-gpos ResumeFrom continues without gap or duplicate.
type StopError struct {
	At         Skip  // the row it stopped at, and why
	ResumeFrom int64 // the --from-gpos that continues the import
	Imported   int64
	Err        error // what stopped it
}

func (e *StopError) Error() string {
	return fmt.Sprintf("import stopped at global position %d after %d messages: %s; resume with --from-gpos %d",
		e.At.GlobalPosition, e.Imported, e.At.Reason, e.ResumeFrom)
}

func (e *StopError) Unwrap() error { return e.Err }

// Import reads the table of opts.Query from conn in global order and stores
// its rows through sink. It returns what it did; when it stopped early the
// error is a *StopError telling where to resume, and the summary says so too.
//
// Cancelling ctx interrupts the import gracefully: no more rows are read, and
// the sink stores every row already handed to it, so the position to resume
// from is exact.
func Import(ctx context.Context, conn *pgx.Conn, sink Sink, opts ImportOptions) (Summary, error) {
	start := time.Now()
	sum := Summary{SkippedRows: []Skip{}}
	if opts.Checker.IDs == nil {
		return sum, errors.New("messagedb: the checker needs an id generator to normalize ids")
	}
	cur, err := OpenCursor(ctx, conn, opts.Query, opts.FetchSize)
	if err != nil {
		return sum, err
	}
	// The cursor and the sink run until the feed ends, not until ctx does.
	work := context.WithoutCancel(ctx)
	lines := &lineIndex{}
	f := &feed{cur: cur, from: opts.FromGPos, check: opts.Checker, skipInvalid: opts.SkipInvalid, onSkip: opts.Skipped, lines: lines, sum: &sum}
	pr, pw := io.Pipe()
	fed := make(chan error, 1)
	go func() {
		err := f.run(ctx, work, pw)
		var rowErr *RowError
		var intr *interrupted
		if err == nil || errors.As(err, &rowErr) || errors.As(err, &intr) {
			_ = pw.Close() // the sink stores what came before and finishes
		} else {
			_ = pw.CloseWithError(err) // the sink must not finish as if the table ended
		}
		fed <- err
	}()

	var confirmed int64 // highest global position the sink confirmed
	n, sinkErr := sink.Import(work, pr, func(p interchange.Progress) error {
		lines.confirm(p.Imported)
		confirmed = max(confirmed, p.GPos)
		if opts.Progress != nil {
			opts.Progress(p)
		}
		return nil
	})
	_ = pr.CloseWithError(errSinkDone) // frees a feed the sink stopped reading
	feedErr := <-fed
	_ = cur.Close(work)

	written, first, last := lines.span()
	sum.Imported, sum.Elapsed = n, elapsed(time.Since(start))
	if n > 0 {
		sum.FirstGPos, sum.LastGPos = first, confirmed
		if n == written {
			sum.LastGPos = last
		}
	}
	stop := stopOf(feedErr, sinkErr, lines, n, written, confirmed, opts.FromGPos)
	if stop == nil {
		return sum, nil
	}
	sum.StoppedAt, sum.ResumeFrom = &stop.At, stop.ResumeFrom
	return sum, stop
}

// errSinkDone ends the feed's writes once the sink returned.
var errSinkDone = errors.New("the import stopped reading")

// stopOf works out where an unfinished import stopped, or returns nil when it
// finished: every written line stored and the table read to its end.
func stopOf(feedErr, sinkErr error, lines *lineIndex, n, written, confirmed, from int64) *StopError {
	var rowErr *RowError
	var intr *interrupted
	var failure *interchange.Failure
	switch {
	case sinkErr == nil && errors.As(feedErr, &rowErr) && n == written:
		// Everything before the invalid row is stored.
		return &StopError{At: rowErr.Skip, ResumeFrom: rowErr.GlobalPosition, Imported: n, Err: rowErr}
	case errors.As(sinkErr, &failure):
		if g, ok := lines.at(failure.Line); ok {
			// The lines before the refused one are stored.
			e := httpapi.ImportError(failure.Err) // as the server would tell it
			at := Skip{GlobalPosition: g, Reason: e.Code + ": " + e.Message}
			return &StopError{At: at, ResumeFrom: g, Imported: n, Err: sinkErr}
		}
	case sinkErr == nil && errors.As(feedErr, &intr) && n == written:
		// Everything fed is stored; the rest was not read.
		at := Skip{GlobalPosition: intr.next, Reason: "interrupted"}
		return &StopError{At: at, ResumeFrom: intr.next, Imported: n, Err: intr}
	case sinkErr == nil && feedErr == nil && n == written:
		return nil
	}
	// Interrupted or failed elsewhere: resume after what the sink confirmed.
	resume := max(from, 1)
	if confirmed > 0 {
		resume = confirmed + 1
	}
	cause := sinkErr
	if feedErr != nil && !errors.As(feedErr, &rowErr) && !errors.Is(feedErr, errSinkDone) {
		cause = feedErr // the sink only saw the feed fail
	}
	if cause == nil {
		cause = fmt.Errorf("the import stored %d of %d messages", n, written)
	}
	return &StopError{At: Skip{GlobalPosition: resume, Reason: cause.Error()}, ResumeFrom: resume, Imported: n, Err: cause}
}
