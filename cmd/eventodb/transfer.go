package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/pflag"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/postgres"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/client"
	"github.com/eventodb/eventodb/domain/namespace"
)

// endpoint is where `export` reads and `import` writes: a server (--url, with
// the token choosing the namespace) or, without --url, a database opened
// directly (--db-url, --data-dir, --namespace).
type endpoint struct {
	url, token                string
	dbURL, dataDir, namespace string
}

func (e *endpoint) register(fs *pflag.FlagSet) {
	fs.StringVar(&e.url, "url", "", "server `URL`, e.g. http://localhost:8080; without it the database is opened directly")
	fs.StringVar(&e.token, "token", "", "namespace `token` for --url (the namespace is the token's)")
	fs.StringVar(&e.dbURL, "db-url", "", "database `url` to open directly: sqlite://metadata.db (in --data-dir) or postgres://user@host:5432/db; empty: SQLite in --data-dir")
	fs.StringVar(&e.dataDir, "data-dir", config.Default().DataDir, "`directory` of the SQLite files, as for serve (not while a server runs on it)")
	fs.StringVar(&e.namespace, "namespace", namespace.Default, "`namespace` to use with a database opened directly")
}

// validate rejects flag combinations that mix the two ways in.
func (e *endpoint) validate(fs *pflag.FlagSet) error {
	if e.url == "" {
		if fs.Changed("token") {
			return errors.New("--token needs --url; a database opened directly needs no token")
		}
		return nil
	}
	for _, name := range []string{"db-url", "data-dir", "namespace"} {
		if fs.Changed(name) {
			return fmt.Errorf("--%s and --url exclude each other: through a server the token chooses the namespace", name)
		}
	}
	return nil
}

// client returns the server client of --url.
func (e *endpoint) client() (*client.Client, error) {
	return client.New(e.url, client.WithToken(e.token))
}

// openNamespace opens the database of --db-url/--data-dir and checks that
// --namespace exists, before anything is read or an output file created.
func (e *endpoint) openNamespace() (*bunstore.Store, error) {
	store, err := e.openStore()
	if err != nil {
		return nil, err
	}
	if _, err := store.Get(context.Background(), e.namespace); err != nil {
		return nil, errors.Join(err, store.Close())
	}
	return store, nil
}

// openStore opens the database of --db-url/--data-dir. For SQLite the data
// must exist already: a typo in --data-dir should not create an empty store.
func (e *endpoint) openStore() (*bunstore.Store, error) {
	cfg := config.Default()
	cfg.DBURL, cfg.DataDir = e.dbURL, e.dataDir
	switch cfg.Backend() {
	case config.BackendSQLite:
		path, err := cfg.SQLitePath()
		if err != nil {
			return nil, fmt.Errorf("--db-url %w", err)
		}
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no EventoDB SQLite data at %s (check --data-dir and --db-url): %w", path, err)
		}
		store, err := sqlite.Open(sqlite.Config{DataDir: e.dataDir, RegistryPath: path}, zap.NewNop())
		if errors.Is(err, sqlite.ErrInUse) {
			return nil, fmt.Errorf("%w: a server owns these files while it runs; stop it, or go through it with --url and --token", err)
		}
		return store, err
	case config.BackendPostgres:
		return postgres.Open(postgres.Config{URL: e.dbURL, MaxConns: 4}, zap.NewNop())
	case config.BackendMemory:
		// Its data lives in the memory of the server that holds it.
		return nil, errors.New("--db-url memory:// names no data outside a running server: use --url and --token")
	default:
		_, err := cfg.SQLitePath() // explains what is wrong with the URL
		return nil, fmt.Errorf("--db-url %w", err)
	}
}
