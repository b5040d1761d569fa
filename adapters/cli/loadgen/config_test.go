package loadgen_test

import (
	"errors"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/cli/loadgen"
)

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*loadgen.Config)
		field  string // "" = valid
	}{
		{"defaults", func(*loadgen.Config) {}, ""},
		{"https and a path", func(c *loadgen.Config) { c.URL = "https://bench.example:8443/" }, ""},
		{"a run id", func(c *loadgen.Config) { c.RunID = "ci42" }, ""},
		{"no scheme", func(c *loadgen.Config) { c.URL = "localhost:8080" }, "url"},
		{"ftp", func(c *loadgen.Config) { c.URL = "ftp://localhost" }, "url"},
		{"unknown scenario", func(c *loadgen.Config) { c.Scenario = "burst" }, "scenario"},
		{"no scenario", func(c *loadgen.Config) { c.Scenario = "" }, "scenario"},
		{"negative concurrency", func(c *loadgen.Config) { c.Concurrency = -1 }, "concurrency"},
		{"zero concurrency", func(c *loadgen.Config) { c.Concurrency = 0 }, "concurrency"},
		{"huge concurrency", func(c *loadgen.Config) { c.Concurrency = loadgen.MaxConcurrency + 1 }, "concurrency"},
		{"zero requests", func(c *loadgen.Config) { c.Requests = 0 }, "requests"},
		{"too many requests", func(c *loadgen.Config) { c.Requests = loadgen.MaxRequests + 1 }, "requests"},
		{"zero batch", func(c *loadgen.Config) { c.Batch = 0 }, "batch"},
		{"batch above the server's limit", func(c *loadgen.Config) { c.Batch = 10001 }, "batch"},
		{"zero duration", func(c *loadgen.Config) { c.Duration = 0 }, "duration"},
		{"negative duration", func(c *loadgen.Config) { c.Duration = -time.Second }, "duration"},
		{"zero request timeout", func(c *loadgen.Config) { c.RequestTimeout = 0 }, "request timeout"},
		{"run id with a dash", func(c *loadgen.Config) { c.RunID = "a-b" }, "run id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := loadgen.DefaultConfig()
			tt.change(&cfg)
			r, err := loadgen.New(cfg)
			var ce *loadgen.ConfigError
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("valid config refused: %v", err)
			case tt.field == "" && r.RunID() == "":
				t.Fatal("no run id")
			case tt.field != "" && (!errors.As(err, &ce) || ce.Field != tt.field):
				t.Fatalf("error %v, want a ConfigError of %s", err, tt.field)
			}
		})
	}
}

func TestParseScenario(t *testing.T) {
	t.Parallel()
	for _, sc := range loadgen.Scenarios() {
		if got, err := loadgen.ParseScenario(string(sc)); err != nil || got != sc {
			t.Errorf("ParseScenario(%q) = %q, %v", sc, got, err)
		}
	}
	if _, err := loadgen.ParseScenario("ALL"); err == nil {
		t.Error("ParseScenario accepted ALL")
	}
}
