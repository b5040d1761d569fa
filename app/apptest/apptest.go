// Package apptest starts the whole EventoDB server in a test, on a free
// loopback port, so integration tests of the server and of its clients share
// one way to run it.
package apptest

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/app"
	"github.com/eventodb/eventodb/app/config"
)

// Server is a running server.
type Server struct {
	// URL is the base URL, e.g. http://127.0.0.1:41234.
	URL string
	// Stdout holds what the server printed (the one-time admin token banner).
	Stdout *bytes.Buffer
	stop   func()
}

// Stop drains and stops the server; it also runs at the test's end.
func (s *Server) Stop() { s.stop() }

// Start runs cfg's server on 127.0.0.1 and a free port. Warnings and errors
// go to the test log. extra options may, for instance, fx.Populate pieces
// of the running application.
func Start(t testing.TB, cfg config.Config, extra ...fx.Option) *Server {
	t.Helper()
	cfg.Host, cfg.Port = "127.0.0.1", 0
	var srv *server.Server
	var banner bytes.Buffer
	a, err := app.New(cfg, zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)),
		app.Options{Stdout: &banner, Extra: append([]fx.Option{fx.Populate(&srv)}, extra...)})
	if err != nil {
		t.Fatalf("new app: %v", err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			if err := a.Stop(context.Background()); err != nil {
				t.Errorf("stop: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return &Server{URL: "http://" + srv.Addr(), Stdout: &banner, stop: stop}
}
