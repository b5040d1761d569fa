package main

import (
	"slices"
	"strings"
	"testing"
)

func TestCompatArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"nothing", nil, nil},
		{"subcommand untouched", []string{"export", "--url", "x"}, []string{"export", "--url", "x"}},
		{"serve untouched", []string{"serve", "--port", "1"}, []string{"serve", "--port", "1"}},
		{"flags first run serve", []string{"--test-mode", "--port=6789", "--token=t"}, []string{"serve", "--test-mode", "--port=6789", "--token=t"}},
		{"go flag style", []string{"-port", "6789", "-token", "t", "-db-url", "sqlite://:memory:", "-data-dir", "/tmp/d", "-test-mode"},
			[]string{"serve", "--port", "6789", "--token", "t", "--db-url", "sqlite://:memory:", "--data-dir", "/tmp/d", "--test-mode"}},
		{"go flag style with =", []string{"-port=6789", "-log-level=debug"}, []string{"serve", "--port=6789", "--log-level=debug"}},
		{"serve with go flag style", []string{"serve", "-port", "1"}, []string{"serve", "--port", "1"}},
		{"values that look like flags stay", []string{"--token", "-x", "--port", "-1"}, []string{"serve", "--token", "-x", "--port", "-1"}},
		{"unknown single-dash names stay", []string{"-portt", "1"}, []string{"serve", "-portt", "1"}},
		{"after -- nothing changes", []string{"serve", "--", "-port"}, []string{"serve", "--", "-port"}},
		{"help stays on the root", []string{"--help"}, []string{"--help"}},
		{"-h stays on the root", []string{"-h"}, []string{"-h"}},
		{"version stays on the root", []string{"--version"}, []string{"--version"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := compatArgs(newRootCmd(), tt.args); !slices.Equal(got, tt.want) {
				t.Errorf("compatArgs(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

// A command line of the existing server reaches serve's flag parsing and
// configuration: a bad value there is serve's usage error, not "unknown flag".
func TestBareFlagsAreServe(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--log-format", "xml"},
		{"-log-format", "xml"},
		{"-test-mode", "-log-format=xml"},
	} {
		code, _, stderr := run(t, args...)
		if code != exitUsage || !strings.Contains(stderr, `log_format must be one of console, json, got "xml"`) {
			t.Errorf("eventodb %q: exit %d, stderr %q; want serve's configuration error", args, code, stderr)
		}
	}
}
