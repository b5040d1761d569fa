// The command's tests live in package main (a main package cannot be
// imported) and drive execute, the whole command line minus os.Exit.
package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/app/version"
)

func TestExecute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout []string // substrings
		wantStderr string   // substring of the one stderr line; "" = stderr empty
	}{
		{
			name:     "serve help lists every flag with default and environment variable",
			args:     []string{"serve", "--help"},
			wantCode: exitOK,
			wantStdout: []string{
				"--port port", "(env EVENTODB_PORT) (default 8080)",
				"--db-url url", "(env EVENTODB_DB_URL)",
				"--data-dir directory", `(env EVENTODB_DATA_DIR) (default "./data")`,
				"--token token", "(env EVENTODB_TOKEN)",
				"--test-mode ", "(env EVENTODB_TEST_MODE)",
				"--log-level level", `(env EVENTODB_LOG_LEVEL) (default "info")`,
				"--log-format format", `(env EVENTODB_LOG_FORMAT) (default "console")`,
				"--config name", `(env EVENTODB_CONFIG) (default "default")`,
			},
		},
		{name: "version", args: []string{"version"}, wantCode: exitOK, wantStdout: []string{version.Current() + "\n"}},
		{name: "--version", args: []string{"--version"}, wantCode: exitOK, wantStdout: []string{"eventodb " + version.Current()}},
		{name: "root help", args: []string{"--help"}, wantCode: exitOK, wantStdout: []string{"serve", "version"}},
		{name: "bad flag value", args: []string{"serve", "--port", "http"}, wantCode: exitUsage, wantStderr: `invalid argument "http" for "--port"`},
		{name: "unknown flag", args: []string{"serve", "--prot", "1"}, wantCode: exitUsage, wantStderr: "unknown flag: --prot"},
		{name: "unknown command", args: []string{"srve"}, wantCode: exitUsage, wantStderr: `unknown command "srve"`},
		{name: "stray argument", args: []string{"serve", "now"}, wantCode: exitUsage, wantStderr: `"now"`},
		{
			name:       "invalid configuration",
			args:       []string{"serve", "--log-format", "xml"},
			wantCode:   exitUsage,
			wantStderr: `eventodb: invalid configuration: log_format must be one of console, json, got "xml"`,
		},
		{
			name:       "unknown profile",
			args:       []string{"serve", "--config", "staging"},
			wantCode:   exitUsage,
			wantStderr: `no configuration profile "staging"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := execute(tt.args, &stdout, &stderr)
			if code != tt.wantCode {
				t.Errorf("exit code %d, want %d (stderr %q)", code, tt.wantCode, stderr.String())
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
			switch {
			case tt.wantStderr == "" && stderr.Len() > 0:
				t.Errorf("stderr %q, want none", stderr.String())
			case tt.wantStderr != "":
				if !strings.Contains(stderr.String(), tt.wantStderr) {
					t.Errorf("stderr %q lacks %q", stderr.String(), tt.wantStderr)
				}
				if strings.Count(stderr.String(), "\n") != 1 || !strings.HasPrefix(stderr.String(), "eventodb: ") {
					t.Errorf("stderr %q is not one line starting with \"eventodb: \"", stderr.String())
				}
			}
		})
	}
}
