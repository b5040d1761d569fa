package app

import (
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/app/config"
)

// sqliteStorage wires the embedded SQLite adapter: files under DataDir, or
// memory in test mode.
func sqliteStorage(cfg config.Config) fx.Option {
	return fx.Options(
		fx.Supply(sqliteConfig(cfg)),
		sqlite.Module,
	)
}

func sqliteConfig(cfg config.Config) sqlite.Config {
	path, _ := cfg.SQLitePath() // Validate has checked the URL
	return sqlite.Config{DataDir: cfg.DataDir, RegistryPath: path, InMemory: cfg.TestMode}
}
