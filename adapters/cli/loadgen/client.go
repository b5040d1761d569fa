package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// client sends RPC requests to one server. Safe for concurrent use.
type client struct {
	endpoint string // base URL + "/rpc"
	auth     string // "Bearer <token>" or ""
	http     *http.Client
}

// newHTTPClient returns a keep-alive client that keeps an idle connection
// for every worker, goes straight to the server (no proxy) and gives up on
// a request after timeout.
func newHTTPClient(workers int, timeout time.Duration) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // measure the server, not a proxy; and send nothing elsewhere
	tr.MaxIdleConns = workers + 2
	tr.MaxIdleConnsPerHost = workers + 2
	tr.MaxConnsPerHost = 0
	return &http.Client{Transport: tr, Timeout: timeout}
}

func newClient(base *url.URL, token string, hc *http.Client) *client {
	c := &client{endpoint: strings.TrimRight(base.String(), "/") + "/rpc", http: hc}
	if token != "" {
		c.auth = "Bearer " + token
	}
	return c
}

// result is the outcome of one request.
type result struct {
	err      *RemoteError // nil: HTTP 200
	body     []byte       // the response body when kept
	canceled bool         // the run's context ended: not a result at all
}

// RemoteError is a request that did not get HTTP 200: an error response of
// the server (Status > 0) or no response at all (Status 0, Code
// CodeNetwork).
type RemoteError struct {
	Status  int
	Code    string // the error code of the response, "" when it had none
	Message string
}

func (e *RemoteError) Error() string {
	if e.Status == 0 {
		return e.Message
	}
	if e.Code == "" {
		return fmt.Sprintf("HTTP %d: %s", e.Status, e.Message)
	}
	return fmt.Sprintf("HTTP %d %s: %s", e.Status, e.Code, e.Message)
}

// maxErrorBody bounds what is read of an error response.
const maxErrorBody = 64 << 10

// do posts one RPC body. The response body is read to the end (so the
// connection is reused) and kept only when keep is set.
func (c *client) do(ctx context.Context, body []byte, keep bool) result {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return result{err: &RemoteError{Code: CodeNetwork, Message: err.Error()}}
	}
	req.Header.Set("Content-Type", "application/json")
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return result{canceled: true}
		}
		return result{err: &RemoteError{Code: CodeNetwork, Message: err.Error()}}
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		var res result
		if keep {
			res.body, err = io.ReadAll(resp.Body)
		} else {
			_, err = io.Copy(io.Discard, resp.Body)
		}
		if err != nil {
			if ctx.Err() != nil {
				return result{canceled: true}
			}
			return result{err: &RemoteError{Code: CodeNetwork, Message: "reading the response: " + err.Error()}}
		}
		return res
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_, _ = io.Copy(io.Discard, resp.Body)
	return result{err: parseError(resp.StatusCode, raw)}
}

// parseError reads the error envelope {"error": {"code", "message"}}.
func parseError(status int, raw []byte) *RemoteError {
	var env struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if json.Unmarshal(raw, &env) != nil || env.Error.Code == "" {
		msg := strings.TrimSpace(string(raw))
		if msg == "" {
			msg = http.StatusText(status)
		}
		return &RemoteError{Status: status, Message: msg}
	}
	return &RemoteError{Status: status, Code: env.Error.Code, Message: env.Error.Message}
}

// call runs one RPC method and decodes its result into out (nil: ignore
// it).
func (c *client) call(ctx context.Context, out any, method string, args ...any) error {
	body, err := json.Marshal(append([]any{method}, args...))
	if err != nil {
		return err
	}
	res := c.do(ctx, body, out != nil)
	switch {
	case res.canceled:
		return ctx.Err()
	case res.err != nil:
		return fmt.Errorf("%s: %w", method, res.err)
	case out == nil:
		return nil
	}
	if err := json.Unmarshal(res.body, out); err != nil {
		return fmt.Errorf("%s: decode the result: %w", method, err)
	}
	return nil
}
