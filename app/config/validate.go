package config

import (
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/eventodb/eventodb/domain/namespace"
)

// Problem is one invalid setting: its key and what is wrong with it.
type Problem struct {
	Key    string
	Reason string
}

func (p Problem) String() string { return p.Key + " " + p.Reason }

// ValidationError lists every invalid setting of a Config.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "invalid configuration: " + strings.Join(parts, "; ")
}

// Validate checks every setting and returns a *ValidationError naming all the
// invalid ones, or nil.
func (c Config) Validate() error {
	v := &validator{}
	v.check(c.Port >= 0 && c.Port <= 65535, "port", "must be between 0 and 65535, got %d", c.Port)
	if backend, err := backendOf(c.DBURL); err != nil {
		v.add("db_url", err.Error())
	} else if backend == BackendSQLite && !c.InMemory() {
		v.check(c.DataDir != "", "data_dir", "must not be empty with the SQLite backend")
	}
	v.check(c.DBPoolSize >= 1, "db_pool_size", "must be at least 1, got %d", c.DBPoolSize)
	if c.Token != "" && namespace.ValidateToken(namespace.Default, c.Token) != nil {
		// The token is a secret: never echo it.
		v.add("token", fmt.Sprintf("must be the default namespace's token, ns_%s_ followed by 64 lowercase hex digits "+
			"(leave it empty to have one generated)", base64.RawURLEncoding.EncodeToString([]byte(namespace.Default))))
	}
	v.oneOf("log_level", c.LogLevel, "debug", "info", "warn", "error")
	v.oneOf("log_format", c.LogFormat, "console", "json")

	v.timeout("read_timeout", c.ReadTimeout, true)
	v.timeout("write_timeout", c.WriteTimeout, true)
	v.timeout("idle_timeout", c.IdleTimeout, true)
	v.timeout("read_header_timeout", c.ReadHeaderTimeout, true)
	v.timeout("shutdown_timeout", c.ShutdownTimeout, false)
	v.timeout("sse_heartbeat", c.SSEHeartbeat, false)
	v.timeout("slow_request", c.SlowRequest, true)
	v.timeout("import_idle_timeout", c.ImportIdleTimeout, false)
	v.timeout("test_mode_namespace_ttl", c.TestModeNamespaceTTL, true)
	v.check(c.TestModeMaxNamespaces >= 0, "test_mode_max_namespaces", "must be 0 (no cap) or more, got %d", c.TestModeMaxNamespaces)

	v.check(c.MaxHeaderBytes >= 1, "max_header_bytes", "must be at least 1, got %d", c.MaxHeaderBytes)
	v.check(c.MaxBodyBytes >= 1, "max_body_bytes", "must be at least 1, got %d", c.MaxBodyBytes)
	v.check(c.MaxMessageBytes >= 1, "max_message_bytes", "must be at least 1, got %d", c.MaxMessageBytes)
	v.check(c.MaxBatchSize >= 1, "max_batch_size", "must be at least 1, got %d", c.MaxBatchSize)
	v.check(c.MaxWriteBatch >= 1, "max_write_batch", "must be at least 1, got %d", c.MaxWriteBatch)
	v.check(c.RateLimit >= 0, "rate_limit", "must be 0 (no limit) or more, got %d", c.RateLimit)
	v.check(c.MaxSSEPerToken >= 0, "max_sse_per_token", "must be 0 (no limit) or more, got %d", c.MaxSSEPerToken)
	v.check(c.GCPercent >= 1, "gc_percent", "must be 1 or more, got %d (set GOGC=off to turn the collector off)", c.GCPercent)
	v.check(c.GroupMetricsMaxGroups >= 0, "group_metrics_max_groups", "must be 0 (none) or more, got %d", c.GroupMetricsMaxGroups)
	v.check(c.MaxStreamedPerToken >= 0, "max_streamed_per_token", "must be 0 (no limit) or more, got %d", c.MaxStreamedPerToken)
	v.check(c.ReadPageBytes >= 64<<10, "read_page_bytes", "must be at least 65536, got %d", c.ReadPageBytes)
	return v.err()
}

// validator collects problems.
type validator struct {
	problems []Problem
}

func (v *validator) add(key, reason string) {
	v.problems = append(v.problems, Problem{Key: key, Reason: reason})
}

func (v *validator) check(ok bool, key, format string, args ...any) {
	if !ok {
		v.add(key, fmt.Sprintf(format, args...))
	}
}

func (v *validator) oneOf(key, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	v.add(key, fmt.Sprintf("must be one of %s, got %q", strings.Join(allowed, ", "), value))
}

// timeout accepts 0 only when zeroOK (meaning "no timeout"), and rejects
// positive values under a millisecond: they come from numbers written without
// a unit (30 instead of 30s), which would mean nanoseconds.
func (v *validator) timeout(key string, d time.Duration, zeroOK bool) {
	switch {
	case d < 0:
		v.add(key, fmt.Sprintf("must not be negative, got %v", d))
	case d == 0 && !zeroOK:
		v.add(key, "must be positive, e.g. 30s")
	case d > 0 && d < time.Millisecond:
		v.add(key, fmt.Sprintf("is %v; write the unit, e.g. 30s or 2m", d))
	}
}

func (v *validator) err() error {
	if len(v.problems) == 0 {
		return nil
	}
	return &ValidationError{Problems: v.problems}
}
