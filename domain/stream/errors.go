package stream

import (
	"fmt"
	"strconv"
)

// ValidationError is bad input: it names the argument and says what is wrong.
type ValidationError struct {
	Field  string
	Reason string
}

func (e *ValidationError) Error() string { return e.Field + " " + e.Reason }

// Invalid returns a ValidationError for field.
func Invalid(field, reason string) error { return &ValidationError{Field: field, Reason: reason} }

// Invalidf is Invalid with a formatted reason.
func Invalidf(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// VersionConflictError is an expectedVersion that did not match the stream.
type VersionConflictError struct {
	Stream   string
	Expected int64
	Actual   int64 // -1 when the stream does not exist
}

// Error reads `stream "name" is at version 3, expected 1`. It is built
// without fmt: under contention most answers are conflicts.
func (e *VersionConflictError) Error() string {
	b := make([]byte, 0, 48+len(e.Stream))
	b = strconv.AppendQuote(append(b, "stream "...), e.Stream)
	b = strconv.AppendInt(append(b, " is at version "...), e.Actual, 10)
	b = strconv.AppendInt(append(b, ", expected "...), e.Expected, 10)
	return string(b)
}

// DuplicateIDError is a message id that already exists with other content.
type DuplicateIDError struct {
	ID string
}

func (e *DuplicateIDError) Error() string {
	return fmt.Sprintf("message id %s already exists with a different stream, type or data", e.ID)
}

// PositionExistsError is an imported message whose global position, or whose
// position in its stream, is already taken. GlobalPosition is always the
// imported message's; Stream is set when its stream position is the clash.
type PositionExistsError struct {
	GlobalPosition int64
	Stream         string
	Position       int64
}

func (e *PositionExistsError) Error() string {
	if e.Stream != "" {
		return fmt.Sprintf("stream %q already has a message at position %d (imported global position %d)",
			e.Stream, e.Position, e.GlobalPosition)
	}
	return fmt.Sprintf("global position %d already exists", e.GlobalPosition)
}
