package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/cli/transfer"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/interchange"
)

const fromMessageDBLong = `

Coming from Message DB: --from-message-db reads a Message DB database's
messages table (message_store.messages, or --schema's) in global order with a
server-side cursor, and stores every message with its id, stream, type,
position, global position, time, data and metadata unchanged, through a
server or straight into a database as above. --categories and --from-gpos
select what is read. The rows are those of one snapshot: messages Message DB
writes meanwhile are left for a rerun with --from-gpos.

A message this server cannot store as it is (a stream name it refuses, data
that is not a JSON object, metadata that is neither an object nor null, ...)
stops the import after every message before it is stored, and the error names
its global position and the --from-gpos to resume with once it is fixed;
--skip-invalid instead leaves such messages out and reports each on stderr.
At the end a summary goes to stderr, or with --json to stdout as JSON.`

const fromMessageDBExample = `
  eventodb import --from-message-db 'postgres://mdb@localhost/message_store' --url http://localhost:8080 --token ns_…
  eventodb import --from-message-db 'postgres://mdb@localhost/message_store' --db-url postgres://eventodb@localhost/eventodb --namespace shop --categories account,order
  eventodb import --from-message-db 'postgres://mdb@localhost/message_store' --url http://localhost:8080 --token ns_… --from-gpos 150000 --skip-invalid --json`

// fromMessageDB are import's flags for reading a Message DB table.
type fromMessageDB struct {
	url         string
	schema      string
	categories  []string
	fromGPos    int64
	skipInvalid bool
	json        bool
}

func (m *fromMessageDB) register(cmd *cobra.Command) {
	cmd.Long += fromMessageDBLong
	cmd.Example += fromMessageDBExample
	fs := cmd.Flags()
	fs.StringVar(&m.url, "from-message-db", "", "import Message DB's messages from the PostgreSQL database at this `url` instead of NDJSON")
	fs.StringVar(&m.schema, "schema", messagedb.DefaultSchema, "with --from-message-db: the `schema` of the messages table")
	fs.StringSliceVar(&m.categories, "categories", nil, "with --from-message-db: import only these `categories` (comma-separated)")
	fs.Int64Var(&m.fromGPos, "from-gpos", 0, "with --from-message-db: import from this global `position` on (inclusive), e.g. to resume")
	fs.BoolVar(&m.skipInvalid, "skip-invalid", false, "with --from-message-db: leave out messages that cannot be stored, instead of stopping")
	fs.BoolVar(&m.json, "json", false, "with --from-message-db: print the summary as JSON on stdout")
}

// validate rejects flags that need --from-message-db without it, and NDJSON
// input flags with it.
func (m *fromMessageDB) validate(fs *pflag.FlagSet) error {
	if m.url == "" {
		for _, name := range []string{"schema", "categories", "from-gpos", "skip-invalid", "json"} {
			if fs.Changed(name) {
				return fmt.Errorf("--%s needs --from-message-db", name)
			}
		}
		return nil
	}
	for _, name := range []string{"input", "gzip"} {
		if fs.Changed(name) {
			return fmt.Errorf("--%s and --from-message-db exclude each other: the messages come from the database", name)
		}
	}
	if m.fromGPos < 0 {
		return fmt.Errorf("--from-gpos must not be negative, got %d", m.fromGPos)
	}
	return nil
}

// runFromMessageDB imports a Message DB table into the import's target.
func (f *importFlags) runFromMessageDB(cmd *cobra.Command) (err error) {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// A first interrupt lets the import store what it read and say where to
	// resume; a second one ends the program at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	m := &f.mdb
	if err := f.confirmForce(cmd); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, m.url)
	if err != nil {
		return fmt.Errorf("--from-message-db: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	sink, done, err := f.sink()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, done()) }()

	stderr := cmd.ErrOrStderr()
	terminal := transfer.IsTerminal(stderr)
	var mu sync.Mutex // the meter and skip reports share stderr
	meter := transfer.NewMeter(stderr, "imported", terminal)
	opts := messagedb.ImportOptions{
		Query:       messagedb.Query{Table: messagedb.Table{Schema: m.schema}, Categories: trimmed(m.categories), FromGPos: m.fromGPos},
		SkipInvalid: m.skipInvalid,
		Checker:     messagedb.Checker{IDs: system.UUIDs{}},
		Progress: func(p interchange.Progress) {
			mu.Lock()
			defer mu.Unlock()
			meter.Update(p.Imported, p.GPos)
		},
		Skipped: func(k messagedb.Skip) {
			mu.Lock()
			defer mu.Unlock()
			if terminal {
				_, _ = fmt.Fprint(stderr, "\r\033[K") // over the progress line
			}
			_, _ = fmt.Fprintf(stderr, "skipped global position %d: %s\n", k.GlobalPosition, k.Reason)
		},
	}
	sum, err := messagedb.Import(ctx, conn, sink, opts)
	mu.Lock()
	meter.Finish()
	mu.Unlock()
	var rowErr *messagedb.RowError
	if errors.As(err, &rowErr) {
		err = fmt.Errorf("%w (fix it in the source, or add --skip-invalid to leave it out)", err)
	}
	if m.json {
		out := struct {
			messagedb.Summary
			Error string `json:"error,omitempty"`
		}{Summary: sum}
		if err != nil {
			out.Error = err.Error()
		}
		enc := json.NewEncoder(cmd.OutOrStdout())
		enc.SetEscapeHTML(false)
		if jerr := enc.Encode(out); jerr != nil {
			return errors.Join(err, jerr)
		}
	} else if err == nil {
		_, _ = fmt.Fprintln(stderr, sum.String())
	}
	return err
}

// trimmed drops blanks around and between comma-separated names.
func trimmed(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			out = append(out, n)
		}
	}
	return out
}
