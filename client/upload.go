package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// errUploadOver stops the copy of an upload whose request is over.
var errUploadOver = errors.New("the upload is over")

// upload is the body of an import. The transport reads it through a pipe
// that a goroutine fills from the caller's reader: net/http reports a
// canceled request only once its body reader returned, and the caller's
// reader may block for ever (a terminal, a stalled network), so the pipe is
// closed as soon as ctx ends. It also remembers the reader's error, so a
// broken input is reported as itself rather than as the broken request it
// causes.
type upload struct {
	body *io.PipeReader
	stop func() bool // unregisters the context callback

	mu  sync.Mutex // the copying goroutine sets err
	err error
}

func newUpload(ctx context.Context, r io.Reader) *upload {
	pr, pw := io.Pipe()
	u := &upload{body: pr}
	u.stop = context.AfterFunc(ctx, func() { _ = pr.CloseWithError(ctx.Err()) })
	go func() {
		_, err := io.Copy(pw, readFunc(func(p []byte) (int, error) {
			n, err := r.Read(p)
			if err != nil && !errors.Is(err, io.EOF) {
				u.mu.Lock()
				u.err = err
				u.mu.Unlock()
			}
			return n, err
		}))
		_ = pw.CloseWithError(err) // nil: the end of the input
	}()
	return u
}

// close ends the copy once the request is over.
func (u *upload) close() {
	u.stop()
	_ = u.body.CloseWithError(errUploadOver)
}

// or returns the input's error, when it had one, instead of err.
func (u *upload) or(err error) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.err != nil {
		return fmt.Errorf("reading the input: %w", u.err)
	}
	return err
}

// readFunc is a function as an io.Reader.
type readFunc func([]byte) (int, error)

func (f readFunc) Read(p []byte) (int, error) { return f(p) }
