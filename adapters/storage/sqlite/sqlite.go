// Package sqlite is EventoDB's embedded storage: one SQLite file per namespace
// under the data directory (WAL, full fsync on commit) plus a registry file of
// namespaces, or in-memory databases in test mode. Queries live in bunstore;
// this package opens the files, applies migrations and tells bunstore how.
package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/ports"
)

// Config says where the databases live.
type Config struct {
	// DataDir holds the registry file and one file per namespace (default "./data").
	DataDir string
	// RegistryPath is the registry file (default DataDir/metadata.db).
	RegistryPath string
	// InMemory keeps everything in memory (test mode); DataDir is not used.
	InMemory bool
	// ReadConns is the read connection pool size per namespace (default 2×GOMAXPROCS, at least 4).
	ReadConns int
	// BusyTimeout is how long a connection waits for a lock (default 5 s).
	BusyTimeout time.Duration
	// IdleTimeout closes a namespace's files after this long unused (default
	// 10 min; never in memory, where closing would lose the data).
	IdleTimeout time.Duration
}

func (c *Config) defaults() {
	if c.DataDir == "" {
		c.DataDir = "./data"
	}
	if c.RegistryPath == "" {
		c.RegistryPath = filepath.Join(c.DataDir, "metadata.db")
	}
	if c.ReadConns <= 0 {
		c.ReadConns = max(4, 2*runtime.GOMAXPROCS(0))
	}
	if c.BusyTimeout <= 0 {
		c.BusyTimeout = 5 * time.Second
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 10 * time.Minute
	}
	if c.InMemory {
		c.IdleTimeout = 0
	}
}

// Open opens (creating if needed) the registry and returns the store on it.
func Open(cfg Config, log *zap.Logger) (*bunstore.Store, error) {
	cfg.defaults()
	b := &backend{cfg: cfg, dbs: map[*bun.DB]bool{}, release: func() {}}
	if !cfg.InMemory {
		release, err := own(cfg)
		if err != nil {
			return nil, err
		}
		b.release = release
		for _, dir := range []string{b.namespaceDir(), filepath.Dir(cfg.RegistryPath)} {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				release()
				return nil, fmt.Errorf("create data directory: %w", err)
			}
		}
	}
	reg, err := b.open(cfg.RegistryPath, "registry", 1)
	if err != nil {
		b.release()
		return nil, lockedByOther(cfg.RegistryPath, err)
	}
	if err := migrateDB(context.Background(), reg, "registry"); err != nil {
		_ = b.Close()
		return nil, err
	}
	b.registry = reg
	return bunstore.New(b, log, bunstore.Options{IdleTimeout: cfg.IdleTimeout})
}

// stmtCache is how many prepared statements each connection keeps, by SQL
// text: the hot paths use fixed texts, so each is prepared once.
const stmtCache = "64"

type backend struct {
	cfg      Config
	registry *bun.DB
	release  func() // gives back the files' ownership (owner.go)

	mu  sync.Mutex
	dbs map[*bun.DB]bool // every open database, for Health and Close
}

var _ bunstore.Backend = (*backend)(nil)

func (b *backend) Name() string         { return "sqlite" }
func (b *backend) Registry() bun.IDB    { return b.registry }
func (b *backend) namespaceDir() string { return filepath.Join(b.cfg.DataDir, "namespaces") }

func (b *backend) file(id string) string { return filepath.Join(b.namespaceDir(), id+".db") }

// open opens one database. On disk it is WAL with synchronous=FULL, so a
// commit is durable when it returns; writers take the lock at BEGIN
// (IMMEDIATE) instead of failing to upgrade a read lock later. The unix-excl
// VFS locks the file for this process alone, once: its connections still
// share it (WAL, one writer, many readers) but coordinate in memory, with no
// lock system calls or shared-memory file per transaction, and no other
// process can open it, so the writer's memory of positions and versions
// (bunstore/state.go) is never stale and appends can skip re-reading them.
func (b *backend) open(path, name string, conns int) (*bun.DB, error) {
	var dsn string
	if b.cfg.InMemory {
		suffix := make([]byte, 8)
		_, _ = rand.Read(suffix)
		dsn = "file:eventodb-" + name + "-" + hex.EncodeToString(suffix) + "?mode=memory&cache=shared&_txlock=immediate&_stmt_cache_size=" + stmtCache
	} else {
		q := url.Values{}
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "FULL")
		q.Set("_busy_timeout", fmt.Sprint(b.cfg.BusyTimeout.Milliseconds()))
		q.Set("_txlock", "immediate")
		q.Set("vfs", "unix-excl")
		q.Set("_cache_size", "-16000") // 16 MB page cache per connection
		q.Set("_stmt_cache_size", stmtCache)
		dsn = "file:" + path + "?" + q.Encode()
	}
	sqldb, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, err
	}
	sqldb.SetMaxOpenConns(conns)
	sqldb.SetConnMaxLifetime(0)
	if conns == 1 {
		// A writer (or an in-memory database, which lives only as long as a
		// connection to it) keeps its one connection forever.
		sqldb.SetMaxIdleConns(1)
		sqldb.SetConnMaxIdleTime(0)
	} else {
		// Readers of many namespaces would otherwise hold conns × 3 file
		// descriptors (db, -wal, -shm) each for good: a namespace nobody
		// reads for a minute gives its read connections back.
		sqldb.SetMaxIdleConns(conns)
		sqldb.SetConnMaxIdleTime(time.Minute)
	}
	if err := sqldb.Ping(); err != nil {
		_ = sqldb.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	db := bun.NewDB(sqldb, sqlitedialect.New())
	b.mu.Lock()
	b.dbs[db] = true
	b.mu.Unlock()
	return db, nil
}

