package ports

import (
	"context"
	"errors"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
)

// ErrUnavailable wraps storage errors caused by an unreachable database, so the
// HTTP layer can answer 503 instead of 500.
var ErrUnavailable = errors.New("database unavailable")

// ReadShape bounds what one read holds in memory.
type ReadShape struct {
	// MaxBytes ends a read after the message that brings the data and
	// metadata read so far to MaxBytes or more; 0: no byte bound. A read that
	// matches anything returns at least one message.
	MaxBytes int
	// PositionsOnly reads what subscriptions need: ID, Stream, Type, Position
	// and GlobalPosition; Data, Metadata and Time are left out.
	PositionsOnly bool
}

// StreamQuery selects messages of one stream by ascending position.
type StreamQuery struct {
	Stream         string
	Position       int64 // first position, inclusive
	GlobalPosition int64 // only messages with globalPosition >= this (0: no bound)
	Limit          int   // > 0
	ReadShape
}

// CategoryQuery selects messages of every stream of a category by ascending
// global position.
type CategoryQuery struct {
	Category       string
	GlobalPosition int64            // first global position, inclusive
	Limit          int              // > 0
	Correlation    string           // "" or the category metadata.correlationStreamName must have
	Group          *partition.Group // nil: every stream
	ReadShape
}

// AllQuery selects every message of a namespace by ascending global position.
type AllQuery struct {
	GlobalPosition int64 // first global position, inclusive
	Limit          int   // > 0
	ReadShape
}

// PayloadBytes is what ReadShape.MaxBytes counts of a message.
func PayloadBytes(m *stream.Message) int { return len(m.Data) + len(m.Metadata) }

// MessageStore appends and reads messages of a namespace. Implementations are
// safe for concurrent use. Every method returns an error wrapping
// namespace.ErrNotFound when the namespace does not exist.
type MessageStore interface {
	// Append writes a.Messages (whose IDs are set) atomically and in order,
	// checking a.ExpectedVersion in the same transaction. It returns only once
	// the messages are durable. A message id that exists with the same stream,
	// type and data is an idempotent retry and returns the original position;
	// with other content it is a *stream.DuplicateIDError and nothing is stored.
	// Global positions become visible to readers strictly in increasing order.
	Append(ctx context.Context, ns string, a stream.Append) (stream.Appended, error)
	ReadStream(ctx context.Context, ns string, q StreamQuery) ([]stream.Message, error)
	ReadCategory(ctx context.Context, ns string, q CategoryQuery) ([]stream.Message, error)
	// Last is the stream's last message (of type msgType when not ""), or nil.
	Last(ctx context.Context, ns, streamName, msgType string) (*stream.Message, error)
	// Version is the stream's last position, stream.NoStream when it has none.
	Version(ctx context.Context, ns, streamName string) (int64, error)
}

// StreamInfo describes one stream of a namespace.
type StreamInfo struct {
	Stream       string
	Version      int64
	LastActivity time.Time
}

// CategoryInfo describes one category of a namespace.
type CategoryInfo struct {
	Category     string
	StreamCount  int64
	MessageCount int64
}

// NamespaceStats are the usage figures of a namespace.
type NamespaceStats struct {
	MessageCount int64
	StreamCount  int64
	LastActivity *time.Time
}

// StreamListQuery pages through stream names in ascending order.
type StreamListQuery struct {
	Prefix string
	After  string // cursor: names > After
	Limit  int
}

// Catalog answers questions about what a namespace holds.
type Catalog interface {
	ListStreams(ctx context.Context, ns string, q StreamListQuery) ([]StreamInfo, error)
	Categories(ctx context.Context, ns string) ([]CategoryInfo, error)
	Stats(ctx context.Context, ns string) (NamespaceStats, error)
}

// NamespaceRegistry keeps namespace records and their physical storage.
type NamespaceRegistry interface {
	// Create stores the record and prepares the namespace's storage; it returns
	// an error wrapping namespace.ErrExists if the id is taken.
	Create(ctx context.Context, rec namespace.Record) error
	// Delete removes the namespace and all its messages, returning how many
	// messages were deleted.
	Delete(ctx context.Context, id string) (int64, error)
	Get(ctx context.Context, id string) (namespace.Record, error)
	List(ctx context.Context) ([]namespace.Record, error)
}

// Health is what a storage backend reports about itself.
type Health struct {
	Backend     string // "sqlite", "postgres" or "memory"
	Connections int    // open database connections
	InUse       int    // connections serving a query now
	Idle        int
	MaxOpen     int // 0: unlimited
	WaitCount   int64
}

// HealthChecker probes the storage backend.
type HealthChecker interface {
	// Health returns an error wrapping ErrUnavailable when the database cannot be reached.
	Health(ctx context.Context) (Health, error)
}

// Storage is everything a storage adapter provides.
type Storage interface {
	MessageStore
	Catalog
	NamespaceRegistry
	HealthChecker
}

// Scanned is what one scan read: how many messages and their payload bytes.
type Scanned struct {
	Count int
	Bytes int
}

// Scanner is an optional capability of a MessageStore: reads that hand each
// message to visit as its row is read, instead of collecting copies, so a
// caller can encode it straight into a response. The message, and every
// byte slice and string in it, is valid only during the call. Limits and
// shapes are those of ReadStream and ReadCategory; an error from visit stops
// the scan and is returned.
type Scanner interface {
	ScanStream(ctx context.Context, ns string, q StreamQuery, visit func(*stream.Message) error) (Scanned, error)
	ScanCategory(ctx context.Context, ns string, q CategoryQuery, visit func(*stream.Message) error) (Scanned, error)
}
