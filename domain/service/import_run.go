package service

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
)

// importRun is one load of Imports: the batch being filled and what is
// committed.
type importRun struct {
	s        *Imports
	ns       string
	progress func(interchange.Progress) error
	groups   bool // restore group lines (else skip them)

	batch []stream.Message
	lines []int64 // line of each batch record
	// What the batch holds, to refuse a record that repeats an earlier one of
	// its batch (the store refuses repeats of committed ones).
	gpos map[int64]bool
	ids  map[string]bool
	pos  map[streamPos]bool

	size     int   // message bytes in the batch
	imported int64 // records committed
	maxGPos  int64 // highest global position committed
}

// importFailure is the Failure of err, met at line.
func importFailure(err error, line int64) *interchange.Failure {
	return &interchange.Failure{Line: line, Err: err}
}

// maxBatchBytes flushes a batch of large records early, so memory stays flat
// whatever the records' size.
const maxBatchBytes = 8 << 20

type streamPos struct {
	stream string
	pos    int64
}

func (r *importRun) read(ctx context.Context, body io.Reader) error {
	maxLine := r.s.cfg.MaxMessageBytes + lineSlack
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var line int64
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if interchange.IsGroupLine(text) {
			if err := r.group(ctx, text, line); err != nil {
				return err
			}
			continue
		}
		m, err := interchange.ParseRecord(text, r.s.ids, r.s.cfg.MaxMessageBytes)
		if err != nil {
			return r.stop(ctx, importFailure(err, line))
		}
		if f := r.repeated(m, line); f != nil {
			return r.stop(ctx, f)
		}
		r.add(m, line)
		if len(r.batch) >= r.s.cfg.BatchSize || r.size >= maxBatchBytes {
			if err := r.flush(ctx); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = &interchange.LineTooLongError{Limit: maxLine}
		} else {
			err = fmt.Errorf("read the records: %w", err)
		}
		return r.stop(ctx, importFailure(err, line+1))
	}
	return r.flush(ctx)
}

// group restores a group line, after storing the messages before it; or
// skips it when the load does not restore groups.
func (r *importRun) group(ctx context.Context, text []byte, line int64) error {
	if !r.groups {
		return nil
	}
	if r.s.groups == nil {
		return r.stop(ctx, importFailure(errors.New("this server cannot restore consumer groups"), line))
	}
	g, err := interchange.ParseGroupLine(text)
	if err != nil {
		return r.stop(ctx, importFailure(err, line))
	}
	if err := r.flush(ctx); err != nil {
		return err
	}
	if err := r.restore(ctx, g); err != nil {
		return importFailure(err, line)
	}
	return nil
}

// restore applies one group line.
func (r *importRun) restore(ctx context.Context, line interchange.GroupLine) error {
	if line.Group != nil {
		return r.s.groups.Restore(ctx, r.ns, *line.Group)
	}
	cp := line.Checkpoint
	return r.s.groups.RestoreCheckpoint(ctx, r.ns, cp.Group, cp.Member, cp.GlobalPosition, line.At)
}

// repeated refuses a record whose global position, id or stream position an
// earlier record of the batch has.
func (r *importRun) repeated(m stream.Message, line int64) *interchange.Failure {
	switch {
	case r.gpos[m.GlobalPosition]:
		return importFailure(&stream.PositionExistsError{GlobalPosition: m.GlobalPosition}, line)
	case r.ids[m.ID]:
		return importFailure(&stream.DuplicateIDError{ID: m.ID}, line)
	case r.pos[streamPos{m.Stream, m.Position}]:
		return importFailure(&stream.PositionExistsError{GlobalPosition: m.GlobalPosition, Stream: m.Stream, Position: m.Position}, line)
	}
	return nil
}

func (r *importRun) add(m stream.Message, line int64) {
	r.batch = append(r.batch, m)
	r.lines = append(r.lines, line)
	r.size += len(m.Stream) + len(m.Type) + len(m.Data) + len(m.Metadata)
	r.gpos[m.GlobalPosition] = true
	r.ids[m.ID] = true
	r.pos[streamPos{m.Stream, m.Position}] = true
}

// stop imports what precedes the failing line, then returns f (or what
// stopped that import).
func (r *importRun) stop(ctx context.Context, f *interchange.Failure) error {
	if err := r.flush(ctx); err != nil {
		return err
	}
	return f
}

// flush imports the batch and reports progress. When the store refuses a
// record, the records before it are imported on their own, so that the
// failure's line splits the input into imported and not imported.
func (r *importRun) flush(ctx context.Context) error {
	if len(r.batch) == 0 {
		return nil
	}
	err := r.s.importer.Import(ctx, r.ns, r.batch)
	if err == nil {
		return r.committed(ctx, len(r.batch))
	}
	i := r.offender(err)
	if i < 0 {
		return importFailure(err, r.lines[0])
	}
	line := r.lines[i]
	if i > 0 {
		if err := r.s.importer.Import(ctx, r.ns, r.batch[:i]); err != nil {
			return importFailure(err, r.lines[0])
		}
		if err := r.committed(ctx, i); err != nil {
			return err
		}
	}
	return importFailure(err, line)
}

// offender is the index of the batch record err names, or -1.
func (r *importRun) offender(err error) int {
	var taken *stream.PositionExistsError
	var dup *stream.DuplicateIDError
	for i := range r.batch {
		switch {
		case errors.As(err, &taken) && r.batch[i].GlobalPosition == taken.GlobalPosition,
			errors.As(err, &dup) && r.batch[i].ID == dup.ID:
			return i
		}
	}
	return -1
}

// committed counts the first n records of the batch as imported, tells
// subscribers and the progress callback, and empties the batch.
func (r *importRun) committed(ctx context.Context, n int) error {
	batchMax := int64(0)
	for i := range r.batch[:n] {
		batchMax = max(batchMax, r.batch[i].GlobalPosition)
	}
	r.imported += int64(n)
	r.maxGPos = max(r.maxGPos, batchMax)
	r.batch, r.lines, r.size = r.batch[:0], r.lines[:0], 0
	clear(r.gpos)
	clear(r.ids)
	clear(r.pos)
	if r.s.notifier != nil {
		// A lost notification only delays subscribers; the import is durable.
		_ = r.s.notifier.Publish(ctx, r.ns, batchMax)
	}
	if r.progress == nil {
		return nil
	}
	return r.progress(interchange.Progress{Imported: r.imported, GPos: r.maxGPos})
}
