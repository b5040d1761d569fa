package httpapi

import (
	"context"
	"errors"

	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
)

// ImportError is the wire form of what stopped an import (the Err of a
// *interchange.Failure): an invalid record or group line is INVALID_JSON, a
// line over the limit PAYLOAD_TOO_LARGE, a typed store refusal keeps its
// code (POSITION_EXISTS, DUPLICATE_MESSAGE_ID, GROUP_EXISTS, …), and an
// interrupted import or any internal failure is IMPORT_FAILED. A wire error
// (a server's answer relayed) is returned as it is.
func ImportError(err error) *Error {
	var invalid *stream.ValidationError
	var tooLong *interchange.LineTooLongError
	switch {
	case errors.As(err, &invalid):
		return NewError(CodeInvalidJSON, invalid.Error())
	case errors.As(err, &tooLong):
		return NewError(CodeTooLarge, tooLong.Error())
	case errors.Is(err, context.Canceled):
		e := NewError(CodeImportFailed, "the import was interrupted: the client went away or the server is shutting down")
		e.cause = err
		return e
	}
	e := ToError(err)
	if e.Code == CodeBackend {
		return &Error{Status: statusOf(CodeImportFailed), Code: CodeImportFailed, Message: "import failed: " + e.Message, cause: e.cause}
	}
	return e
}
