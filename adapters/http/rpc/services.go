package rpc

import (
	"context"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// The domain services the methods call, as small interfaces so tests and
// decorators can stand in. *service.Streams, *service.Categories,
// *service.Namespaces and *service.Auth implement them. All must be safe for
// concurrent use and honour ctx.

// StreamService writes and reads streams.
type StreamService interface {
	Write(ctx context.Context, ns string, a stream.Append) (stream.Appended, error)
	// Scan hands each message to visit as it is read; the message need not
	// outlive the call.
	Scan(ctx context.Context, ns string, r service.StreamRead, visit func(*stream.Message) error) error
	Last(ctx context.Context, ns, streamName, msgType string) (*stream.Message, error)
	Version(ctx context.Context, ns, streamName string) (int64, error)
}

// CategoryService reads categories.
type CategoryService interface {
	// Scan hands each message to visit as it is read; the message need not
	// outlive the call.
	Scan(ctx context.Context, ns string, r service.CategoryRead, visit func(*stream.Message) error) error
}

// NamespaceService manages and describes namespaces.
type NamespaceService interface {
	Create(ctx context.Context, id, description, token string) (service.Created, error)
	Delete(ctx context.Context, id string) (service.Deleted, error)
	List(ctx context.Context) ([]namespace.Info, error)
	Info(ctx context.Context, id string) (namespace.Info, error)
	Streams(ctx context.Context, ns string, r service.StreamList) ([]ports.StreamInfo, error)
	Categories(ctx context.Context, ns string) ([]ports.CategoryInfo, error)
}

// TokenCache forgets the cached tokens of a deleted namespace.
type TokenCache interface {
	Forget(id string)
}

// Rechecker reconsiders a request's failure in the light of its principal:
// *service.Auth turns a vanished namespace of a cached token into
// AUTH_INVALID.
type Rechecker interface {
	Recheck(ctx context.Context, p service.Principal, err error) error
}

var (
	_ StreamService    = (*service.Streams)(nil)
	_ CategoryService  = (*service.Categories)(nil)
	_ NamespaceService = (*service.Namespaces)(nil)
	_ TokenCache       = (*service.Auth)(nil)
	_ Rechecker        = (*service.Auth)(nil)
)

// systemClock is the wall clock, for when no ports.Clock is given.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }
