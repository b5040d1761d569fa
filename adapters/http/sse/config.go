package sse

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes subscriptions.
type Config struct {
	// Heartbeat is how long a subscription may stay silent before the server
	// sends a ": heartbeat" comment, so proxies keep idle streams open;
	// default 15s. Must be positive.
	Heartbeat time.Duration
	// MaxPerToken is the most concurrent subscriptions one token may hold;
	// one more is refused with RATE_LIMITED (429). Default 100; 0 = no limit.
	MaxPerToken int
	// PageSize is how many messages one store read returns while a
	// subscription catches up, and so the most pokes written between two
	// flushes; default 1000. It must not exceed the services' MaxBatchSize.
	PageSize int
	// StallTimeout drops a subscription whose client has read nothing for this
	// long while the server was writing to it (a flush stayed blocked); default
	// 60s; 0 = never. A merely slow client is not dropped.
	StallTimeout time.Duration
}

// DefaultConfig returns the defaults of PROTOCOL.md §5 and the performance guide.
func DefaultConfig() Config {
	return Config{Heartbeat: 15 * time.Second, MaxPerToken: 100, PageSize: 1000, StallTimeout: time.Minute}
}

// Validate rejects unusable settings.
func (c Config) Validate() error {
	var errs []error
	if c.Heartbeat <= 0 {
		errs = append(errs, fmt.Errorf("sse: heartbeat must be positive, got %s", c.Heartbeat))
	}
	if c.MaxPerToken < 0 {
		errs = append(errs, fmt.Errorf("sse: max subscriptions per token must be 0 (no limit) or more, got %d", c.MaxPerToken))
	}
	if c.PageSize < 1 {
		errs = append(errs, fmt.Errorf("sse: page size must be at least 1, got %d", c.PageSize))
	}
	if c.StallTimeout < 0 {
		errs = append(errs, errors.New("sse: stall timeout must not be negative"))
	}
	return errors.Join(errs...)
}
