package config_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/config"
)

func TestBackendAndSQLitePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dbURL       string
		wantBackend string
		wantPath    string // "" when SQLitePath must fail
	}{
		{dbURL: "", wantBackend: "sqlite", wantPath: filepath.Join("data", "metadata.db")},
		{dbURL: "sqlite://metadata.db", wantBackend: "sqlite", wantPath: filepath.Join("data", "metadata.db")},
		{dbURL: "sqlite://registry.db", wantBackend: "sqlite", wantPath: filepath.Join("data", "registry.db")},
		{dbURL: "sqlite://", wantBackend: "sqlite", wantPath: filepath.Join("data", "metadata.db")},
		{dbURL: "SQLite://metadata.db", wantBackend: "sqlite", wantPath: filepath.Join("data", "metadata.db")},
		{dbURL: "sqlite:///var/lib/eventodb/meta.db", wantBackend: "sqlite", wantPath: "/var/lib/eventodb/meta.db"},
		{dbURL: "postgres://root@localhost:5432/eventodb?sslmode=disable", wantBackend: "postgres"},
		{dbURL: "postgresql://root@/eventodb?host=/var/run/postgresql", wantBackend: "postgres"},
		{dbURL: "memory://", wantBackend: "memory"},
		{dbURL: "Memory://", wantBackend: "memory"},
		{dbURL: "memory:", wantBackend: "memory"},
		{dbURL: "memory://data", wantBackend: "memory"}, // refused by Validate, see TestMemoryURLs
		{dbURL: "mysql://x/y", wantBackend: "mysql"},
		{dbURL: "::not a url", wantBackend: ""},
	}
	for _, tt := range tests {
		t.Run(tt.dbURL, func(t *testing.T) {
			t.Parallel()
			c := config.Default()
			c.DBURL = tt.dbURL
			if got := c.Backend(); got != tt.wantBackend {
				t.Errorf("Backend() = %q, want %q", got, tt.wantBackend)
			}
			path, err := c.SQLitePath()
			switch {
			case tt.wantPath == "" && err == nil:
				t.Errorf("SQLitePath() = %q, want an error", path)
			case tt.wantPath != "" && (err != nil || path != tt.wantPath):
				t.Errorf("SQLitePath() = %q, %v; want %q", path, err, tt.wantPath)
			}
		})
	}
}

// memory:// names nothing: anything after the scheme is a mistake, perhaps
// someone expecting the data to be kept somewhere.
func TestMemoryURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dbURL string
		valid bool
	}{
		{"memory://", true},
		{"MEMORY://", true},
		{"memory:", true},
		{"memory://data", false},
		{"memory:///var/lib/eventodb", false},
		{"memory://?size=1g", false},
		{"memory://user@", false},
		{"memory:data", false},
	}
	for _, tt := range tests {
		t.Run(tt.dbURL, func(t *testing.T) {
			t.Parallel()
			c := config.Default()
			c.DBURL, c.DataDir = tt.dbURL, "" // the memory store needs no data directory
			err := c.Validate()
			if tt.valid != (err == nil) {
				t.Fatalf("Validate() = %v, want valid = %v", err, tt.valid)
			}
			if !tt.valid && !strings.Contains(err.Error(), "write memory://") {
				t.Fatalf("Validate() = %v, want it to say how to write the URL", err)
			}
		})
	}
}

func TestAddrAndLimits(t *testing.T) {
	t.Parallel()
	c := config.Default()
	if got := c.Addr(); got != ":8080" {
		t.Errorf("Addr() = %q, want :8080", got)
	}
	c.Host, c.Port = "127.0.0.1", 0
	if got := c.Addr(); got != "127.0.0.1:0" {
		t.Errorf("Addr() = %q, want 127.0.0.1:0", got)
	}
	l := config.Default().Limits()
	if l.MaxMessageBytes != 1<<20 || l.MaxBatchSize != 10000 || l.MaxWriteBatch != 1000 {
		t.Errorf("Limits() = %+v", l)
	}
}

func TestInMemory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dbURL    string
		testMode bool
		want     bool
	}{
		{dbURL: "", want: false},
		{dbURL: "sqlite://metadata.db", want: false},
		{dbURL: "sqlite://:memory:", want: true},
		{dbURL: "sqlite::memory:", want: true},
		{dbURL: "", testMode: true, want: true},
		{dbURL: "postgres://root@localhost/eventodb", testMode: true, want: true},
		{dbURL: "postgres://root@localhost/eventodb", want: false},
	}
	for _, tt := range tests {
		c := config.Default()
		c.DBURL, c.TestMode = tt.dbURL, tt.testMode
		if got := c.InMemory(); got != tt.want {
			t.Errorf("InMemory() with db_url %q, test mode %v = %v, want %v", tt.dbURL, tt.testMode, got, tt.want)
		}
	}
	c := config.Default()
	c.DBURL, c.DataDir = "sqlite://:memory:", ""
	if err := c.Validate(); err != nil {
		t.Errorf("sqlite://:memory: without a data dir: %v, want valid", err)
	}
}

func TestListenHost(t *testing.T) {
	t.Parallel()
	tests := []struct {
		host     string
		testMode bool
		want     string
	}{
		{"", false, ""},
		{"", true, "localhost"},
		{"0.0.0.0", true, "0.0.0.0"},
		{"10.0.0.5", false, "10.0.0.5"},
	}
	for _, tt := range tests {
		c := config.Default()
		c.Host, c.TestMode = tt.host, tt.testMode
		if got := c.ListenHost(); got != tt.want {
			t.Errorf("ListenHost() with host %q, test mode %v = %q, want %q", tt.host, tt.testMode, got, tt.want)
		}
	}
}
