package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/eventodb/eventodb/adapters/cli/loadgen"
	"github.com/eventodb/eventodb/adapters/cli/transfer"
)

const benchLong = `Measure a running EventoDB server over HTTP against the targets of the
performance guide, with the JSON-RPC protocol every client uses (a keep-alive
connection per worker, opened with an untimed sys.version; no proxy).

Meant for a server on loopback or one of your own: it sends load only to
--url (default http://localhost:8080) and nothing anywhere else. Every row is
bounded by --requests and --duration, whichever comes first, and stops by
itself. Each run writes to streams and a category named after a random run
id (bench-<run>-…, benchread-<run>, benchcat<run>-…) in the token's
namespace, so repeated runs don't interfere; the data stays afterwards.

Scenarios (--scenario):
  write     stream.write of single messages to bench-<run>-<worker>-<i%100>
  read      stream.get of a stream pre-filled with --batch messages
  category  category.get of a category pre-filled with --batch messages
  mixed     80% writes as in write, 20% reads as in read
  all       (default) the guide's table: write, read and category with one
            worker each, then concurrent writes with --concurrency workers
write, read, category and mixed run --concurrency workers.

Each row reports requests, errors (by HTTP status and error code), successful
operations per second, and the latency of successful requests in ms (avg,
p50, p95, p99, max; exact, from every sample), then PASS or FAIL against the
guide: write p95 < 10 and p99 < 20 ms; stream read of 100 < 20 / 40 ms;
category read of 100 < 30 / 60 ms; concurrent writes also > 1000 writes/s.
A row with errors fails; mixed load and reads of another size than 100 have
no target ("-"). --json prints one JSON object with every row instead, for
comparisons in CI.

Beside ops/s and latencies each row shows the server's CPU time per request
it answered (CPU µS/OP): process_cpu_seconds_total from the server's
/metrics (asked without the token), read just before the row's first request
and just after its last answer. It counts everything the server process did
meanwhile, and the counter moves in 10 ms steps on Linux: rows that cost the
server well under a second of CPU read coarsely. When /metrics does not
answer or lacks the counter the column says n/a, with the reason under the
table, and the run goes on.

The exit status does not depend on timings: 0, or 1 when the server cannot
be reached, refuses the token, or answered no request successfully.

A server whose operator set a per-token rate limit (rate_limit, off by
default) caps the throughput; answers with 429 RATE_LIMITED are counted and
explained.`

const benchExample = `  eventodb serve --test-mode &
  eventodb bench
  eventodb bench --url http://localhost:8080 --token ns_… --scenario write --concurrency 50 --duration 30s --requests 100000
  eventodb bench --token ns_… --scenario category --batch 1000 --json > bench.json`

type benchFlags struct {
	url, token  string
	scenario    string
	concurrency int
	requests    int
	duration    time.Duration
	batch       int
	json        bool
}

func newBenchCmd() *cobra.Command {
	f := &benchFlags{}
	def := loadgen.DefaultConfig()
	cmd := &cobra.Command{
		Use:     "bench",
		Short:   "Load a running server and compare it with the performance guide's targets",
		Long:    benchLong,
		Example: benchExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			runner, err := f.runner(cmd)
			if err != nil {
				return err // a usage error: exit code 2
			}
			if err := f.run(cmd, runner); err != nil {
				return &runError{err: err}
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	fs.StringVar(&f.url, "url", def.URL, "server `URL`; load goes there only (loopback or your own server)")
	fs.StringVar(&f.token, "token", "", "namespace `token`; the run writes into its namespace (optional for a server in test mode)")
	fs.StringVar(&f.scenario, "scenario", string(def.Scenario), "`scenario`: write, read, category, mixed or all")
	fs.IntVar(&f.concurrency, "concurrency", def.Concurrency, "`workers` of the concurrent rows")
	fs.DurationVar(&f.duration, "duration", def.Duration, "longest `time` a row sends requests, e.g. 10s or 1m30s")
	fs.IntVar(&f.requests, "requests", def.Requests, "most `requests` a row sends")
	fs.IntVar(&f.batch, "batch", def.Batch, "`messages` read by each stream.get and category.get (the guide's targets are for 100)")
	fs.BoolVar(&f.json, "json", false, "print one JSON object instead of a table")
	return cmd
}

// runner checks the flags and builds the run.
func (f *benchFlags) runner(cmd *cobra.Command) (*loadgen.Runner, error) {
	cfg := loadgen.DefaultConfig()
	cfg.URL, cfg.Token, cfg.Concurrency, cfg.Requests, cfg.Duration, cfg.Batch = f.url, f.token, f.concurrency, f.requests, f.duration, f.batch
	sc, err := loadgen.ParseScenario(f.scenario)
	if err != nil {
		return nil, flagError(err)
	}
	cfg.Scenario = sc
	if !f.json && transfer.IsTerminal(cmd.ErrOrStderr()) {
		stderr := cmd.ErrOrStderr()
		cfg.OnRow = func(row loadgen.Row) {
			fmt.Fprintf(stderr, "%s: %d requests in %s\n", row.Name, row.Requests, row.Elapsed.Round(time.Millisecond))
		}
	}
	r, err := loadgen.New(cfg)
	if err != nil {
		return nil, flagError(err)
	}
	return r, nil
}

func (f *benchFlags) run(cmd *cobra.Command, runner *loadgen.Runner) error {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	rep, err := runner.Run(ctx)
	if len(rep.Rows) > 0 {
		write := rep.WriteTable
		if f.json {
			write = rep.WriteJSON
		}
		if werr := write(cmd.OutOrStdout()); werr != nil {
			return werr
		}
	}
	if note := rep.RateLimitNote(); note != "" {
		fmt.Fprintln(cmd.ErrOrStderr(), note)
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("interrupted after %d rows", len(rep.Rows))
	case err != nil:
		return err
	case rep.Succeeded() == 0:
		first := ""
		for _, row := range rep.Rows {
			if row.FirstError != "" {
				first = row.FirstError
				break
			}
		}
		return fmt.Errorf("every one of the %d requests failed; first: %s", rep.Failed(), first)
	}
	return nil
}

// flagError names the flag of a loadgen configuration error.
func flagError(err error) error {
	var ce *loadgen.ConfigError
	if errors.As(err, &ce) {
		return fmt.Errorf("--%s %s", ce.Field, ce.Reason)
	}
	return err
}
