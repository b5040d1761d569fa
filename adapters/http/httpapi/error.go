package httpapi

import (
	"net/http"
	"time"
)

// Wire error codes (PROTOCOL.md §5).
const (
	CodeInvalidRequest  = "INVALID_REQUEST"
	CodeInvalidJSON     = "INVALID_JSON"
	CodeAuthRequired    = "AUTH_REQUIRED"
	CodeAuthInvalid     = "AUTH_INVALID"
	CodeAuthForbidden   = "AUTH_FORBIDDEN"
	CodeMethodNotFound  = "METHOD_NOT_FOUND"
	CodeNSNotFound      = "NAMESPACE_NOT_FOUND"
	CodeNSExists        = "NAMESPACE_EXISTS"
	CodeVersionConflict = "STREAM_VERSION_CONFLICT"
	CodePositionExists  = "POSITION_EXISTS"
	CodeDuplicateID     = "DUPLICATE_MESSAGE_ID"
	CodeTooLarge        = "PAYLOAD_TOO_LARGE"
	CodeRateLimited     = "RATE_LIMITED"
	CodeBackend         = "BACKEND_ERROR"
	CodeImportFailed    = "IMPORT_FAILED"
	CodeGroupNotFound   = "GROUP_NOT_FOUND"
	CodeGroupExists     = "GROUP_EXISTS"
	CodeGroupFull       = "GROUP_FULL"
	CodeLeaseExpired    = "LEASE_EXPIRED"
)

// Error is a failure as the wire shows it.
type Error struct {
	Status  int            // HTTP status
	Code    string         // one of the Code constants
	Message string         // human text
	Details map[string]any // optional structured details
	// RetryAfter, when positive, is sent as Retry-After (whole seconds, at
	// least 1): when a refused request may succeed if tried again.
	RetryAfter time.Duration
	cause      error // internal error, logged but not sent
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Unwrap returns the internal error behind a backend failure, if any.
func (e *Error) Unwrap() error { return e.cause }

// NewError returns a wire error with the status the code maps to.
func NewError(code, message string) *Error {
	return &Error{Status: statusOf(code), Code: code, Message: message}
}

func statusOf(code string) int {
	switch code {
	case CodeInvalidRequest, CodeInvalidJSON:
		return http.StatusBadRequest
	case CodeAuthRequired, CodeAuthInvalid:
		return http.StatusUnauthorized
	case CodeAuthForbidden:
		return http.StatusForbidden
	case CodeMethodNotFound, CodeNSNotFound, CodeGroupNotFound:
		return http.StatusNotFound
	case CodeNSExists, CodeVersionConflict, CodePositionExists, CodeDuplicateID,
		CodeGroupExists, CodeGroupFull, CodeLeaseExpired:
		return http.StatusConflict
	case CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeRateLimited:
		return http.StatusTooManyRequests
	default:
		return http.StatusInternalServerError
	}
}
