package config

import (
	"github.com/spf13/pflag"
)

// FlagConfig is the flag that names the YAML profile or file to load.
const FlagConfig = "config"

// DefaultProfile is the embedded profile loaded when neither --config nor
// EVENTODB_CONFIG names one.
const DefaultProfile = "default"

// flagKey maps each serve flag (see the README's configuration table) to the key it sets.
func flagKey(name string) (string, bool) {
	switch name {
	case "port":
		return "port", true
	case "db-url":
		return "db_url", true
	case "data-dir":
		return "data_dir", true
	case "token":
		return "token", true
	case "token-file":
		return "token_file", true
	case "test-mode":
		return "test_mode", true
	case "log-level":
		return "log_level", true
	case "log-format":
		return "log_format", true
	}
	return "", false
}

// RegisterFlags adds the serve flags to fs, in the order of the README's configuration table, each with
// its default from Default and its environment variable in the usage text.
func RegisterFlags(fs *pflag.FlagSet) {
	d := Default()
	fs.SortFlags = false
	fs.Int("port", d.Port,
		usage("TCP `port` to listen on; 0 picks a free one", "port"))
	fs.String("db-url", d.DBURL,
		usage("database `url`: sqlite://metadata.db (a file in --data-dir), postgres://user@host:5432/db, "+
			"or memory:// (nothing kept after exit); empty: SQLite in --data-dir", "db_url"))
	fs.String("data-dir", d.DataDir,
		usage("`directory` of the SQLite files: the registry and one file per namespace; one server owns it at a time", "data_dir"))
	fs.String("token", d.Token,
		usage("admin `token` (the default namespace's); empty: generated and printed once at first start. "+
			"Prefer --token-file or the environment: other local users can read command lines", "token"))
	fs.String("token-file", d.TokenFile,
		usage("`file` holding the admin token", "token_file"))
	fs.Bool("test-mode", d.TestMode,
		usage("in-memory storage, optional tokens, namespaces created on first use", "test_mode"))
	fs.String("log-level", d.LogLevel,
		usage("least severe log `level`: debug, info, warn or error", "log_level"))
	fs.String("log-format", d.LogFormat,
		usage("log `format`: console or json", "log_format"))
	fs.String(FlagConfig, DefaultProfile,
		"embedded profile `name` (default, production, test) or YAML file path (containing / or ending in .yaml), "+
			"applied before environment and flags (env "+EnvConfig+")")
}

func usage(text, key string) string {
	return text + " (env " + EnvVar(key) + ")"
}
