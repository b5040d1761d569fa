package stream

import "fmt"

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

func (e *VersionConflictError) Error() string {
	return fmt.Sprintf("stream %q is at version %d, expected %d", e.Stream, e.Actual, e.Expected)
}

// DuplicateIDError is a message id that already exists with other content.
type DuplicateIDError struct {
	ID string
}

func (e *DuplicateIDError) Error() string {
	return fmt.Sprintf("message id %s already exists with a different stream, type or data", e.ID)
}
