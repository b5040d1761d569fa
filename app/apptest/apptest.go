// Package apptest starts the whole EventoDB server in a test, on a free
// loopback port, so integration tests of the server and of its clients share
// one way to run it.
package apptest

import (
	"bytes"
	"context"
	"fmt"
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
	s, err := launch(cfg, zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)), extra, func(err error) { t.Errorf("stop: %v", err) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s
}

// StartMain runs cfg's server like Start, for a TestMain, where there is no
// testing.TB (e.g. a server for a package's examples): logs are dropped and
// the caller stops the server.
func StartMain(cfg config.Config, extra ...fx.Option) (*Server, error) {
	return launch(cfg, zap.NewNop(), extra, func(error) {})
}

func launch(cfg config.Config, log *zap.Logger, extra []fx.Option, stopFailed func(error)) (*Server, error) {
	cfg.Host, cfg.Port = "127.0.0.1", 0
	var srv *server.Server
	var banner bytes.Buffer
	a, err := app.New(cfg, log, app.Options{Stdout: &banner, Extra: append([]fx.Option{fx.Populate(&srv)}, extra...)})
	if err != nil {
		return nil, fmt.Errorf("new app: %w", err)
	}
	if err := a.Start(context.Background()); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			if err := a.Stop(context.Background()); err != nil {
				stopFailed(err)
			}
		})
	}
	return &Server{URL: "http://" + srv.Addr(), Stdout: &banner, stop: stop}, nil
}
