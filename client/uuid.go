package client

import "github.com/google/uuid"

// newUUID returns a time-ordered (version 7) UUID in its canonical form:
// ids the client makes in order sort in order, which keeps the server's
// index of ids compact.
func newUUID() string { return uuid.Must(uuid.NewV7()).String() }
