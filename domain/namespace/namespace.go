// Package namespace models tenants: their ids, records and access tokens.
// Each namespace is physically isolated storage reached with its own token.
package namespace

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/eventodb/eventodb/domain/stream"
)

// Default is the namespace that always exists; its token is the admin token.
const Default = "default"

// MaxIDLength keeps ids usable as file names and PostgreSQL schema names
// (63 bytes, less a prefix).
const MaxIDLength = 60

var idPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// ValidateID checks a namespace id: 1..60 characters of letters, digits, '_'
// and '-', starting with a letter or digit.
func ValidateID(id string) error {
	switch {
	case id == "":
		return stream.Invalid("namespaceId", "must not be empty")
	case len(id) > MaxIDLength:
		return stream.Invalidf("namespaceId", "is %d characters, the limit is %d", len(id), MaxIDLength)
	case !idPattern.MatchString(id):
		return stream.Invalid("namespaceId", "may contain only letters, digits, '_' and '-', and must start with a letter or digit")
	}
	return nil
}

// Record is a namespace as the registry stores it.
type Record struct {
	ID          string
	Description string
	TokenHash   string
	CreatedAt   time.Time
}

// Registration identifies one life of a namespace: deleting it and creating
// it again under the same id (even with the same token) makes a different
// Registration, so access granted for the old one does not carry over.
type Registration struct {
	Created   int64  // CreatedAt in unix microseconds
	TokenHash string // the token hash it was created with
}

// Registration is the record's registration.
func (r Record) Registration() Registration {
	return Registration{Created: r.CreatedAt.UnixMicro(), TokenHash: r.TokenHash}
}

// Info is a namespace with its usage figures.
type Info struct {
	Record
	MessageCount int64
	StreamCount  int64
	LastActivity *time.Time // nil when the namespace has no messages
	GroupCount   int64      // durable consumer groups (0 when not counted)
}

// Errors the registry and services return.
var (
	ErrNotFound = errors.New("namespace not found")
	ErrExists   = errors.New("namespace already exists")
)

// NotFoundError names the missing namespace.
func NotFoundError(id string) error { return fmt.Errorf("%w: %s", ErrNotFound, id) }

// ExistsError names the namespace that already exists.
func ExistsError(id string) error { return fmt.Errorf("%w: %s", ErrExists, id) }
