package pgnotify

import (
	"errors"
	"fmt"
	"time"
)

// Config says where the database is and how the listener behaves.
type Config struct {
	// URL is the PostgreSQL connection URL, the same database as the storage's
	// (required).
	URL string
	// Channel is the LISTEN/NOTIFY channel every node of one deployment shares
	// (default "eventodb").
	Channel string
	// ConnectTimeout bounds opening a connection and a liveness ping (default 5 s).
	ConnectTimeout time.Duration
	// MinBackoff is the first pause before reconnecting (default 100 ms); it
	// doubles after each failed attempt up to MaxBackoff (default 5 s).
	MinBackoff, MaxBackoff time.Duration
	// PingInterval is how long the listener waits for a notification before
	// checking that its connection is alive (default 30 s), so a connection
	// that died silently is replaced.
	PingInterval time.Duration
}

func (c *Config) defaults() {
	if c.Channel == "" {
		c.Channel = "eventodb"
	}
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = 5 * time.Second
	}
	if c.MinBackoff == 0 {
		c.MinBackoff = 100 * time.Millisecond
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = 5 * time.Second
	}
	c.MaxBackoff = max(c.MaxBackoff, c.MinBackoff)
	if c.PingInterval == 0 {
		c.PingInterval = 30 * time.Second
	}
}

// Validate rejects unusable settings; zero values take their defaults.
func (c Config) Validate() error {
	var errs []error
	if c.URL == "" {
		errs = append(errs, errors.New("pgnotify: URL is required"))
	}
	for name, d := range map[string]time.Duration{
		"connect timeout": c.ConnectTimeout, "min backoff": c.MinBackoff,
		"max backoff": c.MaxBackoff, "ping interval": c.PingInterval,
	} {
		if d < 0 {
			errs = append(errs, fmt.Errorf("pgnotify: %s must not be negative, got %s", name, d))
		}
	}
	return errors.Join(errs...)
}
