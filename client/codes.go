package client

import "errors"

// The wire error codes (PROTOCOL.md §5), as they appear in Error.Code.
const (
	CodeInvalidRequest    = "INVALID_REQUEST"         // 400: bad arguments; the message names the argument
	CodeInvalidJSON       = "INVALID_JSON"            // 400: an import line that is not a valid record
	CodeAuthRequired      = "AUTH_REQUIRED"           // 401: no token
	CodeAuthInvalid       = "AUTH_INVALID"            // 401: a malformed token, or one no namespace has
	CodeAuthForbidden     = "AUTH_FORBIDDEN"          // 403: a valid token that may not do this
	CodeMethodNotFound    = "METHOD_NOT_FOUND"        // 404: an unknown RPC method
	CodeNamespaceNotFound = "NAMESPACE_NOT_FOUND"     // 404: the namespace does not exist
	CodeGroupNotFound     = "GROUP_NOT_FOUND"         // 404: the consumer group does not exist
	CodeNamespaceExists   = "NAMESPACE_EXISTS"        // 409: CreateNamespace of a taken id
	CodeVersionConflict   = "STREAM_VERSION_CONFLICT" // 409: the expected version did not match
	CodePositionExists    = "POSITION_EXISTS"         // 409: an imported position is taken
	CodeDuplicateID       = "DUPLICATE_MESSAGE_ID"    // 409: a message id exists with other content
	CodeGroupExists       = "GROUP_EXISTS"            // 409: CreateGroup of a name taken by another definition
	CodeGroupFull         = "GROUP_FULL"              // 409: JoinGroup while a live lease holds every member
	CodeLeaseExpired      = "LEASE_EXPIRED"           // 409: a lease that no longer holds its member; nothing changed
	CodePayloadTooLarge   = "PAYLOAD_TOO_LARGE"       // 413: a body or message over its limit
	CodeRateLimited       = "RATE_LIMITED"            // 429: over a per-token limit
	CodeBackend           = "BACKEND_ERROR"           // 500, or 503 while the database is unreachable
	CodeImportFailed      = "IMPORT_FAILED"           // 500: an import stopped by an internal failure
)

// One error value per wire code, for errors.Is. An *Error or *ImportError
// matches the value of its code.
var (
	ErrInvalidRequest    = errors.New("eventodb: " + CodeInvalidRequest)
	ErrInvalidJSON       = errors.New("eventodb: " + CodeInvalidJSON)
	ErrAuthRequired      = errors.New("eventodb: " + CodeAuthRequired)
	ErrAuthInvalid       = errors.New("eventodb: " + CodeAuthInvalid)
	ErrAuthForbidden     = errors.New("eventodb: " + CodeAuthForbidden)
	ErrMethodNotFound    = errors.New("eventodb: " + CodeMethodNotFound)
	ErrNamespaceNotFound = errors.New("eventodb: " + CodeNamespaceNotFound)
	ErrGroupNotFound     = errors.New("eventodb: " + CodeGroupNotFound)
	ErrNamespaceExists   = errors.New("eventodb: " + CodeNamespaceExists)
	ErrVersionConflict   = errors.New("eventodb: " + CodeVersionConflict)
	ErrPositionExists    = errors.New("eventodb: " + CodePositionExists)
	ErrDuplicateID       = errors.New("eventodb: " + CodeDuplicateID)
	ErrGroupExists       = errors.New("eventodb: " + CodeGroupExists)
	ErrGroupFull         = errors.New("eventodb: " + CodeGroupFull)
	ErrLeaseExpired      = errors.New("eventodb: " + CodeLeaseExpired)
	ErrPayloadTooLarge   = errors.New("eventodb: " + CodePayloadTooLarge)
	ErrRateLimited       = errors.New("eventodb: " + CodeRateLimited)
	ErrBackend           = errors.New("eventodb: " + CodeBackend)
	ErrImportFailed      = errors.New("eventodb: " + CodeImportFailed)
)

// sentinels maps each code to its error value.
var sentinels = map[string]error{
	CodeInvalidRequest:    ErrInvalidRequest,
	CodeInvalidJSON:       ErrInvalidJSON,
	CodeAuthRequired:      ErrAuthRequired,
	CodeAuthInvalid:       ErrAuthInvalid,
	CodeAuthForbidden:     ErrAuthForbidden,
	CodeMethodNotFound:    ErrMethodNotFound,
	CodeNamespaceNotFound: ErrNamespaceNotFound,
	CodeGroupNotFound:     ErrGroupNotFound,
	CodeNamespaceExists:   ErrNamespaceExists,
	CodeVersionConflict:   ErrVersionConflict,
	CodePositionExists:    ErrPositionExists,
	CodeDuplicateID:       ErrDuplicateID,
	CodeGroupExists:       ErrGroupExists,
	CodeGroupFull:         ErrGroupFull,
	CodeLeaseExpired:      ErrLeaseExpired,
	CodePayloadTooLarge:   ErrPayloadTooLarge,
	CodeRateLimited:       ErrRateLimited,
	CodeBackend:           ErrBackend,
	CodeImportFailed:      ErrImportFailed,
}

// statusOf is the HTTP status that goes with a code, for errors that arrive
// without one (a subscription's or an import's error event).
func statusOf(code string) int {
	switch code {
	case CodeInvalidRequest, CodeInvalidJSON:
		return 400
	case CodeAuthRequired, CodeAuthInvalid:
		return 401
	case CodeAuthForbidden:
		return 403
	case CodeMethodNotFound, CodeNamespaceNotFound, CodeGroupNotFound:
		return 404
	case CodeNamespaceExists, CodeVersionConflict, CodePositionExists, CodeDuplicateID, CodeGroupExists, CodeGroupFull, CodeLeaseExpired:
		return 409
	case CodePayloadTooLarge:
		return 413
	case CodeRateLimited:
		return 429
	default:
		return 500
	}
}
