package sse

import (
	"errors"
	"fmt"
	"time"
)

// Config tunes subscriptions.
type Config struct {
	// MaxPerToken is the most concurrent subscriptions one token may hold;
	// one more is refused with RATE_LIMITED (429). Default 100; 0 = no limit.
	MaxPerToken int
	// StallTimeout drops a subscription whose client has read nothing while
	// the server was writing to it (a flush stayed blocked) for between half
	// of it and all of it; default 60s; 0 = never. A merely slow client is
	// not dropped.
	StallTimeout time.Duration
}

// DefaultConfig returns the defaults of PROTOCOL.md §5 and the performance guide.
func DefaultConfig() Config {
	return Config{MaxPerToken: 100, StallTimeout: time.Minute}
}

// Validate rejects unusable settings.
func (c Config) Validate() error {
	var errs []error
	if c.MaxPerToken < 0 {
		errs = append(errs, fmt.Errorf("sse: max subscriptions per token must be 0 (no limit) or more, got %d", c.MaxPerToken))
	}
	if c.StallTimeout < 0 {
		errs = append(errs, errors.New("sse: stall timeout must not be negative"))
	}
	return errors.Join(errs...)
}
