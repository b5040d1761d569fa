package importer

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Loader reads NDJSON records and imports them into a namespace, BatchSize
// records per transaction, holding at most one batch in memory. POST /import
// serves it over HTTP; `eventodb import` runs it straight on a store. Safe for
// concurrent use.
type Loader struct {
	importer ports.Importer
	ids      ports.IDGenerator
	notifier ports.Notifier
	groups   GroupRestorer // nil: group lines cannot be restored
	cfg      Config
}

// RestoreGroupsWith makes LoadWithGroups restore group lines with r. It
// returns l.
func (l *Loader) RestoreGroupsWith(r GroupRestorer) *Loader {
	l.groups = r
	return l
}

// NewLoader returns a loader. notifier may be nil; otherwise subscribers are
// told about each imported batch.
func NewLoader(importer ports.Importer, ids ports.IDGenerator, notifier ports.Notifier, cfg Config) (*Loader, error) {
	cfg.defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if importer == nil || ids == nil {
		return nil, errors.New("importer: a loader needs an importer and an id generator")
	}
	return &Loader{importer: importer, ids: ids, notifier: notifier, cfg: cfg}, nil
}

// Clear empties namespace ns before a restore (import --force) and returns how
// many messages it deleted. It fails when the store cannot clear.
func (l *Loader) Clear(ctx context.Context, ns string) (int64, error) {
	c, ok := l.importer.(ports.Clearer)
	if !ok {
		return 0, errors.New("importer: this store cannot clear a namespace")
	}
	return c.Clear(ctx, ns)
}

// Load imports the records of body into namespace ns and returns how many it
// imported. progress is called after each committed batch; an error from it
// stops the load and is returned. A record that cannot be imported stops the
// load with a *Failure naming its line: every record before that line is
// imported, none after it.
//
// Lines of durable consumer groups (export --groups) are skipped; see
// LoadWithGroups.
func (l *Loader) Load(ctx context.Context, ns string, body io.Reader, progress func(Progress) error) (int64, error) {
	return l.load(ctx, ns, body, progress, false)
}

// LoadWithGroups is Load that also restores the groups and checkpoints of
// group lines, each after the messages before it are stored (a checkpoint
// may not lie past them). A group line that cannot be restored stops the
// load like a bad record.
func (l *Loader) LoadWithGroups(ctx context.Context, ns string, body io.Reader, progress func(Progress) error) (int64, error) {
	return l.load(ctx, ns, body, progress, true)
}

func (l *Loader) load(ctx context.Context, ns string, body io.Reader, progress func(Progress) error, groups bool) (int64, error) {
	n := l.cfg.BatchSize
	r := &load{
		l: l, ns: ns, progress: progress, groups: groups,
		batch: make([]stream.Message, 0, n), lines: make([]int64, 0, n),
		gpos: make(map[int64]bool, n), ids: make(map[string]bool, n), pos: make(map[streamPos]bool, n),
	}
	err := r.read(ctx, body)
	return r.imported, err
}

// load is one run of a Loader: the batch being filled and what is committed.
type load struct {
	l        *Loader
	ns       string
	progress func(Progress) error
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

// maxBatchBytes flushes a batch of large records early, so memory stays flat
// whatever the records' size.
const maxBatchBytes = 8 << 20

type streamPos struct {
	stream string
	pos    int64
}

func (r *load) read(ctx context.Context, body io.Reader) error {
	maxLine := r.l.cfg.MaxMessageBytes + lineSlack
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	var line int64
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if isGroupLine(text) {
			if err := r.group(ctx, text, line); err != nil {
				return err
			}
			continue
		}
		m, err := ParseRecord(text, r.l.ids, r.l.cfg.MaxMessageBytes)
		if err != nil {
			return r.stop(ctx, failure(err, line))
		}
		if f := r.repeated(m, line); f != nil {
			return r.stop(ctx, f)
		}
		r.add(m, line)
		if len(r.batch) >= r.l.cfg.BatchSize || r.size >= maxBatchBytes {
			if err := r.flush(ctx); err != nil {
				return err
			}
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			err = httpapi.NewError(httpapi.CodeTooLarge, fmt.Sprintf("the line is longer than the limit of %d bytes", maxLine))
		} else {
			err = fmt.Errorf("read the records: %w", err)
		}
		return r.stop(ctx, failure(err, line+1))
	}
	return r.flush(ctx)
}

// group restores a group line, after storing the messages before it; or
// skips it when the load does not restore groups.
func (r *load) group(ctx context.Context, text []byte, line int64) error {
	if !r.groups {
		return nil
	}
	if r.l.groups == nil {
		return r.stop(ctx, failure(errors.New("this server cannot restore consumer groups"), line))
	}
	g, err := parseGroupLine(text)
	if err != nil {
		return r.stop(ctx, failure(err, line))
	}
	if err := r.flush(ctx); err != nil {
		return err
	}
	if err := restoreGroup(ctx, r.l.groups, r.ns, g); err != nil {
		return failure(err, line)
	}
	return nil
}

// repeated refuses a record whose global position, id or stream position an
// earlier record of the batch has.
func (r *load) repeated(m stream.Message, line int64) *Failure {
	switch {
	case r.gpos[m.GlobalPosition]:
		return failure(&stream.PositionExistsError{GlobalPosition: m.GlobalPosition}, line)
	case r.ids[m.ID]:
		return failure(&stream.DuplicateIDError{ID: m.ID}, line)
	case r.pos[streamPos{m.Stream, m.Position}]:
		return failure(&stream.PositionExistsError{GlobalPosition: m.GlobalPosition, Stream: m.Stream, Position: m.Position}, line)
	}
	return nil
}

func (r *load) add(m stream.Message, line int64) {
	r.batch = append(r.batch, m)
	r.lines = append(r.lines, line)
	r.size += len(m.Stream) + len(m.Type) + len(m.Data) + len(m.Metadata)
	r.gpos[m.GlobalPosition] = true
	r.ids[m.ID] = true
	r.pos[streamPos{m.Stream, m.Position}] = true
}

// stop imports what precedes the failing line, then returns f (or what
// stopped that import).
func (r *load) stop(ctx context.Context, f *Failure) error {
	if err := r.flush(ctx); err != nil {
		return err
	}
	return f
}

// flush imports the batch and reports progress. When the store refuses a
// record, the records before it are imported on their own, so that the
// failure's line splits the input into imported and not imported.
func (r *load) flush(ctx context.Context) error {
	if len(r.batch) == 0 {
		return nil
	}
	err := r.l.importer.Import(ctx, r.ns, r.batch)
	if err == nil {
		return r.committed(ctx, len(r.batch))
	}
	i := r.offender(err)
	if i < 0 {
		return failure(err, r.lines[0])
	}
	line := r.lines[i]
	if i > 0 {
		if err := r.l.importer.Import(ctx, r.ns, r.batch[:i]); err != nil {
			return failure(err, r.lines[0])
		}
		if err := r.committed(ctx, i); err != nil {
			return err
		}
	}
	return failure(err, line)
}

// offender is the index of the batch record err names, or -1.
func (r *load) offender(err error) int {
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
func (r *load) committed(ctx context.Context, n int) error {
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
	if r.l.notifier != nil {
		// A lost notification only delays subscribers; the import is durable.
		_ = r.l.notifier.Publish(ctx, r.ns, batchMax)
	}
	if r.progress == nil {
		return nil
	}
	return r.progress(Progress{Imported: r.imported, GPos: r.maxGPos})
}
