package interchange

import "fmt"

// Failure is why an import stopped and where: the 1-based line of the
// offending record (the first line of its batch when the whole batch failed)
// and the error it met. The records before that line are imported, the
// others not.
//
// Err is a domain error: *stream.ValidationError for a record or group line
// that is not valid, *LineTooLongError, a store's typed refusal
// (*stream.PositionExistsError, *stream.DuplicateIDError, group.ErrExists,
// …), context.Canceled for an interrupted import, or an internal failure.
// Adapters choose how to tell it (the server's /import answers it with a
// wire code, see httpapi.ImportError).
type Failure struct {
	Line int64
	Err  error
}

func (f *Failure) Error() string {
	return fmt.Sprintf("line %d: %v", f.Line, f.Err)
}

// Unwrap returns the error behind the failure.
func (f *Failure) Unwrap() error { return f.Err }

// LineTooLongError is a line longer than an import accepts: its message's
// limit plus room for the record's other fields.
type LineTooLongError struct {
	Limit int // bytes
}

func (e *LineTooLongError) Error() string {
	return fmt.Sprintf("the line is longer than the limit of %d bytes", e.Limit)
}

// Progress is how far a transfer got: the records imported (or exported) so
// far and the highest global position among them.
type Progress struct {
	Imported int64
	GPos     int64
}
