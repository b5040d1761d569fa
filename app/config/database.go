package config

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Storage backend names, as Backend returns them and the adapter registry
// knows them.
const (
	BackendSQLite   = "sqlite"
	BackendPostgres = "postgres"
	BackendMemory   = "memory"
)

// SQLiteRegistryFile is the registry file name DataDir holds when DBURL is ""
// or "sqlite://".
const SQLiteRegistryFile = "metadata.db"

// knownSchemes lists the DBURL schemes in the order error messages show them.
const knownSchemes = "memory, postgres, postgresql, sqlite"

// Backend names the storage adapter DBURL selects: BackendSQLite for "" and
// sqlite:// URLs, BackendPostgres for postgres:// and postgresql:// URLs,
// BackendMemory for memory:// (data kept in process memory only). For a
// DBURL Validate rejects it returns the URL's scheme (or ""), a name no adapter
// is registered under, so a lookup fails listing the available ones.
func (c Config) Backend() string {
	backend, err := backendOf(c.DBURL)
	if err != nil {
		return scheme(c.DBURL)
	}
	return backend
}

// sqliteMemory is the SQLite file name that asks for in-memory databases, as
// in sqlite://:memory: (the existing server's test harnesses pass it).
const sqliteMemory = ":memory:"

// InMemory reports whether the data lives in memory only: test mode, memory://
// or a sqlite://:memory: database URL.
func (c Config) InMemory() bool {
	if c.TestMode || c.Backend() == BackendMemory {
		return true
	}
	path, err := c.SQLitePath()
	return err == nil && filepath.Base(path) == sqliteMemory
}

// SQLitePath is the SQLite registry file DBURL names, joined to DataDir unless
// it is absolute. It is an error when DBURL selects another backend.
func (c Config) SQLitePath() (string, error) {
	backend, err := backendOf(c.DBURL)
	if err != nil {
		return "", err
	}
	if backend != BackendSQLite {
		return "", fmt.Errorf("db_url selects %s, not sqlite", backend)
	}
	name := SQLiteRegistryFile
	if c.DBURL != "" {
		u, _ := url.Parse(c.DBURL) // parsed by backendOf already
		if s := u.Opaque + u.Host + u.Path; s != "" {
			name = filepath.FromSlash(s)
		}
	}
	if filepath.IsAbs(name) {
		return name, nil
	}
	return filepath.Join(c.DataDir, name), nil
}

// backendOf maps a DBURL to its backend. Its errors never quote the URL,
// which may hold a password.
func backendOf(dbURL string) (string, error) {
	if dbURL == "" {
		return BackendSQLite, nil
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return "", fmt.Errorf("is not a valid URL: %v", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "sqlite":
		return BackendSQLite, nil
	case "postgres", "postgresql":
		if u.Opaque != "" {
			return "", errors.New("is not a valid PostgreSQL URL: write postgres://user@host:port/database")
		}
		return BackendPostgres, nil
	case "memory":
		// Nothing to name: a host or path would suggest data kept somewhere.
		if u.Opaque != "" || u.User != nil || u.Host != "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
			return "", errors.New("is not a valid memory URL: write memory:// (it takes no host, path or options)")
		}
		return BackendMemory, nil
	case "":
		return "", fmt.Errorf("has no scheme; known schemes: %s (e.g. sqlite://%s or postgres://user@host:5432/eventodb)", knownSchemes, SQLiteRegistryFile)
	default:
		return "", fmt.Errorf("has unknown scheme %q; known schemes: %s", u.Scheme, knownSchemes)
	}
}

// scheme is the lower-case scheme of raw, or "" when raw does not parse.
func scheme(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Scheme)
}
