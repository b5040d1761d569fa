package main

import (
	"github.com/spf13/cobra"

	"github.com/eventodb/eventodb/app"
	"github.com/eventodb/eventodb/app/config"
)

const serveLong = `Run the EventoDB server.

With no flags it stores data in embedded SQLite files under ./data and, on the
first start, creates the default namespace and prints its admin token once.

Settings are layered, later wins:
  1. built-in defaults
  2. a YAML profile embedded from configs/ (default, production, test) or a
     YAML file, chosen with --config or EVENTODB_CONFIG
  3. EVENTODB_* environment variables (every key of the profile, upper-cased:
     EVENTODB_PORT, EVENTODB_RATE_LIMIT, ...)
  4. the flags below

GOMAXPROCS, GOGC and GOMEMLIMIT are honoured (without GOGC, gc_percent sets
the collector's target, default 400; without GOMAXPROCS, the scheduler uses
one CPU while requests come one at a time and all of them when they overlap). SIGTERM drains in-flight requests, closes
subscriptions and then the database.`

const serveExample = `  eventodb serve
  eventodb serve --port 9000 --data-dir /var/lib/eventodb
  eventodb serve --db-url postgres://eventodb@localhost:5432/eventodb?sslmode=disable --log-format json
  eventodb serve --test-mode
  EVENTODB_CONFIG=production EVENTODB_DB_URL=postgres://... eventodb serve`

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "serve",
		Short:   "Run the EventoDB server",
		Long:    serveLong,
		Example: serveExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(cmd.Flags())
			if err != nil {
				return err // a usage error: exit code 2
			}
			if err := app.Run(cfg); err != nil {
				return &runError{err: err}
			}
			return nil
		},
	}
	config.RegisterFlags(cmd.Flags())
	return cmd
}
