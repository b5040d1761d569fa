package loadgen

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Defaults and bounds of Config.
const (
	DefaultURL         = "http://localhost:8080"
	DefaultConcurrency = 10
	DefaultRequests    = 2000
	DefaultDuration    = 10 * time.Second
	DefaultBatch       = 100

	// MaxRequests bounds the latency samples kept per row (8 bytes each).
	MaxRequests = 10_000_000
	// MaxConcurrency bounds the workers (and idle connections) of a row.
	MaxConcurrency = 10_000
	// MaxBatch is the server's largest batchSize.
	MaxBatch = 10_000
)

// Config is one load-generator run. Start from DefaultConfig.
type Config struct {
	// URL is the server's base URL, e.g. http://localhost:8080. Traffic goes
	// nowhere else.
	URL string
	// Token is the namespace token sent as a bearer token; "" sends none
	// (a server in test mode then uses the default namespace).
	Token string
	// Scenario picks the rows (see Scenario).
	Scenario Scenario
	// Concurrency is the number of workers of the concurrent rows (see
	// Scenario), at least 1; default 10.
	Concurrency int
	// Requests is the most requests a row sends, at least 1; default 2000.
	Requests int
	// Duration is the longest a row starts new requests, more than 0;
	// default 10 s. Requests in flight at the end still complete.
	Duration time.Duration
	// Batch is the number of messages each stream.get and category.get
	// reads (and is pre-filled for them), 1-10000; default 100. The guide's
	// read targets are for 100.
	Batch int
	// RequestTimeout bounds one request, more than 0; default 30 s.
	RequestTimeout time.Duration
	// RunID names the run's streams and category; "" picks a random one.
	// Otherwise 1-32 letters or digits.
	RunID string
	// HTTPClient, when set, is used instead of a keep-alive client with
	// Concurrency idle connections per host.
	HTTPClient *http.Client
	// OnRow, when set, is called after each row with its result.
	OnRow func(Row)
}

// DefaultConfig returns the defaults: the server on localhost:8080, every
// scenario, 10 concurrent workers, rows of at most 2000 requests or 10 s,
// reads of 100 messages.
func DefaultConfig() Config {
	return Config{
		URL:            DefaultURL,
		Scenario:       All,
		Concurrency:    DefaultConcurrency,
		Requests:       DefaultRequests,
		Duration:       DefaultDuration,
		Batch:          DefaultBatch,
		RequestTimeout: 30 * time.Second,
	}
}

// ConfigError is an invalid Config field.
type ConfigError struct {
	Field  string // "url", "scenario", "concurrency", …
	Reason string // what is wrong, e.g. "must be at least 1, got -2"
}

func (e *ConfigError) Error() string { return "loadgen: " + e.Field + " " + e.Reason }

// validate checks c and returns the parsed base URL.
func (c Config) validate() (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(c.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return nil, &ConfigError{"url", fmt.Sprintf("must look like http://localhost:8080, got %q", c.URL)}
	}
	if _, err := ParseScenario(string(c.Scenario)); err != nil {
		return nil, err
	}
	checks := []struct {
		field    string
		v, lo, h int64
		unit     string
	}{
		{"concurrency", int64(c.Concurrency), 1, MaxConcurrency, ""},
		{"requests", int64(c.Requests), 1, MaxRequests, ""},
		{"batch", int64(c.Batch), 1, MaxBatch, ""},
	}
	for _, ck := range checks {
		if ck.v < ck.lo || ck.v > ck.h {
			return nil, &ConfigError{ck.field, fmt.Sprintf("must be between %d and %d, got %d", ck.lo, ck.h, ck.v)}
		}
	}
	if c.Duration <= 0 {
		return nil, &ConfigError{"duration", fmt.Sprintf("must be positive, got %s", c.Duration)}
	}
	if c.RequestTimeout <= 0 {
		return nil, &ConfigError{"request timeout", fmt.Sprintf("must be positive, got %s", c.RequestTimeout)}
	}
	if c.RunID != "" && !validRunID(c.RunID) {
		return nil, &ConfigError{"run id", fmt.Sprintf("must be 1-32 letters or digits, got %q", c.RunID)}
	}
	return u, nil
}

func validRunID(s string) bool {
	if len(s) > 32 {
		return false
	}
	for _, r := range s {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return s != ""
}
