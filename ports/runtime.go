package ports

import "time"

// Clock tells the time; tests swap in a fixed one.
type Clock interface {
	Now() time.Time
}

// IDGenerator makes and checks message ids (UUIDs).
type IDGenerator interface {
	// NewID returns a new random id in canonical form.
	NewID() string
	// Normalize returns id in canonical form, or an error if it is not a UUID.
	Normalize(id string) (string, error)
}
