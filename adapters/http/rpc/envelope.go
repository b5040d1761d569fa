package rpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// envelope is a parsed /rpc body: ["method", args...].
type envelope struct {
	method string
	args   []json.RawMessage
}

// readEnvelope reads at most limit bytes of body and parses the envelope.
func readEnvelope(w http.ResponseWriter, r *http.Request, limit int64) (envelope, error) {
	if n := r.ContentLength; n > 0 && n <= limit {
		// The common case, read in one allocation of the declared size
		// (bytes.Buffer would grow it once more to look for the end).
		body := make([]byte, n)
		if _, err := io.ReadFull(r.Body, body); err != nil {
			return envelope{}, bodyError(err)
		}
		return parseEnvelope(body)
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit)); err != nil {
		return envelope{}, bodyError(err)
	}
	return parseEnvelope(buf.Bytes())
}

// bodyError is the answer to a request body that could not be read.
func bodyError(err error) error {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return httpapi.NewError(httpapi.CodeInvalidRequest, "the request body ended early")
	}
	return httpapi.NewError(httpapi.CodeInvalidRequest, "cannot read the request body: "+err.Error())
}

// parseEnvelope parses the body. Every malformed body is INVALID_REQUEST, as
// the existing EventoDB server answers and its clients test for; the message
// tells malformed JSON from JSON of the wrong shape. Invalid UTF-8 is refused
// here, once for the whole request: encoding/json would silently replace it
// with U+FFFD, and the data read back would not be the data written.
func parseEnvelope(body []byte) (envelope, error) {
	trimmed := bytes.TrimSpace(body)
	if !utf8.Valid(trimmed) {
		return envelope{}, httpapi.NewError(httpapi.CodeInvalidRequest, "the request body is not valid UTF-8")
	}
	if len(trimmed) == 0 || trimmed[0] != '[' {
		if !json.Valid(trimmed) {
			return envelope{}, httpapi.NewError(httpapi.CodeInvalidRequest, "the request body is not valid JSON")
		}
		return envelope{}, httpapi.NewError(httpapi.CodeInvalidRequest, `the request body must be a JSON array ["method", args...]`)
	}
	if !json.Valid(trimmed) {
		var items []json.RawMessage // only for encoding/json's account of what is wrong
		err := json.Unmarshal(trimmed, &items)
		return envelope{}, httpapi.NewError(httpapi.CodeInvalidRequest, "the request body is not valid JSON: "+errorText(err))
	}
	items, ok := splitArray(trimmed)
	if !ok {
		return envelope{}, httpapi.NewError(httpapi.CodeInvalidRequest, "the request body is not valid JSON")
	}
	if len(items) == 0 {
		return envelope{}, httpapi.NewError(httpapi.CodeInvalidRequest, `the request array is empty: expected ["method", args...]`)
	}
	method, ok := stringValue(items[0])
	if !ok {
		return envelope{}, httpapi.NewError(httpapi.CodeInvalidRequest, "the first array element, the method, must be a string")
	}
	return envelope{method: method, args: items[1:]}, nil
}

func errorText(err error) string {
	if err == nil {
		return "malformed"
	}
	return err.Error()
}
