package config

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/knadh/koanf/parsers/yaml"
	"github.com/knadh/koanf/providers/env/v2"
	"github.com/knadh/koanf/providers/posflag"
	"github.com/knadh/koanf/providers/rawbytes"
	"github.com/knadh/koanf/v2"
	"github.com/spf13/pflag"

	"github.com/eventodb/eventodb/configs"
)

// Load builds the serve configuration from its defaults, the chosen YAML
// profile or file, the process environment and the parsed flags of fs (made
// with RegisterFlags; nil for none), then validates it. Every error is the
// user's to fix: a *SourceError, a *ValidationError or an unreadable file.
func Load(fs *pflag.FlagSet) (Config, error) {
	return LoadFrom(fs, os.Environ())
}

// LoadFrom is Load with the environment given as "KEY=value" strings.
func LoadFrom(fs *pflag.FlagSet, environ []string) (Config, error) {
	cfg := Default()
	for _, l := range []func() (*layer, error){
		func() (*layer, error) { return fileLayer(configName(fs, environ)) },
		func() (*layer, error) { return envLayer(environ) },
		func() (*layer, error) { return flagLayer(fs) },
	} {
		lay, err := l()
		if err != nil {
			return Config{}, err
		}
		if err := lay.apply(&cfg); err != nil {
			return Config{}, err
		}
	}
	if err := readTokenFile(&cfg); err != nil {
		return Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// readTokenFile sets Token from TokenFile. Both at once would leave it
// unclear which one counts, so that is an error.
func readTokenFile(cfg *Config) error {
	if cfg.TokenFile == "" {
		return nil
	}
	if cfg.Token != "" {
		return &SourceError{Origin: "token_file", Reason: "is set together with token; give the admin token one way"}
	}
	text, err := os.ReadFile(cfg.TokenFile)
	if err != nil {
		return &SourceError{Origin: "token_file", Reason: "cannot be read: " + err.Error()}
	}
	cfg.Token = strings.TrimSpace(string(text))
	if cfg.Token == "" {
		return &SourceError{Origin: "token_file " + cfg.TokenFile, Reason: "is empty"}
	}
	return nil
}

// layer is the settings one source gives, with a description of each key's
// origin for error messages.
type layer struct {
	k      *koanf.Koanf
	source string                  // e.g. "config file ./eventodb.yaml"
	origin func(key string) string // e.g. `config file ./eventodb.yaml, key "port"`
	// strict layers reject unknown keys; the environment is not strict, as
	// other tools share the EVENTODB_ prefix (EVENTODB_TEST_PG_URL, …).
	strict bool
}

// apply checks the layer's keys and decodes its values over cfg.
func (l *layer) apply(cfg *Config) error {
	types := fieldTypes()
	keys := l.k.Keys()
	sort.Strings(keys)
	for _, key := range keys {
		t, ok := types[key]
		if !ok {
			if l.strict {
				return &SourceError{Origin: l.source, Reason: fmt.Sprintf("unknown key %q (known keys: %s)", key, strings.Join(Keys(), ", "))}
			}
			continue
		}
		// Decode one key at a time so an error names its origin.
		one := koanf.New(".")
		if err := one.Set(key, l.k.Get(key)); err != nil {
			return &SourceError{Origin: l.origin(key), Reason: err.Error()}
		}
		if err := one.Unmarshal("", cfg); err != nil {
			reason := "must be " + expectation(t)
			if key != "token" && key != "db_url" { // may hold secrets: never echo them
				reason = fmt.Sprintf("%q %s", fmt.Sprint(l.k.Get(key)), reason)
			}
			return &SourceError{Origin: l.origin(key), Reason: reason}
		}
	}
	return nil
}

// configName is the profile or file --config or EVENTODB_CONFIG names.
func configName(fs *pflag.FlagSet, environ []string) string {
	if fs != nil {
		if f := fs.Lookup(FlagConfig); f != nil && f.Changed {
			return f.Value.String()
		}
	}
	if v := lookupEnv(environ, EnvConfig); v != "" {
		return v
	}
	return DefaultProfile
}

// fileLayer parses an embedded profile, or a YAML file when name looks like a
// path (contains a separator or ends in .yaml or .yml).
func fileLayer(name string) (*layer, error) {
	var (
		text   []byte
		source string
		err    error
	)
	if isPath(name) {
		source = "config file " + name
		if text, err = os.ReadFile(name); err != nil {
			return nil, fmt.Errorf("config file: %w", err)
		}
	} else {
		source = "config profile " + name
		if text, err = configs.Profile(name); err != nil {
			return nil, fmt.Errorf("--%s: %w; a file path needs a / or a .yaml extension", FlagConfig, err)
		}
	}
	k := koanf.New(".")
	if err := k.Load(rawbytes.Provider(text), yaml.Parser()); err != nil {
		return nil, &SourceError{Origin: source, Reason: "is not valid YAML: " + oneLine(err.Error())}
	}
	return &layer{
		k:      k,
		source: source,
		origin: func(key string) string { return fmt.Sprintf("%s, key %q", source, key) },
		strict: true,
	}, nil
}

func isPath(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return strings.ContainsAny(name, `/\`) || ext == ".yaml" || ext == ".yml"
}

// envLayer reads EVENTODB_<KEY> variables; empty ones count as unset.
func envLayer(environ []string) (*layer, error) {
	k := koanf.New(".")
	p := env.Provider(".", env.Opt{
		Prefix:      EnvPrefix,
		EnvironFunc: func() []string { return environ },
		TransformFunc: func(name, value string) (string, any) {
			if value == "" || name == EnvConfig {
				return "", nil
			}
			return strings.ToLower(strings.TrimPrefix(name, EnvPrefix)), value
		},
	})
	if err := k.Load(p, nil); err != nil {
		return nil, fmt.Errorf("environment: %w", err)
	}
	return &layer{
		k:      k,
		source: "environment",
		origin: func(key string) string { return "environment variable " + EnvVar(key) },
	}, nil
}

// flagLayer reads the flags set on the command line; flags left at their
// defaults do not override the file and the environment.
func flagLayer(fs *pflag.FlagSet) (*layer, error) {
	k := koanf.New(".")
	if fs != nil {
		p := posflag.ProviderWithFlag(fs, ".", nil, func(f *pflag.Flag) (string, any) {
			key, ok := flagKey(f.Name)
			if !ok {
				return "", nil
			}
			return key, posflag.FlagVal(fs, f)
		})
		if err := k.Load(p, nil); err != nil {
			return nil, fmt.Errorf("flags: %w", err)
		}
	}
	return &layer{
		k:      k,
		source: "flags",
		origin: func(key string) string { return "flag --" + strings.ReplaceAll(key, "_", "-") },
		strict: true,
	}, nil
}

// lookupEnv finds name in environ; the last assignment wins, as in os.Getenv.
func lookupEnv(environ []string, name string) string {
	value := ""
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == name {
			value = v
		}
	}
	return value
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
