package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/eventodb/eventodb/app/config"
)

// flags returns a serve flag set with args parsed.
func flags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	config.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("parse %v: %v", args, err)
	}
	return fs
}

// writeFile writes a YAML file into a temporary directory and returns its path.
func writeFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "eventodb.yaml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadWithNothingGivenIsDefault(t *testing.T) {
	t.Parallel()
	// The embedded default profile must agree with Default(), key by key.
	got, err := config.LoadFrom(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != config.Default() {
		t.Fatalf("LoadFrom(nil, nil) = %+v\nwant Default() = %+v", got, config.Default())
	}
	if got, err = config.LoadFrom(flags(t), nil); err != nil || got != config.Default() {
		t.Fatalf("LoadFrom(unset flags) = %+v, %v; want defaults", got, err)
	}
}

func TestLoadLayers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		args  []string
		env   []string
		file  string // YAML; when set, --config points at it
		check func(t *testing.T, c config.Config)
	}{
		{
			name: "environment overrides the profile",
			env: []string{"EVENTODB_PORT=9000", "EVENTODB_LOG_FORMAT=json", "EVENTODB_READ_TIMEOUT=5s",
				"EVENTODB_TEST_MODE=true", "EVENTODB_MAX_BODY_BYTES=2048", "EVENTODB_RATE_LIMIT=0"},
			check: func(t *testing.T, c config.Config) {
				want := config.Default()
				want.Port, want.LogFormat, want.ReadTimeout, want.TestMode = 9000, "json", 5*time.Second, true
				want.MaxBodyBytes, want.RateLimit = 2048, 0
				equal(t, c, want)
			},
		},
		{
			name: "flags override the environment",
			args: []string{"--port", "9100", "--log-level=debug", "--test-mode", "--data-dir", "/srv/evento"},
			env:  []string{"EVENTODB_PORT=9000", "EVENTODB_LOG_LEVEL=warn", "EVENTODB_DATA_DIR=/elsewhere"},
			check: func(t *testing.T, c config.Config) {
				want := config.Default()
				want.Port, want.LogLevel, want.TestMode, want.DataDir = 9100, "debug", true, "/srv/evento"
				equal(t, c, want)
			},
		},
		{
			name: "flags left at their defaults do not override the environment",
			args: []string{"--log-level", "error"},
			env:  []string{"EVENTODB_PORT=9000", "EVENTODB_LOG_FORMAT=json"},
			check: func(t *testing.T, c config.Config) {
				want := config.Default()
				want.Port, want.LogFormat, want.LogLevel = 9000, "json", "error"
				equal(t, c, want)
			},
		},
		{
			name: "empty and unrelated EVENTODB_ variables are ignored",
			env: []string{"EVENTODB_PORT=", "EVENTODB_TEST_PG_URL=postgres://x@y/z", "EVENTODB_URL=http://x",
				"PORT=1", "EVENTODB_LOG_LEVEL=warn", "EVENTODB_LOG_LEVEL=debug"},
			check: func(t *testing.T, c config.Config) {
				want := config.Default()
				want.LogLevel = "debug" // the last assignment wins
				equal(t, c, want)
			},
		},
		{
			name: "EVENTODB_CONFIG picks an embedded profile",
			env:  []string{"EVENTODB_CONFIG=test"},
			check: func(t *testing.T, c config.Config) {
				if !c.TestMode || c.LogLevel != "warn" {
					t.Errorf("test profile not applied: %+v", c)
				}
			},
		},
		{
			name: "--config beats EVENTODB_CONFIG",
			args: []string{"--config", "production"},
			env:  []string{"EVENTODB_CONFIG=test"},
			check: func(t *testing.T, c config.Config) {
				if c.TestMode || c.Backend() != config.BackendPostgres || c.LogFormat != "json" {
					t.Errorf("production profile not applied: %+v", c)
				}
			},
		},
		{
			name: "the console is on by default and off with console: false or EVENTODB_CONSOLE=false",
			file: "console: false\n",
			check: func(t *testing.T, c config.Config) {
				if c.Console || !config.Default().Console {
					t.Errorf("console = %v from the file (default %v)", c.Console, config.Default().Console)
				}
			},
		},
		{
			name: "EVENTODB_CONSOLE=false turns the console off",
			env:  []string{"EVENTODB_CONSOLE=false"},
			check: func(t *testing.T, c config.Config) {
				if c.Console {
					t.Error("EVENTODB_CONSOLE=false left the console on")
				}
			},
		},
		{
			name: "a YAML file, then environment, then flags",
			file: "port: 7000\nrate_limit: 0\nwrite_timeout: 1m\nlog_level: debug\ntoken:\n",
			env:  []string{"EVENTODB_LOG_LEVEL=warn", "EVENTODB_MAX_SSE_PER_TOKEN=3"},
			args: []string{"--log-format", "json"},
			check: func(t *testing.T, c config.Config) {
				want := config.Default()
				want.Port, want.RateLimit, want.WriteTimeout = 7000, 0, time.Minute
				want.LogLevel, want.MaxSSEPerToken, want.LogFormat = "warn", 3, "json"
				equal(t, c, want)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := tt.args
			if tt.file != "" {
				args = append([]string{"--config", writeFile(t, tt.file)}, args...)
			}
			c, err := config.LoadFrom(flags(t, args...), tt.env)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	const secret = "ns_ZGVmYXVsdA_not-a-real-secret"
	tests := []struct {
		name      string
		args      []string
		env       []string
		file      string
		wantType  any      // pointer to the error type errors.As must find, or nil
		wantParts []string // substrings of the message
	}{
		{
			name:      "unknown key in a file",
			file:      "port: 1\nprot: 2\n",
			wantType:  new(*config.SourceError),
			wantParts: []string{"eventodb.yaml", `unknown key "prot"`, "known keys: console, data_dir"},
		},
		{
			name:      "nested unknown key in a file",
			file:      "http:\n  port: 1\n",
			wantType:  new(*config.SourceError),
			wantParts: []string{`unknown key "http.port"`},
		},
		{
			name:      "wrong type in a file",
			file:      "read_timeout: soon\n",
			wantType:  new(*config.SourceError),
			wantParts: []string{`key "read_timeout"`, `"soon" must be a duration`},
		},
		{
			name:      "not YAML",
			file:      "port: [1,\n",
			wantType:  new(*config.SourceError),
			wantParts: []string{"is not valid YAML"},
		},
		{
			name:      "wrong type in the environment",
			env:       []string{"EVENTODB_PORT=eighty"},
			wantType:  new(*config.SourceError),
			wantParts: []string{"environment variable EVENTODB_PORT", `"eighty" must be a whole number`},
		},
		{
			name:      "wrong bool in the environment",
			env:       []string{"EVENTODB_TEST_MODE=maybe"},
			wantType:  new(*config.SourceError),
			wantParts: []string{"EVENTODB_TEST_MODE", "must be true or false"},
		},
		{
			name:      "unknown profile",
			args:      []string{"--config", "staging"},
			wantParts: []string{`no configuration profile "staging"`, "default, production, test"},
		},
		{
			name:      "missing file",
			args:      []string{"--config", "/nonexistent/eventodb.yaml"},
			wantParts: []string{"/nonexistent/eventodb.yaml", "no such file"},
		},
		{
			name:      "invalid value from a flag",
			args:      []string{"--log-level", "verbose", "--port", "70000"},
			wantType:  new(*config.ValidationError),
			wantParts: []string{`log_level must be one of debug, info, warn, error, got "verbose"`, "port must be between 0 and 65535"},
		},
		{
			name:      "a malformed token is rejected without echoing it",
			env:       []string{"EVENTODB_TOKEN=" + secret},
			wantType:  new(*config.ValidationError),
			wantParts: []string{"token must be the default namespace's token"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := tt.args
			if tt.file != "" {
				args = append([]string{"--config", writeFile(t, tt.file)}, args...)
			}
			_, err := config.LoadFrom(flags(t, args...), tt.env)
			if err == nil {
				t.Fatal("LoadFrom succeeded, want an error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error spans lines: %q", msg)
			}
			if strings.Contains(msg, secret) {
				t.Errorf("error echoes the token: %q", msg)
			}
			for _, part := range tt.wantParts {
				if !strings.Contains(msg, part) {
					t.Errorf("error %q lacks %q", msg, part)
				}
			}
			if tt.wantType != nil && !errors.As(err, tt.wantType) {
				t.Errorf("error %T (%v) is not a %T", err, err, tt.wantType)
			}
		})
	}
}

func equal(t *testing.T, got, want config.Config) {
	t.Helper()
	if got != want {
		t.Errorf("config = %+v\nwant     %+v", got, want)
	}
}

func TestTokenFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	token := "ns_ZGVmYXVsdA_" + strings.Repeat("a1", 32)
	good := filepath.Join(dir, "token")
	if err := os.WriteFile(good, []byte("  "+token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.LoadFrom(nil, []string{"EVENTODB_TOKEN_FILE=" + good})
	if err != nil || cfg.Token != token {
		t.Fatalf("token from a file: %q, %v; want the file's token without whitespace", cfg.Token, err)
	}
	for name, environ := range map[string][]string{
		"both ways":    {"EVENTODB_TOKEN_FILE=" + good, "EVENTODB_TOKEN=" + token},
		"missing file": {"EVENTODB_TOKEN_FILE=" + filepath.Join(dir, "nope")},
		"empty file":   {"EVENTODB_TOKEN_FILE=" + empty},
	} {
		if _, err := config.LoadFrom(nil, environ); err == nil || strings.Contains(err.Error(), token) {
			t.Errorf("%s: %v, want an error that does not show the token", name, err)
		}
	}
	bad := filepath.Join(dir, "bad")
	_ = os.WriteFile(bad, []byte("ns_ZGVmYXVsdA_secret"), 0o600)
	if _, err := config.LoadFrom(nil, []string{"EVENTODB_TOKEN_FILE=" + bad}); err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("a malformed token in the file: %v, want a validation error that does not echo it", err)
	}
}
