package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/eventodb/eventodb/adapters/cli/transfer"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/ports"
)

const exportLong = `Write a namespace's messages as NDJSON, one message a line:

  {"id":"…","stream":"account-1","type":"Opened","pos":0,"gpos":1,"data":{…},"meta":null,"time":"2026-01-15T10:30:00.123456Z"}

in ascending global position. eventodb import (or POST /import) reads it back
with every id and position kept.

Through a server (--url, --token) the token's namespace is exported with
category.get, category by category, merged into global order. Without --url
the database is opened directly (--db-url, --data-dir, --namespace).

--since and --until take an RFC 3339 time or a date (YYYY-MM-DD, UTC); --since
is inclusive, --until exclusive, and a date for --until includes that day.
Progress is shown on stderr when it is a terminal. --gzip compresses the
output (eventodb import recognises it).

--groups also writes the namespace's durable consumer groups (of the
--categories, when given) after the messages: one {"group":…} line per group
and one per member's checkpoint. eventodb import --groups restores them;
without --groups the file is exactly what the existing server reads.`

const exportExample = `  eventodb export --url http://localhost:8080 --token ns_… > backup.ndjson
  eventodb export --data-dir ./data --namespace shop --categories order,payment --output orders.ndjson
  eventodb export --db-url postgres://eventodb@localhost/eventodb --namespace shop --since 2026-01-01 --until 2026-01-31
  eventodb export --url http://localhost:8080 --token ns_… --from-gpos 150000 --output tail.ndjson
  eventodb export --url http://localhost:8080 --token ns_… --gzip --output backup.ndjson.gz`

type exportFlags struct {
	endpoint
	output       string
	categories   []string
	since, until string
	fromGPos     int64
	gzip         bool
	groups       bool
	mdb          toMessageDB
}

func newExportCmd() *cobra.Command {
	f := &exportFlags{}
	cmd := &cobra.Command{
		Use:     "export",
		Short:   "Write a namespace's messages as NDJSON",
		Long:    exportLong,
		Example: exportExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			q, err := f.query(cmd)
			if err == nil {
				err = f.mdb.validate(cmd.Flags())
			}
			if err == nil && f.groups && f.mdb.url != "" {
				err = errors.New("--groups and --to-message-db exclude each other: Message DB keeps no consumer groups")
			}
			if err != nil {
				return err // a usage error: exit code 2
			}
			run := f.run
			if f.mdb.url != "" {
				run = f.runToMessageDB
			}
			if err := run(cmd, q); err != nil {
				return &runError{err: err}
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	f.register(fs)
	fs.StringVarP(&f.output, "output", "o", "", "`file` to write; default stdout")
	fs.StringSliceVar(&f.categories, "categories", nil, "export only these `categories` (comma-separated)")
	fs.StringVar(&f.since, "since", "", "export messages written at or after this `time` (RFC 3339 or YYYY-MM-DD)")
	fs.StringVar(&f.until, "until", "", "export messages written before this `time` (RFC 3339, or YYYY-MM-DD for the whole day)")
	fs.Int64Var(&f.fromGPos, "from-gpos", 0, "export from this global `position` on (inclusive)")
	fs.BoolVar(&f.gzip, "gzip", false, "compress the output with gzip")
	fs.BoolVar(&f.groups, "groups", false, "also write the durable consumer groups and their checkpoints after the messages")
	f.mdb.register(cmd)
	return cmd
}

// query checks the flags and builds the export query.
func (f *exportFlags) query(cmd *cobra.Command) (ports.ExportQuery, error) {
	q := ports.ExportQuery{FromGlobal: f.fromGPos}
	if err := f.validate(cmd.Flags()); err != nil {
		return q, err
	}
	if f.fromGPos < 0 {
		return q, fmt.Errorf("--from-gpos must not be negative, got %d", f.fromGPos)
	}
	for _, c := range f.categories {
		if c = strings.TrimSpace(c); c != "" {
			q.Categories = append(q.Categories, c)
		}
	}
	var err error
	if q.Since, err = parseDate("since", f.since, false); err != nil {
		return q, err
	}
	if q.Until, err = parseDate("until", f.until, true); err != nil {
		return q, err
	}
	if q.Since != nil && q.Until != nil && !q.Since.Before(*q.Until) {
		return q, errors.New("--since must be before --until")
	}
	return q, nil
}

func (f *exportFlags) run(cmd *cobra.Command, q ports.ExportQuery) (err error) {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	src, done, err := f.source()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, done()) }()
	var out io.Writer = cmd.OutOrStdout()
	if f.output != "" && f.output != "-" {
		file, cerr := os.Create(f.output)
		if cerr != nil {
			return cerr
		}
		defer func() {
			if cerr := file.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				_ = os.Remove(f.output) // no half export that looks whole
			}
		}()
		out = file
	}
	if f.gzip {
		zw := transfer.Compress(out)
		defer func() {
			if cerr := zw.Close(); err == nil {
				err = cerr
			}
		}()
		out = zw
	}
	meter := transfer.NewMeter(cmd.ErrOrStderr(), "exported", transfer.IsTerminal(cmd.ErrOrStderr()))
	n, err := transfer.Export(ctx, src, q, out, func(p interchange.Progress) { meter.Update(p.Imported, p.GPos) })
	meter.Finish()
	if err != nil {
		return fmt.Errorf("export stopped after %d messages: %w", n, err)
	}
	if f.groups {
		return exportGroups(ctx, src, q, out)
	}
	return nil
}

// source opens what the export reads; done releases it.
func (f *exportFlags) source() (transfer.Source, func() error, error) {
	if f.url != "" {
		c, err := f.client()
		if err != nil {
			return nil, nil, err
		}
		return transfer.RemoteSource{Client: c}, func() error { return nil }, nil
	}
	store, err := f.openNamespace()
	if err != nil {
		return nil, nil, err
	}
	return transfer.StoreSource{Exporter: store, Namespace: f.namespace, Groups: store}, store.Close, nil
}

// parseDate reads an RFC 3339 time or a YYYY-MM-DD date (midnight UTC, or
// the next midnight when endOfDay). "" is no bound.
func parseDate(name, s string, endOfDay bool) (*time.Time, error) {
	if s == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return &t, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, fmt.Errorf("--%s %q is neither an RFC 3339 time (2026-01-15T10:30:00Z) nor a date (2026-01-15)", name, s)
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return &d, nil
}
