package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/cli/transfer"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// toMessageDB are export's flags for writing a Message DB table.
type toMessageDB struct {
	url    string
	schema string
}

const toMessageDBLong = `

Leaving for Message DB: --to-message-db writes the selected messages into a
Message DB messages table (message_store.messages, or --schema's) in the
PostgreSQL database at its URL instead of NDJSON. The schema, table and
Message DB's indexes are created when missing. Every id, stream, type,
position, global position, time, data and metadata is kept, in one
transaction: a message whose global position, stream position or id the
table already holds stops the export with nothing written. Afterwards the
table's global_position sequence continues past the highest global position,
so Message DB's own writes follow on.`

const toMessageDBExample = `
  eventodb export --url http://localhost:8080 --token ns_… --to-message-db 'postgres://mdb@localhost/message_store'`

func (m *toMessageDB) register(cmd *cobra.Command) {
	cmd.Long += toMessageDBLong
	cmd.Example += toMessageDBExample
	fs := cmd.Flags()
	fs.StringVar(&m.url, "to-message-db", "", "write into the Message DB messages table of the PostgreSQL database at this `url` instead of NDJSON")
	fs.StringVar(&m.schema, "schema", messagedb.DefaultSchema, "with --to-message-db: the `schema` of the messages table")
}

func (m *toMessageDB) validate(fs *pflag.FlagSet) error {
	if m.url == "" {
		if fs.Changed("schema") {
			return errors.New("--schema needs --to-message-db")
		}
		return nil
	}
	for _, name := range []string{"output", "gzip"} {
		if fs.Changed(name) {
			return fmt.Errorf("--%s and --to-message-db exclude each other: the messages go to the database", name)
		}
	}
	return nil
}

// runToMessageDB exports the selected messages into a Message DB table.
func (f *exportFlags) runToMessageDB(cmd *cobra.Command, q ports.ExportQuery) (err error) {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	src, done, err := f.source()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, done()) }()
	conn, err := pgx.Connect(ctx, f.mdb.url)
	if err != nil {
		return fmt.Errorf("--to-message-db: %w", err)
	}
	defer func() { _ = conn.Close(context.WithoutCancel(ctx)) }()
	stderr := cmd.ErrOrStderr()
	meter := transfer.NewMeter(stderr, "exported", transfer.IsTerminal(stderr))
	pages := func(ctx context.Context, page func(msgs []stream.Message) error) error {
		return src.Export(ctx, q, page)
	}
	sum, err := messagedb.Export(ctx, conn, messagedb.Table{Schema: f.mdb.schema}, pages,
		func(p interchange.Progress) { meter.Update(p.Imported, p.GPos) })
	meter.Finish()
	if err != nil {
		return fmt.Errorf("export to Message DB: %w", err)
	}
	_, _ = fmt.Fprintln(stderr, sum.String())
	return nil
}
