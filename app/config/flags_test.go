package config_test

import (
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/eventodb/eventodb/app/config"
)

func TestRegisterFlagsAreExactlyTheServeFlags(t *testing.T) {
	t.Parallel()
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	config.RegisterFlags(fs)
	var names []string
	fs.VisitAll(func(f *pflag.Flag) {
		names = append(names, f.Name)
		if !strings.Contains(f.Usage, "(env EVENTODB_") {
			t.Errorf("--%s usage %q does not name its environment variable", f.Name, f.Usage)
		}
	})
	want := "port db-url data-dir token token-file test-mode log-level log-format config"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("flags %q, want %q (the README's order)", got, want)
	}
}

func TestKeysHaveEnvironmentVariables(t *testing.T) {
	t.Parallel()
	keys := config.Keys()
	if len(keys) < 20 {
		t.Fatalf("Keys() = %v: too few", keys)
	}
	for _, key := range keys {
		env := config.EnvVar(key)
		if !strings.HasPrefix(env, "EVENTODB_") || strings.ToUpper(env) != env {
			t.Errorf("EnvVar(%q) = %q", key, env)
		}
	}
}
