package client

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Client talks to one EventoDB server with one token. It is safe for
// concurrent use and keeps its connections open between calls: create one
// per server and token, share it, and derive clients for other tokens of the
// same server with ForToken.
type Client struct {
	base      string // the server's base URL, without a trailing slash
	rpcURL    string // base + "/rpc"
	auth      string // "Bearer <token>", or "" to send none
	userAgent string
	http      *http.Client
	retry     RetryPolicy
	autoIDs   bool
}

// DefaultUserAgent is the User-Agent header of a client without
// WithUserAgent.
const DefaultUserAgent = "eventodb-go-client"

// New returns a client of the server at baseURL, e.g. "http://localhost:8080"
// (a path prefix is kept: "https://host/eventodb"). It sends no request: a
// server that is down shows up at the first call.
func New(baseURL string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("eventodb: server URL %q must look like http://host:8080", baseURL)
	}
	c := &Client{
		base:      u.String(),
		userAgent: DefaultUserAgent,
		retry:     DefaultRetryPolicy(),
		autoIDs:   true,
	}
	c.rpcURL = c.base + "/rpc"
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.http == nil {
		c.http = &http.Client{Transport: newTransport()}
	}
	return c, nil
}

// ForToken returns a client of the same server that sends token instead,
// sharing this client's connections and settings: for instance the client
// of a namespace that CreateNamespace just made. "" sends no token.
func (c *Client) ForToken(token string) *Client {
	d := *c
	d.auth = bearer(token)
	return &d
}

// CloseIdleConnections closes the connections kept open for later calls,
// e.g. at shutdown. The client stays usable.
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

// URL returns the server's base URL, without a trailing slash.
func (c *Client) URL() string { return c.base }

func bearer(token string) string {
	if token == "" {
		return ""
	}
	return "Bearer " + token
}

// newTransport returns the transport of a client without WithHTTPClient:
// keep-alive connections, enough of them idle per host for a busy program,
// and no overall timeout (subscriptions, imports and exports run long; use
// contexts to bound calls).
func newTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = 256
	tr.MaxIdleConnsPerHost = 64
	// Shorter than the server's idle timeout (120 s by default), so the
	// client drops an idle connection before the server closes it under a
	// request.
	tr.IdleConnTimeout = 90 * time.Second
	// Imports ask for 100 Continue, so a refused token is answered before
	// the body is sent.
	tr.ExpectContinueTimeout = 5 * time.Second
	return tr
}

// setHeaders sets what every request carries.
func (c *Client) setHeaders(h http.Header, contentType string) {
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
	if c.auth != "" {
		h.Set("Authorization", c.auth)
	}
	if c.userAgent != "" {
		h.Set("User-Agent", c.userAgent)
	}
}
