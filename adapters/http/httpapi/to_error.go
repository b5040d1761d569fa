package httpapi

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// ToError maps any error to its wire form: typed domain errors to their codes,
// unreachable storage to BACKEND_ERROR 503, and everything else to a terse
// BACKEND_ERROR 500 that keeps the internal error out of the response (it is
// kept as the Error's cause, for logs).
func ToError(err error) *Error {
	var (
		wire      *Error
		invalid   *stream.ValidationError
		conflict  *stream.VersionConflictError
		duplicate *stream.DuplicateIDError
		taken     *stream.PositionExistsError
		tooLarge  *stream.TooLargeError
		maxBytes  *http.MaxBytesError
	)
	switch {
	case errors.As(err, &wire):
		return wire
	case errors.As(err, &invalid):
		return NewError(CodeInvalidRequest, invalid.Error())
	case errors.As(err, &conflict):
		e := NewError(CodeVersionConflict, conflict.Error())
		e.Details = map[string]any{"expected": conflict.Expected, "actual": conflict.Actual}
		return e
	case errors.As(err, &duplicate):
		e := NewError(CodeDuplicateID, duplicate.Error())
		e.Details = map[string]any{"id": duplicate.ID}
		return e
	case errors.As(err, &taken):
		return NewError(CodePositionExists, taken.Error())
	case errors.As(err, &tooLarge):
		return NewError(CodeTooLarge, tooLarge.Error())
	case errors.As(err, &maxBytes):
		return NewError(CodeTooLarge, "request body is larger than the limit of "+strconv.FormatInt(maxBytes.Limit, 10)+" bytes")
	case errors.Is(err, namespace.ErrNotFound):
		return NewError(CodeNSNotFound, err.Error())
	case errors.Is(err, namespace.ErrExists):
		return NewError(CodeNSExists, err.Error())
	case errors.Is(err, group.ErrNotFound):
		return NewError(CodeGroupNotFound, err.Error())
	case errors.Is(err, group.ErrExists):
		return NewError(CodeGroupExists, err.Error())
	case errors.Is(err, group.ErrFull):
		return NewError(CodeGroupFull, err.Error())
	case errors.Is(err, group.ErrLeaseExpired):
		return NewError(CodeLeaseExpired, err.Error())
	case errors.Is(err, service.ErrAuthRequired):
		return NewError(CodeAuthRequired, service.ErrAuthRequired.Error())
	case errors.Is(err, service.ErrAuthInvalid):
		return NewError(CodeAuthInvalid, service.ErrAuthInvalid.Error())
	case errors.Is(err, service.ErrAuthForbidden):
		return NewError(CodeAuthForbidden, service.ErrAuthForbidden.Error())
	case errors.Is(err, service.ErrTooManyNamespaces):
		e := NewError(CodeRateLimited, err.Error())
		e.RetryAfter = time.Minute
		return e
	case errors.Is(err, ports.ErrUnavailable):
		return backend(http.StatusServiceUnavailable, "the database is unavailable", err)
	case errors.Is(err, context.DeadlineExceeded):
		return backend(http.StatusServiceUnavailable, "the database did not answer in time", err)
	default:
		return backend(http.StatusInternalServerError, "internal backend error", err)
	}
}

func backend(status int, message string, cause error) *Error {
	return &Error{Status: status, Code: CodeBackend, Message: message, cause: cause}
}
