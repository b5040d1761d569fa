package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error is an error answer of the server (PROTOCOL.md §5). Match it with
// errors.Is and the Err… values (errors.Is(err, client.ErrVersionConflict)),
// or read it with errors.As. Failures without an answer (a refused
// connection, a dropped one) are ordinary errors, not *Error.
type Error struct {
	// Status is the HTTP status, e.g. 409.
	Status int
	// Code is the wire code, one of the Code… constants, or "" for an answer
	// without the error envelope (e.g. a proxy's 502 page).
	Code string
	// Message is the server's explanation, for people: program against Code.
	Message string
	// Details holds the structured details some codes carry (see
	// VersionConflict and DuplicateID); numbers are json.Number.
	Details map[string]any
	// RetryAfter is the wait a RATE_LIMITED answer asks for; 0 otherwise.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	code := e.Code
	if code == "" {
		code = "HTTP " + strconv.Itoa(e.Status)
	} else if e.Status != 0 {
		code += " (" + strconv.Itoa(e.Status) + ")"
	}
	if e.Message == "" {
		return code
	}
	return code + ": " + e.Message
}

// Is reports whether target is the Err… value of e's code.
func (e *Error) Is(target error) bool {
	s, ok := sentinels[e.Code]
	return ok && s == target
}

// VersionConflict returns the expected and actual versions of the
// STREAM_VERSION_CONFLICT error in err's chain; ok is false when there is
// none. actual is NoStream (-1) for a stream that does not exist.
func VersionConflict(err error) (expected, actual int64, ok bool) {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeVersionConflict {
		return 0, 0, false
	}
	expected, okE := detailInt(e.Details, "expected")
	actual, okA := detailInt(e.Details, "actual")
	return expected, actual, okE && okA
}

// DuplicateID returns the message id of the DUPLICATE_MESSAGE_ID error in
// err's chain; ok is false when there is none.
func DuplicateID(err error) (id string, ok bool) {
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeDuplicateID {
		return "", false
	}
	id, ok = e.Details["id"].(string)
	return id, ok
}

func detailInt(details map[string]any, key string) (int64, bool) {
	n, ok := details[key].(json.Number)
	if !ok {
		return 0, false
	}
	v, err := n.Int64()
	return v, err == nil
}

// maxErrorBody bounds what is read of an error answer.
const maxErrorBody = 64 << 10

// parseError reads an error answer: the envelope {"error": {"code",
// "message", "details"}}, or whatever text a server or proxy sent instead.
func parseError(resp *http.Response, raw []byte) *Error {
	e := &Error{Status: resp.StatusCode}
	if resp.StatusCode == http.StatusTooManyRequests {
		if secs, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && secs >= 0 {
			e.RetryAfter = time.Duration(secs) * time.Second
		}
	}
	var env struct {
		Error struct {
			Code    string         `json:"code"`
			Message string         `json:"message"`
			Details map[string]any `json:"details"`
		} `json:"error"`
	}
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if dec.Decode(&env) != nil || env.Error.Code == "" {
		e.Message = strings.TrimSpace(string(raw))
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
		return e
	}
	e.Code, e.Message, e.Details = env.Error.Code, env.Error.Message, env.Error.Details
	return e
}

// usageError is a call the client refuses before sending anything: options
// that do not go together. errors.Is matches it with ErrInvalidRequest, as it
// would the server's refusal.
type usageError struct{ msg string }

func (e *usageError) Error() string        { return e.msg }
func (e *usageError) Is(target error) bool { return target == ErrInvalidRequest }

// opError prefixes err with the operation that failed, keeping it
// inspectable with errors.Is and errors.As.
func opError(op string, err error) error {
	return fmt.Errorf("eventodb: %s: %w", op, err)
}
