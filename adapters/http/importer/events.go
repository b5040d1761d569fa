package importer

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/interchange"
)

// The SSE events of an import. Each is one "data:" line and a blank line.

// progressEvent follows every committed batch: the records imported so far
// and the highest global position among them (an interchange.Progress).
type progressEvent struct {
	Imported int64 `json:"imported"`
	GPos     int64 `json:"gpos"`
}

// failureEvent ends a failed import: the wire error code, a human message
// and the 1-based line of the offending record (the first line of its batch
// when the whole batch failed). The records before that line are imported,
// the others not.
type failureEvent struct {
	Code    string `json:"error"`
	Message string `json:"message"`
	Line    int64  `json:"line"`
	cause   error  // internal error, for logs
}

// newFailureEvent is the event that tells f, in the wire's codes.
func newFailureEvent(f *interchange.Failure) *failureEvent {
	e := httpapi.ImportError(f.Err)
	return &failureEvent{Code: e.Code, Message: e.Message, Line: f.Line, cause: f.Err}
}

// Done ends a successful import.
type Done struct {
	Done     bool   `json:"done"`
	Imported int64  `json:"imported"`
	Elapsed  string `json:"elapsed"` // a Go duration: "2.3s", "45ms"
}

// elapsed formats d like the Done event: tenths of seconds from one second
// on, milliseconds below.
func elapsed(d time.Duration) string {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond).String()
	}
	return d.Round(time.Millisecond).String()
}

// eventWriter writes SSE data events and flushes each one. After a failed
// write (the client went away) it writes nothing more and keeps the error.
type eventWriter struct {
	w    http.ResponseWriter
	rc   *http.ResponseController
	idle time.Duration // each write may take this long; 0: no deadline set
	err  error
}

// start sends the status and headers of the event stream.
func (e *eventWriter) start() error {
	h := e.w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // proxies must not hold progress back
	e.w.WriteHeader(http.StatusOK)
	e.flush()
	return e.err
}

// send writes v as one event.
func (e *eventWriter) send(v any) {
	if e.err != nil {
		return
	}
	body, err := json.Marshal(v)
	if err != nil {
		e.err = err
		return
	}
	buf := make([]byte, 0, len(body)+8)
	buf = append(buf, "data: "...)
	buf = append(buf, body...)
	buf = append(buf, '\n', '\n')
	if e.idle > 0 {
		_ = e.rc.SetWriteDeadline(time.Now().Add(e.idle))
	}
	if _, e.err = e.w.Write(buf); e.err == nil {
		e.flush()
	}
}

func (e *eventWriter) flush() {
	if err := e.rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
		e.err = err
	}
}
