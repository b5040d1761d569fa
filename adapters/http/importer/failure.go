package importer

import (
	"context"
	"errors"
	"fmt"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/stream"
)

// Failure is why an import stopped, and the event that ends a failed import:
// the wire error code, a human message and the 1-based line of the offending
// record (the first line of its batch when the whole batch failed). The
// records before that line are imported, the others not.
type Failure struct {
	Code    string `json:"error"`
	Message string `json:"message"`
	Line    int64  `json:"line"`
	cause   error  // internal error, for logs
}

func (f *Failure) Error() string {
	return fmt.Sprintf("line %d: %s: %s", f.Line, f.Code, f.Message)
}

// Unwrap returns the error behind the failure.
func (f *Failure) Unwrap() error { return f.cause }

// failure maps err, met at line, to its Failure: invalid records are
// INVALID_JSON, typed store errors keep their codes (POSITION_EXISTS,
// DUPLICATE_MESSAGE_ID, ...) and anything else is IMPORT_FAILED.
func failure(err error, line int64) *Failure {
	var invalid *stream.ValidationError
	var e *httpapi.Error
	switch {
	case errors.As(err, &invalid):
		e = httpapi.NewError(httpapi.CodeInvalidJSON, invalid.Error())
	case errors.Is(err, context.Canceled):
		e = httpapi.NewError(httpapi.CodeImportFailed, "the import was interrupted: the client went away or the server is shutting down")
	default:
		e = httpapi.ToError(err)
		if e.Code == httpapi.CodeBackend {
			e = httpapi.NewError(httpapi.CodeImportFailed, "import failed: "+e.Message)
		}
	}
	return &Failure{Code: e.Code, Message: e.Message, Line: line, cause: err}
}
