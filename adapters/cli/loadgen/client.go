package loadgen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/eventodb/eventodb/client"
)

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

// newClient returns the EventoDB client of a run. Every request is one
// attempt: a benchmark counts failures instead of hiding them behind
// retries; and ids are the server's, as for the clients the guide measured.
func newClient(base *url.URL, token string, hc *http.Client) (*client.Client, error) {
	return client.New(base.String(), client.WithToken(token), client.WithHTTPClient(hc),
		client.WithRetry(client.NoRetry), client.WithAutoIDs(false))
}

// result is the outcome of one request.
type result struct {
	err      *RemoteError // nil: HTTP 200
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

// send runs one measured request; its answer is read and dropped.
func (r *Runner) send(ctx context.Context, req request) result {
	err := r.client.Call(ctx, nil, req.method, req.args...)
	switch {
	case err == nil:
		return result{}
	case ctx.Err() != nil:
		return result{canceled: true}
	}
	return result{err: remoteError(err)}
}

// remoteError is err in the report's terms: the server's status and code,
// or a network failure.
func remoteError(err error) *RemoteError {
	var e *client.Error
	if errors.As(err, &e) {
		return &RemoteError{Status: e.Status, Code: e.Code, Message: e.Message}
	}
	return &RemoteError{Code: CodeNetwork, Message: err.Error()}
}

// reportable is err as setup and preflight report it: "method: HTTP 500
// BACKEND_ERROR: disk full".
func reportable(method string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", method, remoteError(err))
}
