package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// Call runs an RPC method (PROTOCOL.md §2) that has no typed method here,
// or runs one with arguments of your own: it posts [method, args...] and
// decodes the result into out, which may be nil to discard it (the answer is
// still read, so the connection is reused) or a *json.RawMessage to keep it
// as sent. Call repeats a call only when its connection could not be
// opened, or, with RetryPolicy.RateLimited, after a 429: it cannot know
// whether an unknown method is safe to repeat.
func (c *Client) Call(ctx context.Context, out any, method string, args ...any) error {
	return c.call(ctx, false, out, method, args...)
}

// call is Call, retrying failures that may be temporary as well when
// idempotent says that running the call twice is harmless.
func (c *Client) call(ctx context.Context, idempotent bool, out any, method string, args ...any) error {
	body, err := encodeCall(method, args)
	if err != nil {
		return opError(method, err)
	}
	for attempt := 1; ; attempt++ {
		err := c.post(ctx, body, out)
		if err == nil {
			return nil
		}
		wait, again := c.retry.retryWait(ctx, attempt, idempotent, err)
		if !again {
			return opError(method, err)
		}
		if serr := sleep(ctx, wait); serr != nil {
			return opError(method, fmt.Errorf("%w while waiting to retry after: %w", serr, err))
		}
	}
}

// post sends one attempt of an RPC call and decodes a 200 answer into out.
// Other answers become *Error; failures to send or read are returned as
// they are.
func (c *Client) post(ctx context.Context, body []byte, out any) error {
	// A *bytes.Reader: the transport sends it with the headers in one
	// write, where it flushes the headers first for other readers (an extra
	// packet and a few tens of µs a call; golang/go#22088).
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.rpcURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	c.setHeaders(req.Header, "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return readError(resp)
	}
	return decodeBody(resp.Body, out)
}

// readError reads an error answer to its end (so the connection is reused)
// and parses it.
func readError(resp *http.Response) *Error {
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_, _ = io.Copy(io.Discard, resp.Body)
	return parseError(resp, raw)
}

// decodeBody reads a whole answer and decodes it into out (nil: discard).
// A failed read is returned as it is (the connection broke: a read may be
// retried); a body that does not decode is a *protocolError.
func decodeBody(r io.Reader, out any) error {
	if out == nil {
		_, err := io.Copy(io.Discard, r)
		return err
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if _, err := buf.ReadFrom(r); err != nil {
		return err
	}
	var err error
	if d, ok := out.(bodyDecoder); ok {
		err = d.decodeBody(buf.Bytes())
	} else {
		err = json.Unmarshal(buf.Bytes(), out)
	}
	if err != nil {
		return &protocolError{err: err}
	}
	return nil
}

// protocolError is an answer that arrived whole but does not read as the
// protocol says: a server of another kind, or a bug. Never retried.
type protocolError struct{ err error }

func (e *protocolError) Error() string { return "unexpected answer: " + e.err.Error() }
func (e *protocolError) Unwrap() error { return e.err }
