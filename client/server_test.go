package client_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/client"
	"github.com/eventodb/eventodb/domain/namespace"
)

// testServer is a server the tests share; each test works in a namespace of
// its own.
type testServer struct {
	name    string // testmode (SQLite in memory, no tokens), sqlite (files, tokens), postgres
	backend string // what sys.health reports
	url     string
	admin   string // the admin token; "" in test mode, which needs none
}

// The servers TestMain starts; postgres is nil without EVENTODB_TEST_PG_URL.
var (
	testModeServer, sqliteServer, postgresServer *testServer
	// exampleURL is the server the Example functions talk to: one of its
	// own in test mode, so their output does not depend on the tests.
	exampleURL string
)

// startServers starts the shared servers and returns what stops them.
func startServers() (stop func(), err error) {
	var stops []func()
	stop = func() {
		for i := len(stops) - 1; i >= 0; i-- {
			stops[i]()
		}
	}
	start := func(name, backend string, cfg config.Config, admin string) (*testServer, error) {
		s, err := apptest.StartMain(cfg)
		if err != nil {
			return nil, fmt.Errorf("%s server: %w", name, err)
		}
		stops = append(stops, s.Stop)
		return &testServer{name: name, backend: backend, url: s.URL, admin: admin}, nil
	}
	testMode := config.Default()
	testMode.TestMode = true
	ex, err := start("examples", "sqlite", testMode, "")
	if err != nil {
		return stop, err
	}
	exampleURL = ex.url
	if testModeServer, err = start("testmode", "sqlite", testMode, ""); err != nil {
		return stop, err
	}
	dir, err := os.MkdirTemp("", "eventodb-client-test-")
	if err != nil {
		return stop, err
	}
	stops = append(stops, func() { _ = os.RemoveAll(dir) })
	file := config.Default()
	file.DataDir, file.Token = dir, adminToken()
	if sqliteServer, err = start("sqlite", "sqlite", file, file.Token); err != nil {
		return stop, err
	}
	pgURL := config.TestPostgresURL()
	if pgURL == "" {
		return stop, nil
	}
	dbURL, drop, err := freshDatabase(pgURL)
	if err != nil {
		return stop, err
	}
	stops = append(stops, drop)
	pg := config.Default()
	pg.DBURL, pg.Token, pg.DBPoolSize = dbURL, adminToken(), 8
	postgresServer, err = start("postgres", "postgres", pg, pg.Token)
	return stop, err
}

func adminToken() string {
	t, err := namespace.NewToken(namespace.Default)
	if err != nil {
		panic(err)
	}
	return t
}

// freshDatabase creates a database for this test run on pgURL's server and
// returns its URL and what drops it.
func freshDatabase(pgURL string) (string, func(), error) {
	u, err := url.Parse(pgURL)
	if err != nil {
		return "", nil, fmt.Errorf("EVENTODB_TEST_PG_URL: %w", err)
	}
	name := "eventodb_client_" + randomHex(6)
	exec := func(sql string) error {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, pgURL)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := exec("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	q := u.Query()
	q.Del("dbname")
	u.RawQuery = q.Encode()
	return u.String(), func() { _ = exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") }, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// forEachBackend runs test once per backend, as parallel subtests. Without
// EVENTODB_TEST_PG_URL the postgres subtest is skipped, saying so.
func forEachBackend(t *testing.T, test func(t *testing.T, s *testServer)) {
	t.Helper()
	for _, s := range []*testServer{testModeServer, sqliteServer, postgresServer} {
		name := "postgres"
		if s != nil {
			name = s.name
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if s == nil {
				t.Skip("EVENTODB_TEST_PG_URL is not set: skipping the PostgreSQL backend")
			}
			test(t, s)
		})
	}
}

// adminClient is a client with the server's admin token.
func (s *testServer) adminClient(t *testing.T, opts ...client.Option) *client.Client {
	t.Helper()
	return newClient(t, s.url, append([]client.Option{client.WithToken(s.admin)}, opts...)...)
}

var namespaces atomic.Int64

// namespace creates a namespace for one test and returns a client with its
// token and its id; it is deleted when the test ends.
func (s *testServer) namespace(t *testing.T, opts ...client.Option) (*client.Client, string) {
	t.Helper()
	id, token := s.newNamespace(t)
	return newClient(t, s.url, append([]client.Option{client.WithToken(token)}, opts...)...), id
}

// newNamespace creates a namespace for one test and returns its id and
// token; it is deleted when the test ends.
func (s *testServer) newNamespace(t *testing.T) (id, token string) {
	t.Helper()
	admin := s.adminClient(t)
	id = fmt.Sprintf("t%d_%s", namespaces.Add(1), randomHex(3))
	created, err := admin.CreateNamespace(context.Background(), id, &client.NamespaceOptions{Description: t.Name()})
	if err != nil {
		t.Fatalf("create namespace %s: %v", id, err)
	}
	t.Cleanup(func() { _, _ = admin.DeleteNamespace(context.Background(), id) })
	return id, created.Token
}

func newClient(t *testing.T, url string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.New(url, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMain(m *testing.M) {
	stop, err := startServers()
	if err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "client tests:", err)
		os.Exit(1)
	}
	code := m.Run()
	stop()
	os.Exit(code)
}
