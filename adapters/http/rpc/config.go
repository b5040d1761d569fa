package rpc

import (
	"errors"
	"fmt"
)

// Config tunes the RPC endpoint.
type Config struct {
	// MaxBodyBytes is the largest /rpc request body, bytes; default 1 MiB.
	// A larger body is refused with PAYLOAD_TOO_LARGE.
	MaxBodyBytes int64
	// RateLimit is the sustained requests per second allowed per token;
	// default 0 (off): a database server must not cap one application's
	// throughput unless its operator asks.
	RateLimit float64
	// Burst is how many requests a token may make at once above RateLimit;
	// 0 with a RateLimit means one second's worth.
	Burst int
	// TestMode sets X-EventoDB-Token on responses (the token of the namespace
	// that served the request); default false.
	TestMode bool
	// Version is the server version reported by sys.version and GET /version.
	Version string
}

// DefaultConfig returns the default limits: 1 MiB bodies, no rate limit.
func DefaultConfig() Config {
	return Config{MaxBodyBytes: 1 << 20, Version: "0.1.0"}
}

// Validate rejects unusable settings.
func (c Config) Validate() error {
	var errs []error
	if c.MaxBodyBytes <= 0 {
		errs = append(errs, fmt.Errorf("rpc: max body bytes must be positive, got %d", c.MaxBodyBytes))
	}
	if c.RateLimit < 0 {
		errs = append(errs, fmt.Errorf("rpc: rate limit must not be negative, got %g", c.RateLimit))
	}
	if c.Burst < 0 {
		errs = append(errs, fmt.Errorf("rpc: burst must not be negative, got %d", c.Burst))
	}
	if c.Version == "" {
		errs = append(errs, errors.New("rpc: version must not be empty"))
	}
	return errors.Join(errs...)
}
