package client

import "context"

// Health is the server's health as sys.health reports it.
type Health struct {
	// Status is "ok".
	Status string `json:"status"`
	// Backend is the storage: "sqlite", "postgres" or "memory".
	Backend string `json:"backend"`
	// Connections is the number of open database connections.
	Connections int `json:"connections"`
	// Pool holds the connection pool's figures when HealthOptions.Pool
	// asked for them.
	Pool *PoolStats `json:"pool,omitempty"`
}

// PoolStats are the figures of the server's database connection pool: a
// growing WaitCount with InUse at MaxOpen means the pool is exhausted.
type PoolStats struct {
	// InUse is the number of connections running a query.
	InUse int `json:"inUse"`
	// Idle is the number of open connections waiting for one.
	Idle int `json:"idle"`
	// MaxOpen is the most connections the pool opens.
	MaxOpen int `json:"maxOpen"`
	// WaitCount is how many times a query waited for a connection.
	WaitCount int64 `json:"waitCount"`
}

// HealthOptions are the options of Health; nil means none.
type HealthOptions struct {
	// Pool adds the connection pool's figures.
	Pool bool `json:"pool,omitempty"`
}

// Health asks the server how it is. A server whose database is unreachable
// answers ErrBackend (HTTP 503).
func (c *Client) Health(ctx context.Context, opts *HealthOptions) (*Health, error) {
	var args []any
	if opts != nil && opts.Pool {
		args = append(args, opts)
	}
	var out Health
	if err := c.call(ctx, true, &out, "sys.health", args...); err != nil {
		return nil, err
	}
	return &out, nil
}

// ServerVersion returns the server's version, e.g. "0.1.0". It needs any
// valid token, so it also checks the token.
func (c *Client) ServerVersion(ctx context.Context) (string, error) {
	var v string
	if err := c.call(ctx, true, &v, "sys.version"); err != nil {
		return "", err
	}
	return v, nil
}
