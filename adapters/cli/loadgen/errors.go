package loadgen

import "fmt"

// UnreachableError is a server that did not answer the first request.
type UnreachableError struct {
	URL string
	Err error
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach the server at %s: %v", e.URL, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// RefusedError is a server that refused the first request for
// authentication (HTTP 401 or 403): every request would fail the same way.
type RefusedError struct {
	URL string
	Err error
}

func (e *RefusedError) Error() string {
	return fmt.Sprintf("the server at %s refused the token: %v", e.URL, e.Err)
}

func (e *RefusedError) Unwrap() error { return e.Err }

// SetupError is a failure to pre-fill the data a row reads.
type SetupError struct {
	Row string // the row's name
	Err error
}

func (e *SetupError) Error() string {
	return fmt.Sprintf("preparing %s: %v", e.Row, e.Err)
}

func (e *SetupError) Unwrap() error { return e.Err }
