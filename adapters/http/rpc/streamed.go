package rpc

import (
	"encoding/json"
	"net/http"

	"github.com/eventodb/eventodb/adapters/http/server"
)

// writeStreamed writes a Streamed result as one JSON array, one Write per
// page. The status and headers go out with the first page, so an error before
// it is an ordinary error response. An error after it cannot be reported any
// more; the connection is aborted instead, so the client sees a failed
// response rather than a truncated array that parses.
func writeStreamed(w http.ResponseWriter, r *http.Request, run Streamed) {
	started, wrote := false, false
	var writeErr error
	err := run(func(elems []json.RawMessage) error {
		if writeErr != nil {
			return writeErr
		}
		size := 1
		for _, e := range elems {
			size += len(e) + 1
		}
		buf := make([]byte, 0, size)
		if !started {
			started = true
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			buf = append(buf, '[')
		}
		for _, e := range elems {
			if wrote {
				buf = append(buf, ',')
			}
			wrote = true
			buf = append(buf, e...)
		}
		if len(buf) > 0 {
			_, writeErr = w.Write(buf)
		}
		return writeErr
	})
	switch {
	case err == nil && !started:
		writeBody(w, http.StatusOK, []byte("[]"))
	case err == nil:
		_, _ = w.Write([]byte{']'})
	case !started:
		WriteError(w, r, err)
	default:
		info := server.RequestInfoFrom(r.Context())
		info.SetErrorCode(ToError(err).Code)
		info.SetCause(err)
		panic(http.ErrAbortHandler) // net/http closes the connection quietly
	}
}