func (b *backend) closeDB(db *bun.DB) error {
	b.mu.Lock()
	delete(b.dbs, db)
	b.mu.Unlock()
	return db.Close()
}

// CreateNamespace, OpenNamespace and DropNamespace of one id never overlap:
// the store calls them under the id's lock.
func (b *backend) CreateNamespace(ctx context.Context, id string) (*bunstore.Namespace, error) {
	if !b.cfg.InMemory {
		// A file left by a crash between creating it and registering the namespace
		// holds no acknowledged data; start clean.
		removeFiles(b.file(id))
	}
	return b.OpenNamespace(ctx, id)
}

func (b *backend) OpenNamespace(ctx context.Context, id string) (*bunstore.Namespace, error) {
	writer, err := b.open(b.file(id), "ns-"+id, 1)
	if err != nil {
		return nil, err
	}
	if err := migrateDB(ctx, writer, "namespace"); err != nil {
		_ = b.closeDB(writer)
		return nil, err
	}
	ns := &bunstore.Namespace{ID: id, Writer: writer, Reader: writer, Messages: "messages", Streams: "streams",
		Groups: "consumer_groups", GroupMembers: "group_members", GroupTallies: "group_tallies"}
	if b.cfg.InMemory {
		ns.Close = func() error { return b.closeDB(writer) }
		return ns, nil
	}
	reader, err := b.open(b.file(id), "ns-"+id, b.cfg.ReadConns)
	if err != nil {
		_ = b.closeDB(writer)
		return nil, err
	}
	ns.Reader = reader
	ns.Close = func() error { return errors.Join(b.closeDB(reader), b.closeDB(writer)) }
	return ns, nil
}

func (b *backend) DropNamespace(_ context.Context, ns *bunstore.Namespace) error {
	err := ns.Close()
	if !b.cfg.InMemory {
		removeFiles(b.file(ns.ID))
	}
	return err
}

func removeFiles(path string) {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
}

// LockForAppend needs nothing: one store owns the files (owner.go) and each
// namespace has one writer connection whose transactions begin IMMEDIATE.
func (b *backend) LockForAppend(context.Context, *sql.Tx, string) error { return nil }

// Placeholders: SQLite takes "?".
func (b *backend) Placeholders() bool { return false }

// Networked: SQLite is embedded.
func (b *backend) Networked() bool { return false }

// StatementArgs: go-sqlite3 caches prepared statements itself (_stmt_cache_size).
func (b *backend) StatementArgs() []any { return nil }

func (b *backend) Health(ctx context.Context) (ports.Health, error) {
	if err := b.registry.PingContext(ctx); err != nil {
		return ports.Health{Backend: "sqlite"}, fmt.Errorf("%w: %w", ports.ErrUnavailable, err)
	}
	h := ports.Health{Backend: "sqlite"}
	b.mu.Lock()
	defer b.mu.Unlock()
	for db := range b.dbs {
		st := db.Stats()
		h.Connections += st.OpenConnections
		h.InUse += st.InUse
		h.Idle += st.Idle
		h.MaxOpen += st.MaxOpenConnections
		h.WaitCount += st.WaitCount
	}
	return h, nil
}

// IsUnavailable treats a lock that could not be had within the busy timeout,
// a full disk and I/O errors as the database being unavailable.
func (b *backend) IsUnavailable(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrBusy, sqlite3.ErrLocked, sqlite3.ErrIoErr, sqlite3.ErrFull, sqlite3.ErrCantOpen:
			return true
		}
	}
	return false
}

func (b *backend) IsMissingNamespace(error) bool { return false }

func (b *backend) Close() error {
	b.mu.Lock()
	dbs := make([]*bun.DB, 0, len(b.dbs))
	for db := range b.dbs {
		dbs = append(dbs, db)
	}
	b.mu.Unlock()
	var errs []error
	for _, db := range dbs {
		errs = append(errs, b.closeDB(db))
	}
	b.release()
	return errors.Join(errs...)
}
