package config_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/app/config"
)

func TestValidate(t *testing.T) {
	t.Parallel()
	const adminToken = "ns_ZGVmYXVsdA_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		name     string
		mutate   func(c *config.Config)
		wantKeys []string // keys of the expected problems, in order; none: valid
	}{
		{name: "defaults", mutate: func(*config.Config) {}},
		{name: "port 0 picks a free port", mutate: func(c *config.Config) { c.Port = 0 }},
		{name: "postgres URL", mutate: func(c *config.Config) { c.DBURL = "postgresql://u:p@db:5432/e?sslmode=disable" }},
		{name: "admin token", mutate: func(c *config.Config) { c.Token = adminToken }},
		{name: "timeouts of 0 mean none", mutate: func(c *config.Config) { c.ReadTimeout, c.WriteTimeout = 0, 0 }},
		{name: "limits of 0 mean off", mutate: func(c *config.Config) { c.RateLimit, c.MaxSSEPerToken = 0, 0 }},
		{name: "test mode needs no data dir", mutate: func(c *config.Config) { c.TestMode, c.DataDir = true, "" }},
		{name: "port out of range", mutate: func(c *config.Config) { c.Port = 65536 }, wantKeys: []string{"port"}},
		{name: "negative port", mutate: func(c *config.Config) { c.Port = -1 }, wantKeys: []string{"port"}},
		{name: "unknown scheme", mutate: func(c *config.Config) { c.DBURL = "mysql://x" }, wantKeys: []string{"db_url"}},
		{name: "no scheme", mutate: func(c *config.Config) { c.DBURL = "metadata.db" }, wantKeys: []string{"db_url"}},
		{name: "empty data dir", mutate: func(c *config.Config) { c.DataDir = "" }, wantKeys: []string{"data_dir"}},
		{name: "gc percent", mutate: func(c *config.Config) { c.GCPercent = 0 }, wantKeys: []string{"gc_percent"}},
		{name: "pool size", mutate: func(c *config.Config) { c.DBPoolSize = 0 }, wantKeys: []string{"db_pool_size"}},
		{
			name:     "token of another namespace",
			mutate:   func(c *config.Config) { c.Token = strings.Replace(adminToken, "ZGVmYXVsdA", "b3RoZXI", 1) },
			wantKeys: []string{"token"},
		},
		{name: "log level", mutate: func(c *config.Config) { c.LogLevel = "trace" }, wantKeys: []string{"log_level"}},
		{name: "log format", mutate: func(c *config.Config) { c.LogFormat = "text" }, wantKeys: []string{"log_format"}},
		{
			name:     "durations without a unit",
			mutate:   func(c *config.Config) { c.ReadTimeout, c.IdleTimeout = 30, -time.Second },
			wantKeys: []string{"read_timeout", "idle_timeout"},
		},
		{
			name:     "shutdown and heartbeat must be positive",
			mutate:   func(c *config.Config) { c.ShutdownTimeout, c.SSEHeartbeat = 0, 0 },
			wantKeys: []string{"shutdown_timeout", "sse_heartbeat"},
		},
		{
			name: "every size limit",
			mutate: func(c *config.Config) {
				c.MaxHeaderBytes, c.MaxBodyBytes, c.MaxMessageBytes = 0, 0, 0
				c.MaxBatchSize, c.MaxWriteBatch, c.RateLimit, c.MaxSSEPerToken = 0, 0, -1, -1
			},
			wantKeys: []string{"max_header_bytes", "max_body_bytes", "max_message_bytes",
				"max_batch_size", "max_write_batch", "rate_limit", "max_sse_per_token"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := config.Default()
			tt.mutate(&c)
			err := c.Validate()
			if len(tt.wantKeys) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var verr *config.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("Validate() = %v, want a *ValidationError", err)
			}
			var keys []string
			for _, p := range verr.Problems {
				keys = append(keys, p.Key)
			}
			if strings.Join(keys, ",") != strings.Join(tt.wantKeys, ",") {
				t.Errorf("problems %v, want keys %v", verr.Problems, tt.wantKeys)
			}
		})
	}
}

func TestDBURLErrorsDoNotEchoPasswords(t *testing.T) {
	t.Parallel()
	for _, url := range []string{"mysql://user:hunter2@db/x", "postgres://user:hunter2@db:port/x"} {
		c := config.Default()
		c.DBURL = url
		err := c.Validate()
		if err == nil {
			t.Errorf("%s: Validate() = nil, want an error", url)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error echoes the password: %v", err)
		}
	}
}
