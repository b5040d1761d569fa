package group

import (
	"time"

	"github.com/eventodb/eventodb/domain/stream"
)

// Lease bounds: how long a join holds a member unless it is renewed.
const (
	DefaultTTL = 30 * time.Second
	MinTTL     = 100 * time.Millisecond
	MaxTTL     = 24 * time.Hour
)

// Lease is a worker's hold on a member. It expires at ExpiresAt (a time
// from the clock port); every fetch and ack with it renews it for TTL more.
// An expired lease frees the member for the next join.
type Lease struct {
	ID        string // "": no lease
	ExpiresAt time.Time
	TTL       time.Duration
}

// NewLease is lease id, taken at now for ttl.
func NewLease(id string, now time.Time, ttl time.Duration) Lease {
	return Lease{ID: id, ExpiresAt: now.Add(ttl), TTL: ttl}
}

// Live reports whether the lease holds its member at now.
func (l Lease) Live(now time.Time) bool { return l.ID != "" && now.Before(l.ExpiresAt) }

// Holds reports whether id is this lease and it is live at now: what a fetch
// or ack with a lease requires.
func (l Lease) Holds(id string, now time.Time) bool { return id != "" && l.ID == id && l.Live(now) }

// Renewed is the lease extended for its TTL from now.
func (l Lease) Renewed(now time.Time) Lease {
	l.ExpiresAt = now.Add(l.TTL)
	return l
}

// ParseTTL reads a join's ttl, a duration such as "30s" or "500ms" ("":
// DefaultTTL), within MinTTL..MaxTTL.
func ParseTTL(s string) (time.Duration, error) {
	if s == "" {
		return DefaultTTL, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, stream.Invalidf("ttl", `must be a duration such as "30s" or "500ms", got %q`, s)
	}
	if d < MinTTL || d > MaxTTL {
		return 0, stream.Invalidf("ttl", "must be from %s to %s, got %s", MinTTL, MaxTTL, d)
	}
	return d, nil
}
