package config

import (
	"net"
	"strconv"
	"time"

	"github.com/eventodb/eventodb/domain/service"
)

// Config is everything the server can be told. The koanf tag is the key in
// YAML files; the environment variable is EVENTODB_ followed by the key in
// upper case (port → EVENTODB_PORT). Only some keys have flags (see Flags).
type Config struct {
	// Port is the TCP port the HTTP server listens on; 0 picks a free port.
	// Default 8080.
	Port int `koanf:"port"`
	// Host is the interface address to listen on. Default "": all
	// interfaces, except in test mode, where tokens are optional, which
	// listens on loopback only ("localhost": 127.0.0.1 and ::1).
	Host string `koanf:"host"`

	// DBURL selects the storage backend. Default "" (SQLite in DataDir).
	// "sqlite://metadata.db" names the SQLite registry file inside DataDir (an
	// absolute path, sqlite:///var/lib/eventodb/metadata.db, is used as is);
	// "postgres://…" or "postgresql://…" is a PostgreSQL connection URL;
	// "memory://" keeps everything in process memory, lost when it exits.
	DBURL string `koanf:"db_url"`
	// DataDir holds the SQLite files: the registry and one file per namespace.
	// Default "./data".
	DataDir string `koanf:"data_dir"`
	// DBPoolSize is the most open PostgreSQL connections. Default 20.
	DBPoolSize int `koanf:"db_pool_size"`

	// Token is the admin token (the default namespace's). Default "": one is
	// generated and printed once when the default namespace is first created.
	Token string `koanf:"token"`
	// TokenFile is a file holding the admin token (surrounding whitespace is
	// ignored), so the token appears neither on a command line, which other
	// local users can read, nor in the environment. Default "": none.
	TokenFile string `koanf:"token_file"`
	// TestMode keeps data in memory, makes tokens optional and creates a
	// namespace on first use of its token. Default false.
	TestMode bool `koanf:"test_mode"`
	// TestModeMaxNamespaces caps the namespaces test mode creates on first
	// use of a token; 0 = no cap. Default 10000.
	TestModeMaxNamespaces int `koanf:"test_mode_max_namespaces"`
	// TestModeNamespaceTTL deletes a namespace test mode created once it went
	// unused this long; 0 = never. Default 1h.
	TestModeNamespaceTTL time.Duration `koanf:"test_mode_namespace_ttl"`

	// LogLevel is the least severe level logged: debug, info, warn or error.
	// Default "info".
	LogLevel string `koanf:"log_level"`
	// LogFormat is "console" (human-readable) or "json". Default "console".
	LogFormat string `koanf:"log_format"`

	// ReadTimeout bounds reading a whole request; 0 = none. Default 30s.
	ReadTimeout time.Duration `koanf:"read_timeout"`
	// WriteTimeout bounds writing a response, except SSE subscriptions which
	// live as long as the client stays; 0 = none. Default 30s.
	WriteTimeout time.Duration `koanf:"write_timeout"`
	// IdleTimeout closes keep-alive connections idle this long; 0 = none.
	// Default 120s.
	IdleTimeout time.Duration `koanf:"idle_timeout"`
	// ReadHeaderTimeout bounds reading request headers; 0 = none. Default 10s.
	ReadHeaderTimeout time.Duration `koanf:"read_header_timeout"`
	// ShutdownTimeout is how long SIGTERM waits for in-flight requests before
	// closing connections. Default 30s.
	ShutdownTimeout time.Duration `koanf:"shutdown_timeout"`
	// SlowRequest is the duration above which a request is logged at warn
	// level (subscriptions and imports excepted); 0 = never. Default 1s.
	SlowRequest time.Duration `koanf:"slow_request"`
	// PprofAddr serves Go's profiler (/debug/pprof/) on this address, apart
	// from the API; "" = off. Default "". Bind it to loopback.
	PprofAddr string `koanf:"pprof_addr"`
	// GCPercent is the Go garbage collector's target (GOGC) used when the
	// GOGC environment variable is not set; GOGC wins. The server's live
	// heap is small and request garbage is short-lived, so letting the heap
	// grow to 5× the live heap before collecting (Go's default: 2×) costs a
	// few MB and saves CPU on every request. Default 400.
	GCPercent int `koanf:"gc_percent"`
	// SSEHeartbeat is the interval of comment lines that keep idle
	// subscriptions open through proxies. Default 15s.
	SSEHeartbeat time.Duration `koanf:"sse_heartbeat"`

	// MaxHeaderBytes bounds request headers, bytes. Default 1048576 (1 MiB).
	MaxHeaderBytes int `koanf:"max_header_bytes"`
	// MaxBodyBytes bounds a /rpc request body, bytes (imports are streamed and
	// not bounded). Default 1048576 (1 MiB).
	MaxBodyBytes int64 `koanf:"max_body_bytes"`
	// MaxMessageBytes bounds one message (type + data + metadata), bytes.
	// Default 1048576 (1 MiB).
	MaxMessageBytes int `koanf:"max_message_bytes"`
	// MaxBatchSize is the largest batchSize a read may ask for, messages.
	// Default 10000.
	MaxBatchSize int `koanf:"max_batch_size"`
	// MaxWriteBatch is the most messages one stream.write may append,
	// messages. Default 1000.
	MaxWriteBatch int `koanf:"max_write_batch"`
	// RateLimit is the most requests per second per token; 0 = no limit.
	// Default 0: off, in every mode, unless the operator sets it.
	RateLimit int `koanf:"rate_limit"`
	// MaxSSEPerToken is the most concurrent subscriptions per token;
	// 0 = no limit. Default 100.
	MaxSSEPerToken int `koanf:"max_sse_per_token"`
	// MaxStreamedPerToken is the most streamed reads (batchSize -1 or above
	// 1000) and imports one token runs at once; 0 = no limit. Default 8.
	MaxStreamedPerToken int `koanf:"max_streamed_per_token"`
	// ReadPageBytes bounds the data and metadata one read holds in memory at
	// a time, bytes: reads of large messages page by bytes. Default 4194304
	// (4 MiB).
	ReadPageBytes int `koanf:"read_page_bytes"`
	// ImportIdleTimeout ends an import that sends no data (or reads no
	// progress) for this long. Default 30s.
	ImportIdleTimeout time.Duration `koanf:"import_idle_timeout"`

	// Console serves the web console at /console; false leaves the route
	// out. Default true.
	Console bool `koanf:"console"`

	// GroupMetricsMaxGroups bounds the durable consumer groups whose lag and
	// checkpoints GET /metrics reports (eventodb_group_lag,
	// eventodb_group_checkpoint), counted across namespaces in name order;
	// 0 = report none. Default 1000.
	GroupMetricsMaxGroups int `koanf:"group_metrics_max_groups"`
}

