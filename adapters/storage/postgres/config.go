package postgres

import (
	"errors"
	"fmt"
	"time"
)

// Config says where the database is and how many connections to use.
type Config struct {
	// URL is the connection URL, postgres://user:password@host:5432/database?sslmode=…
	// (required). Any parameter pgx understands may be added, except that
	// search_path is always "eventodb" (the registry schema) and
	// application_name defaults to "eventodb". Connect directly or through a
	// session-mode pooler: appends use transaction-level advisory locks, but
	// migrations hold session-level ones.
	URL string
	// MaxConns is the most open connections of this node's pool (default 20).
	// Every namespace shares the pool; sys.health reports how busy it is.
	// Appends planned from memory travel on connections of their own
	// (append pipes, pipe.go), a quarter as many (at least 2): a namespace
	// holds one while its batches are in flight.
	MaxConns int
	// ConnectTimeout bounds opening one connection (default 5 s), so requests
	// fail fast while the database is unreachable.
	ConnectTimeout time.Duration
	// ConnMaxLifetime closes connections older than this (default 30 min), so
	// the pool rebalances after a failover; 0 keeps the default, <0 never.
	ConnMaxLifetime time.Duration
}

// DefaultMaxConns is the pool size when Config.MaxConns is not set.
const DefaultMaxConns = 20

func (c *Config) defaults() {
	if c.MaxConns == 0 {
		c.MaxConns = DefaultMaxConns
	}
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = 5 * time.Second
	}
	if c.ConnMaxLifetime == 0 {
		c.ConnMaxLifetime = 30 * time.Minute
	}
}

// Validate rejects unusable settings; zero values take their defaults.
func (c Config) Validate() error {
	var errs []error
	if c.URL == "" {
		errs = append(errs, errors.New("postgres: URL is required"))
	}
	if c.MaxConns < 0 {
		errs = append(errs, fmt.Errorf("postgres: max conns must not be negative, got %d", c.MaxConns))
	}
	if c.ConnectTimeout < 0 {
		errs = append(errs, fmt.Errorf("postgres: connect timeout must not be negative, got %s", c.ConnectTimeout))
	}
	return errors.Join(errs...)
}
