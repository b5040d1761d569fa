package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Imports is the import use case: it reads NDJSON records (package transfer)
// and imports them into a namespace, keeping their ids and positions,
// ImportConfig.BatchSize records per transaction and at most one batch in
// memory. POST /import serves it over HTTP; `eventodb import` runs it
// straight on a store. Safe for concurrent use.
type Imports struct {
	importer ports.Importer
	ids      ports.IDGenerator
	notifier ports.Notifier
	groups   GroupRestorer // nil: group lines cannot be restored
	cfg      ImportConfig
}

// ImportConfig tunes imports.
type ImportConfig struct {
	// BatchSize is how many records one transaction imports and one progress
	// report counts; default 1000.
	BatchSize int
	// MaxMessageBytes bounds a record's type, data and metadata together,
	// bytes; default 1 MiB (the write limit). A line may be 64 KiB longer.
	MaxMessageBytes int
}

// lineSlack is what a record line may hold beyond its message: id, stream,
// positions, time and JSON punctuation.
const lineSlack = 64 << 10

func (c *ImportConfig) defaults() {
	if c.BatchSize == 0 {
		c.BatchSize = 1000
	}
	if c.MaxMessageBytes == 0 {
		c.MaxMessageBytes = 1 << 20
	}
}

// Validate rejects unusable settings.
func (c ImportConfig) Validate() error {
	if c.BatchSize < 0 || c.MaxMessageBytes < 0 {
		return fmt.Errorf("imports: batch size (%d) and max message bytes (%d) must not be negative", c.BatchSize, c.MaxMessageBytes)
	}
	return nil
}

// GroupRestorer restores what group lines describe; *Groups implements it.
type GroupRestorer interface {
	// Restore creates g as exported, or keeps the same group if it exists.
	Restore(ctx context.Context, ns string, g group.Group) error
	// RestoreCheckpoint sets member's checkpoint to pos, updated at at.
	RestoreCheckpoint(ctx context.Context, ns, name string, member, pos int64, at time.Time) error
}

var _ GroupRestorer = (*Groups)(nil)

// NewImports returns the import use case over importer. notifier may be nil;
// otherwise subscribers are told about each imported batch. Zero fields of
// cfg take their defaults.
func NewImports(importer ports.Importer, ids ports.IDGenerator, notifier ports.Notifier, cfg ImportConfig) (*Imports, error) {
	cfg.defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if importer == nil || ids == nil {
		return nil, errors.New("imports: an importer and an id generator are needed")
	}
	return &Imports{importer: importer, ids: ids, notifier: notifier, cfg: cfg}, nil
}

// RestoreGroupsWith makes LoadWithGroups restore group lines with r. It
// returns s.
func (s *Imports) RestoreGroupsWith(r GroupRestorer) *Imports {
	s.groups = r
	return s
}

// CheckNamespace fails as an import into namespace ns would before its first
// record: namespace.ErrNotFound when ns does not exist. It imports nothing.
func (s *Imports) CheckNamespace(ctx context.Context, ns string) error {
	return s.importer.Import(ctx, ns, nil)
}

// Clear empties namespace ns before a restore (import --force) and returns how
// many messages it deleted. It fails when the store cannot clear.
func (s *Imports) Clear(ctx context.Context, ns string) (int64, error) {
	c, ok := s.importer.(ports.Clearer)
	if !ok {
		return 0, errors.New("imports: this store cannot clear a namespace")
	}
	return c.Clear(ctx, ns)
}

// Load imports the records of body into namespace ns and returns how many it
// imported. progress, when not nil, is called after each committed batch; an
// error from it stops the load and is returned. A record that cannot be
// imported stops the load with an *interchange.Failure naming its line: every
// record before that line is imported, none after it.
//
// Lines of durable consumer groups (export --groups) are skipped; see
// LoadWithGroups.
func (s *Imports) Load(ctx context.Context, ns string, body io.Reader, progress func(interchange.Progress) error) (int64, error) {
	return s.load(ctx, ns, body, progress, false)
}

// LoadWithGroups is Load that also restores the groups and checkpoints of
// group lines, each after the messages before it are stored (a checkpoint
// may not lie past them). A group line that cannot be restored stops the
// load like a bad record.
func (s *Imports) LoadWithGroups(ctx context.Context, ns string, body io.Reader, progress func(interchange.Progress) error) (int64, error) {
	return s.load(ctx, ns, body, progress, true)
}

func (s *Imports) load(ctx context.Context, ns string, body io.Reader, progress func(interchange.Progress) error, groups bool) (int64, error) {
	n := s.cfg.BatchSize
	r := &importRun{
		s: s, ns: ns, progress: progress, groups: groups,
		batch: make([]stream.Message, 0, n), lines: make([]int64, 0, n),
		gpos: make(map[int64]bool, n), ids: make(map[string]bool, n), pos: make(map[streamPos]bool, n),
	}
	err := r.read(ctx, body)
	return r.imported, err
}