// Default returns the built-in configuration: SQLite in ./data on port 8080
// with the limits of PROTOCOL.md §5 and the timeouts of the performance guide.
func Default() Config {
	return Config{
		Port:                  8080,
		DataDir:               "./data",
		DBPoolSize:            20,
		LogLevel:              "info",
		LogFormat:             "console",
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		ReadHeaderTimeout:     10 * time.Second,
		ShutdownTimeout:       30 * time.Second,
		SlowRequest:           time.Second,
		SSEHeartbeat:          15 * time.Second,
		MaxHeaderBytes:        1 << 20,
		MaxBodyBytes:          1 << 20,
		MaxMessageBytes:       1 << 20,
		MaxBatchSize:          10000,
		MaxWriteBatch:         1000,
		MaxSSEPerToken:        100,
		MaxStreamedPerToken:   8,
		ReadPageBytes:         4 << 20,
		ImportIdleTimeout:     30 * time.Second,
		Console:               true,
		TestModeMaxNamespaces: 10000,
		TestModeNamespaceTTL:  time.Hour,
		GroupMetricsMaxGroups: 1000,
		GCPercent:             400,
	}
}

// Addr is the listen address for net.Listen, e.g. ":8080".
func (c Config) Addr() string {
	return net.JoinHostPort(c.ListenHost(), strconv.Itoa(c.Port))
}

// ListenHost is the host the server listens on: Host, or loopback only for a
// test-mode server with no host set, since anyone who reaches a test-mode
// server may act as admin without a token.
func (c Config) ListenHost() string {
	if c.Host == "" && c.TestMode {
		return "localhost"
	}
	return c.Host
}

// Limits are the bounds the domain services enforce.
func (c Config) Limits() service.Limits {
	return service.Limits{
		MaxMessageBytes: c.MaxMessageBytes,
		MaxBatchSize:    c.MaxBatchSize,
		MaxWriteBatch:   c.MaxWriteBatch,
		MaxPageBytes:    c.ReadPageBytes,
	}
}
