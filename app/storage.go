package app

import (
	"go.uber.org/fx"

	"github.com/eventodb/eventodb/adapters/notify/local"
	"github.com/eventodb/eventodb/adapters/notify/pgnotify"
	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/app/config"
)

// Each storage factory also brings the notifier that fits it: with SQLite or
// memory one process owns the data, so notifications stay in-process;
// PostgreSQL nodes share a database and tell each other with LISTEN/NOTIFY.

// sqliteStorage wires the embedded SQLite adapter: files under DataDir, or
// memory in test mode and for sqlite://:memory:.
func sqliteStorage(cfg config.Config) fx.Option {
	path, _ := cfg.SQLitePath() // Validate has checked the URL
	return fx.Options(
		fx.Supply(sqlite.Config{DataDir: cfg.DataDir, RegistryPath: path, InMemory: cfg.InMemory()}),
		sqlite.Module,
		local.Module,
	)
}

// postgresStorage wires the PostgreSQL adapter and its cross-node notifier.
func postgresStorage(cfg config.Config) fx.Option {
	return fx.Options(
		fx.Supply(postgres.Config{URL: cfg.DBURL, MaxConns: cfg.DBPoolSize}),
		postgres.Module,
		fx.Supply(pgnotify.Config{URL: cfg.DBURL}),
		pgnotify.Module,
	)
}

// memoryStorage wires the pure-Go memory store: nothing is kept after exit.
func memoryStorage(config.Config) fx.Option {
	return fx.Options(memory.Module, local.Module)
}
