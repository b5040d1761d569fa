package observability_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/observability"
	"go.uber.org/fx"
	"go.uber.org/zap"
)

func TestNewLogger(t *testing.T) {
	t.Parallel()
	tests := []struct {
		level, format string
		wantErr       string
	}{
		{"debug", "json", ""},
		{"info", "console", ""},
		{"WARN", "JSON", ""},
		{"error", "console", ""},
		{"verbose", "json", `unknown log level "verbose": use debug, info, warn or error`},
		{"", "json", "unknown log level"},
		{"info", "xml", `unknown log format "xml": use json or console`},
	}
	for _, tt := range tests {
		t.Run(tt.level+"/"+tt.format, func(t *testing.T) {
			t.Parallel()
			l, err := observability.NewLogger(tt.level, tt.format)
			switch {
			case tt.wantErr == "" && (err != nil || l == nil):
				t.Fatalf("NewLogger: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("NewLogger error = %v, want %q", err, tt.wantErr)
			}
		})
	}
}

func TestLoggerOutput(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l, err := observability.NewLoggerTo(&buf, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	l.Debug("hidden")
	l.Info("shown")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one line at info level, got %q", buf.String())
	}
	var entry map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil {
		t.Fatalf("line %q is not JSON: %v", lines[0], err)
	}
	if entry["msg"] != "shown" || entry["level"] != "info" || entry["time"] == nil {
		t.Fatalf("entry = %v", entry)
	}

	buf.Reset()
	c, err := observability.NewLoggerTo(&buf, "debug", "console")
	if err != nil {
		t.Fatal(err)
	}
	c.Named("http").Debug("stream.get")
	if f := strings.Fields(buf.String()); len(f) < 4 || f[1] != "DEBUG" || f[2] != "http" || f[3] != "stream.get" {
		t.Fatalf("console line = %q", buf.String())
	}
}

// The guide's recipes read console logs with awk: the RPC method is the
// fourth field and the duration in milliseconds the last one.
func TestConsoleRequestLineForAwk(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l, err := observability.NewLoggerTo(&buf, "info", "console")
	if err != nil {
		t.Fatal(err)
	}
	l.Named("http").Info("stream.write", zap.String("path", "/rpc"), zap.Int("status", 200), zap.Float64("duration", 123.5))
	l.Info("no duration here", zap.String("k", "v"))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", buf.String())
	}
	words := strings.Fields(lines[0])
	if words[3] != "stream.write" || words[len(words)-2] != "duration" || words[len(words)-1] != "123.5" {
		t.Fatalf("request line %q: want the method 4th and \"duration 123.5\" last", lines[0])
	}
	if !strings.Contains(lines[0], `"status": 200`) || strings.Contains(lines[0], `"duration"`) {
		t.Fatalf("request line %q: other fields stay in the object, duration only at the end", lines[0])
	}
	if !strings.HasSuffix(lines[1], `{"k": "v"}`) {
		t.Fatalf("line without a duration changed: %q", lines[1])
	}
}

func TestFxLogger(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	l, err := observability.NewLoggerTo(&buf, "info", "json")
	if err != nil {
		t.Fatal(err)
	}
	app := fx.New(
		fx.Supply(l),
		fx.WithLogger(observability.FxLogger),
		fx.Provide(func() int { return 1 }),
		fx.Invoke(func(int) {}),
	)
	if app.Err() != nil {
		t.Fatal(app.Err())
	}
	if buf.Len() != 0 {
		t.Fatalf("fx routine events should be debug level, got %q", buf.String())
	}
	// fx errors are returned to the caller, which reports their root cause;
	// the fx logger keeps them for debug level.
	bad := fx.New(
		fx.Supply(l),
		fx.WithLogger(observability.FxLogger),
		fx.Invoke(func(string) {}), // missing dependency
	)
	if bad.Err() == nil || buf.Len() != 0 {
		t.Fatalf("fx error %v should be returned, not logged at info level: %q", bad.Err(), buf.String())
	}
	debug, err := observability.NewLoggerTo(&buf, "debug", "json")
	if err != nil {
		t.Fatal(err)
	}
	bad = fx.New(
		fx.Supply(debug),
		fx.WithLogger(observability.FxLogger),
		fx.Invoke(func(string) {}),
	)
	if bad.Err() == nil || !strings.Contains(buf.String(), "missing type: string") {
		t.Fatalf("at debug level the fx error should be logged, got %q", buf.String())
	}
}
