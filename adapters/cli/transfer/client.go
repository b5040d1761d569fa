package transfer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to an EventoDB server with a namespace token. Safe for
// concurrent use.
type Client struct {
	base  *url.URL
	token string
	http  *http.Client
}

// NewClient returns a client of the server at baseURL ("http://host:8080").
// hc may be nil for a client without overall timeouts (imports and exports
// run long).
func NewClient(baseURL, token string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server URL %q must look like http://host:8080", baseURL)
	}
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		// Imports ask for 100 Continue, so a refused token or namespace is
		// answered before the body is sent.
		tr.ExpectContinueTimeout = 5 * time.Second
		hc = &http.Client{Transport: tr}
	}
	return &Client{base: u, token: token, http: hc}, nil
}

// RemoteError is an error response of the server.
type RemoteError struct {
	Status  int
	Code    string
	Message string
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("server answered %d %s: %s", e.Status, e.Code, e.Message)
}

// post sends body to path and returns the response, or a *RemoteError for a
// status other than 200.
func (c *Client) post(ctx context.Context, path, contentType string, body io.Reader, expectContinue bool) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base.String()+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", contentType)
	if expectContinue {
		req.Header.Set("Expect", "100-continue")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusOK {
		return resp, nil
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var env struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	if json.Unmarshal(raw, &env) != nil || env.Error.Code == "" {
		return nil, &RemoteError{Status: resp.StatusCode, Code: "HTTP_" + fmt.Sprint(resp.StatusCode), Message: strings.TrimSpace(string(raw))}
	}
	return nil, &RemoteError{Status: resp.StatusCode, Code: env.Error.Code, Message: env.Error.Message}
}

// call runs one RPC method and decodes its result into out.
func (c *Client) call(ctx context.Context, out any, method string, args ...any) error {
	body, err := json.Marshal(append([]any{method}, args...))
	if err != nil {
		return err
	}
	resp, err := c.post(ctx, "/rpc", "application/json", bytes.NewReader(body), false)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	defer resp.Body.Close()
	dec := json.NewDecoder(resp.Body)
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("%s: decode the result: %w", method, err)
	}
	return nil
}

// Categories lists the categories of the token's namespace.
func (c *Client) Categories(ctx context.Context) ([]string, error) {
	var infos []struct {
		Category string `json:"category"`
	}
	if err := c.call(ctx, &infos, "ns.categories"); err != nil {
		return nil, err
	}
	names := make([]string, len(infos))
	for i, info := range infos {
		names[i] = info.Category
	}
	return names, nil
}

// errShortRow is a category.get row that is not the 8-element array.
var errShortRow = errors.New("category.get returned a row that is not [id, stream, type, position, globalPosition, data, metadata, time]")
