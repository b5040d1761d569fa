package rpc

import (
	"net/http"
	"strconv"
	"sync"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/stream"
)

// flushAt is how much encoded JSON a streamed answer buffers before it
// writes: a small answer goes out in one write with a Content-Length, a large
// one in pieces of this size.
const flushAt = 64 << 10

var streamBufs = sync.Pool{New: func() any { b := make([]byte, 0, flushAt+4<<10); return &b }}

// writeStreamed writes a Streamed result as one JSON array, encoding each
// message as it is read. The status and headers go out with the first
// write, so an error before it is an ordinary error response. An error after
// it cannot be reported any more; the connection is aborted instead, so the
// client sees a failed response rather than a truncated array that parses.
func writeStreamed(w http.ResponseWriter, r *http.Request, s Streamed, failure func(error) error) {
	bp := streamBufs.Get().(*[]byte)
	defer streamBufs.Put(bp)
	buf := append((*bp)[:0], '[')
	started := false // headers and a first piece sent
	var writeErr error
	err := s.Run(func(m *stream.Message) error {
		if len(buf) > 1 || started {
			buf = append(buf, ',')
		}
		buf = s.Append(buf, m)
		if len(buf) < flushAt {
			return nil
		}
		if !started {
			started = true
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
		}
		_, writeErr = w.Write(buf)
		buf = buf[:0]
		return writeErr
	})
	*bp = buf[:0]
	switch {
	case err == nil && !started:
		buf = append(buf, ']')
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", strconv.Itoa(len(buf)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(buf)
	case err == nil:
		_, _ = w.Write(append(buf, ']'))
	case !started:
		httpapi.WriteError(w, r, failure(err))
	default:
		info := httpapi.RequestInfoFrom(r.Context())
		info.SetErrorCode(httpapi.ToError(err).Code)
		info.SetCause(err)
		panic(http.ErrAbortHandler) // net/http closes the connection quietly
	}
}
