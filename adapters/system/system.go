// Package system adapts the machine's clock and random UUIDs to the domain's
// Clock and IDGenerator ports.
package system

import (
	"errors"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/ports"
)

// Interface guards.
var (
	_ ports.Clock       = Clock{}
	_ ports.IDGenerator = UUIDs{}
)

// Clock is the wall clock.
type Clock struct{}

// Now returns the current time.
func (Clock) Now() time.Time { return time.Now() }

// UUIDs makes time-ordered (version 7) UUIDs and accepts any well-formed
// UUID. Ids made in order land next to each other in the stores' unique
// index of ids, so a batch of new messages touches one or two of its pages
// instead of one random page per message.
type UUIDs struct{}

// NewID returns a new version 7 UUID in lowercase canonical form.
func (UUIDs) NewID() string { return uuid.Must(uuid.NewV7()).String() }

// Normalize returns id in lowercase canonical form. Only the 36-character
// hyphenated form is accepted, the form clients send and the store keeps.
func (UUIDs) Normalize(id string) (string, error) {
	u, err := uuid.Parse(id)
	if err != nil || len(id) != 36 {
		return "", ErrNotUUID
	}
	return u.String(), nil
}

// ErrNotUUID is an id that is not a hyphenated UUID.
var ErrNotUUID = errors.New("not a UUID of the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx")

// Module provides the clock and id generator as ports.
var Module = fx.Module("system",
	fx.Provide(
		fx.Annotate(func() Clock { return Clock{} }, fx.As(new(ports.Clock))),
		fx.Annotate(func() UUIDs { return UUIDs{} }, fx.As(new(ports.IDGenerator))),
	),
)
