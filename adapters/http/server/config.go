package server

import (
	"errors"
	"fmt"
	"time"
)

// Config is the HTTP server's listen address, timeouts and limits.
type Config struct {
	// Host is the interface to listen on; "" (default) means every interface.
	Host string
	// Port to listen on; default 8080. 0 picks a free port (see Server.Addr).
	Port int
	// ReadTimeout bounds reading a whole request, body included; default 30s.
	// Streaming routes are exempt.
	ReadTimeout time.Duration
	// WriteTimeout bounds writing a response; default 30s. Streaming routes
	// (SSE, import) are exempt.
	WriteTimeout time.Duration
	// IdleTimeout is how long a keep-alive connection may wait for its next
	// request; default 120s.
	IdleTimeout time.Duration
	// ReadHeaderTimeout bounds reading request headers; default 10s.
	ReadHeaderTimeout time.Duration
	// MaxHeaderBytes is the largest request header accepted, bytes; default 1 MiB.
	MaxHeaderBytes int
	// ShutdownTimeout is how long Stop waits for in-flight requests before it
	// closes the remaining connections; default 30s.
	ShutdownTimeout time.Duration
}

// DefaultConfig returns the defaults of the performance guide (docs/PERFORMANCE.md).
func DefaultConfig() Config {
	return Config{
		Port:              8080,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    1 << 20,
		ShutdownTimeout:   30 * time.Second,
	}
}

// Validate rejects out-of-range values. Zero timeouts mean "no timeout", as in
// net/http.
func (c Config) Validate() error {
	var errs []error
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("http server: port must be 0..65535, got %d", c.Port))
	}
	for name, d := range map[string]time.Duration{
		"read timeout":        c.ReadTimeout,
		"write timeout":       c.WriteTimeout,
		"idle timeout":        c.IdleTimeout,
		"read header timeout": c.ReadHeaderTimeout,
		"shutdown timeout":    c.ShutdownTimeout,
	} {
		if d < 0 {
			errs = append(errs, fmt.Errorf("http server: %s must not be negative, got %s", name, d))
		}
	}
	if c.MaxHeaderBytes < 0 {
		errs = append(errs, fmt.Errorf("http server: max header bytes must not be negative, got %d", c.MaxHeaderBytes))
	}
	return errors.Join(errs...)
}
