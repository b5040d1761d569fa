package client

import (
	"errors"
	"net/http"
)

// Option configures a Client in New.
type Option func(*Client) error

// WithToken sends token (a namespace token, or the admin token) as
// "Authorization: Bearer <token>" with every request. Without it no token is
// sent, which only a server in test mode accepts.
func WithToken(token string) Option {
	return func(c *Client) error {
		c.auth = bearer(token)
		return nil
	}
}

// WithHTTPClient makes the client send its requests through hc instead of
// its own keep-alive client. hc.Timeout, when set, also bounds
// subscriptions, imports and exports: prefer contexts.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("eventodb: WithHTTPClient needs a client")
		}
		c.http = hc
		return nil
	}
}

// WithRetry replaces the DefaultRetryPolicy; NoRetry turns retries off.
func WithRetry(p RetryPolicy) Option {
	return func(c *Client) error {
		if p.MinBackoff < 0 || p.MaxBackoff < 0 {
			return errors.New("eventodb: retry backoffs must not be negative")
		}
		c.retry = p
		return nil
	}
}

// WithUserAgent sets the User-Agent header of every request ("" sends Go's
// default); the default is DefaultUserAgent.
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		c.userAgent = ua
		return nil
	}
}

// WithAutoIDs sets whether Write and WriteBatch give a time-ordered
// (version 7) UUID to every message the caller left without an id (on by
// default). With ids, a write
// that failed on the way (a dropped connection, a 503) is retried safely:
// the server answers a repeated id with the original positions instead of
// storing the message twice. Without them the server assigns the ids and
// such writes are never retried.
func WithAutoIDs(on bool) Option {
	return func(c *Client) error {
		c.autoIDs = on
		return nil
	}
}
