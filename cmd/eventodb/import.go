package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/eventodb/eventodb/adapters/cli/transfer"
	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
)

const importLong = `Read NDJSON written by eventodb export and store every message with its id,
stream, type, position, global position, data, metadata and time.

Through a server (--url, --token) the records go to POST /import of the token's
namespace. Without --url the database is opened directly (--db-url, --data-dir,
--namespace); the namespace must exist.

Records are imported 1000 per transaction. A record whose global position,
stream position or id is already taken, or a line that is not a valid record,
stops the import: every record before that line is imported, none after it,
and the error names the line. Progress is shown on stderr when it is a terminal.

gzip-compressed input (export --gzip) is recognised by its first bytes;
--gzip insists on it. --force empties the namespace before the import, for
restoring a backup over old data: it asks on a terminal, --yes skips the
question, and without a terminal to ask on it needs --yes.

Lines of durable consumer groups (export --groups) are skipped unless
--groups is given: then each group is created as it was exported (a group
of the same name must have the same definition) and each member's checkpoint
restored, after the messages before it are stored.`

const importExample = `  eventodb import --url http://localhost:8080 --token ns_… < backup.ndjson
  eventodb import --data-dir ./data --namespace shop --input orders.ndjson
  eventodb export --url http://old:8080 --token ns_… | eventodb import --url http://new:8080 --token ns_…
  eventodb import --url http://localhost:8080 --token ns_… --gzip --force --input backup.ndjson.gz`

type importFlags struct {
	endpoint
	input      string
	gzip       bool
	force, yes bool
	groups     bool
	mdb        fromMessageDB
}

func newImportCmd() *cobra.Command {
	f := &importFlags{}
	cmd := &cobra.Command{
		Use:     "import",
		Short:   "Store the messages of an NDJSON export, keeping their positions",
		Long:    importLong,
		Example: importExample,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.validate(cmd.Flags()); err != nil {
				return err // a usage error: exit code 2
			}
			if err := f.mdb.validate(cmd.Flags()); err != nil {
				return err
			}
			if f.yes && !f.force {
				return errors.New("--yes only confirms --force")
			}
			if f.groups && f.mdb.url != "" {
				return errors.New("--groups and --from-message-db exclude each other: Message DB keeps no consumer groups")
			}
			run := f.run
			if f.mdb.url != "" {
				run = f.runFromMessageDB
			}
			if err := run(cmd); err != nil {
				return &runError{err: err}
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.SortFlags = false
	f.register(fs)
	fs.StringVarP(&f.input, "input", "i", "", "`file` to read; default stdin")
	fs.BoolVar(&f.gzip, "gzip", false, "the input is gzip-compressed (it is also recognised without this flag)")
	fs.BoolVar(&f.force, "force", false, "empty the namespace before the import (destructive: asks first)")
	fs.BoolVarP(&f.yes, "yes", "y", false, "with --force: do not ask, empty the namespace")
	fs.BoolVar(&f.groups, "groups", false, "restore the durable consumer groups and checkpoints of {\"group\":…} lines (skipped otherwise)")
	f.mdb.register(cmd)
	return cmd
}

func (f *importFlags) run(cmd *cobra.Command) (err error) {
	ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var in io.Reader = cmd.InOrStdin()
	if f.input != "" && f.input != "-" {
		file, err := os.Open(f.input)
		if err != nil {
			return err
		}
		defer file.Close()
		in = file
	}
	if err := f.confirmForce(cmd); err != nil {
		return err
	}
	records, err := transfer.Decompress(in, f.gzip)
	if err != nil {
		return err
	}
	defer records.Close()
	sink, done, err := f.sink()
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, done()) }()
	meter := transfer.NewMeter(cmd.ErrOrStderr(), "imported", transfer.IsTerminal(cmd.ErrOrStderr()))
	n, err := sink.Import(ctx, records, func(p interchange.Progress) error {
		meter.Update(p.Imported, p.GPos)
		return nil
	})
	meter.Finish()
	var failure *interchange.Failure
	switch {
	case errors.As(err, &failure):
		e := httpapi.ImportError(failure.Err) // in the server's terms, wherever it was imported
		return fmt.Errorf("import stopped at line %d after %d messages: %s: %s", failure.Line, n, e.Code, e.Message)
	case err != nil:
		return fmt.Errorf("import stopped after %d messages: %w", n, err)
	}
	return nil
}

// sink opens what the import writes to; done releases it.
func (f *importFlags) sink() (transfer.Sink, func() error, error) {
	if f.url != "" {
		c, err := f.client()
		if err != nil {
			return nil, nil, err
		}
		return transfer.RemoteSink{Client: c, Force: f.force, Groups: f.groups}, func() error { return nil }, nil
	}
	store, err := f.openNamespace()
	if err != nil {
		return nil, nil, err
	}
	imports, err := service.NewImports(store, system.UUIDs{}, nil, service.ImportConfig{})
	if err != nil {
		return nil, nil, errors.Join(err, store.Close())
	}
	if f.groups {
		imports.RestoreGroupsWith(groupService(store))
	}
	return transfer.StoreSink{Imports: imports, Namespace: f.namespace, Force: f.force, Groups: f.groups}, store.Close, nil
}

// confirmForce asks before --force empties the target namespace (or takes
// --yes for an answer).
func (f *importFlags) confirmForce(cmd *cobra.Command) error {
	if !f.force {
		return nil
	}
	ns, err := f.target()
	if err != nil {
		return err
	}
	// The question is asked on stdin, which must be a terminal: when the
	// records come through stdin it cannot be, and --yes is needed.
	stdin := cmd.InOrStdin()
	return transfer.ConfirmClear(stdin, cmd.ErrOrStderr(), transfer.IsTerminal(stdin), f.yes, ns)
}

// target names the namespace the import writes to: the token's through a
// server, --namespace otherwise.
func (f *importFlags) target() (string, error) {
	if f.url == "" {
		return f.namespace, nil
	}
	ns, err := namespace.ParseToken(f.token)
	if err != nil {
		return "", fmt.Errorf("--token: %w", err)
	}
	return ns, nil
}
