package messagedb

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// DefaultSchema is where Message DB keeps its table.
const DefaultSchema = "message_store"

// DB runs SQL: a *pgx.Conn or a pgx.Tx.
type DB interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Table is the messages table of a Message DB schema.
type Table struct {
	Schema string // "" is DefaultSchema
}

func (t Table) schema() string {
	if t.Schema == "" {
		return DefaultSchema
	}
	return t.Schema
}

// Name is the quoted, schema-qualified table name for SQL.
func (t Table) Name() string {
	return pgx.Identifier{t.schema(), "messages"}.Sanitize()
}

// String is the table name for people: message_store.messages.
func (t Table) String() string { return t.schema() + ".messages" }

// Create makes the table and its indexes, and the schema, unless they
// exist. The columns and indexes are Message DB's, so Message DB's own
// functions work on the result. An existing table is left as it is: it may
// belong to a Message DB role that may write rows but not create objects.
// Message DB's category index uses its category() function; an expression
// index on split_part computes the same without the function installed.
func (t Table) Create(ctx context.Context, db DB) error {
	var tableExists, schemaExists bool
	err := db.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL, EXISTS (SELECT FROM pg_namespace WHERE nspname = $2)`,
		t.Name(), t.schema()).Scan(&tableExists, &schemaExists)
	if err != nil || tableExists {
		return err
	}
	name := t.Name()
	index := func(n string) string { return pgx.Identifier{n}.Sanitize() }
	var stmts []string
	if !schemaExists {
		stmts = append(stmts, `CREATE SCHEMA `+pgx.Identifier{t.schema()}.Sanitize())
	}
	stmts = append(stmts,
		`CREATE TABLE `+name+` (
			global_position bigserial PRIMARY KEY,
			position bigint NOT NULL,
			time timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),
			stream_name text NOT NULL,
			type text NOT NULL,
			data jsonb,
			metadata jsonb,
			id uuid NOT NULL DEFAULT gen_random_uuid()
		)`,
		// A message id exists once; a stream position exists once (this is
		// what makes Message DB's expected-version check safe).
		`CREATE UNIQUE INDEX `+index("messages_id")+` ON `+name+` (id)`,
		`CREATE UNIQUE INDEX `+index("messages_stream")+` ON `+name+` (stream_name, position)`,
		// get_category_messages reads a category in global order, optionally
		// filtered by correlation category.
		`CREATE INDEX `+index("messages_category")+` ON `+name+` (
			split_part(stream_name, '-', 1), global_position,
			split_part(metadata->>'correlationStreamName', '-', 1))`,
	)
	for _, s := range stmts {
		if _, err := db.Exec(ctx, s); err != nil {
			return fmt.Errorf("create %s: %w", t, err)
		}
	}
	return nil
}

// missing explains an error about a table or schema that does not exist,
// and returns any other error unchanged.
func (t Table) missing(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && (pgErr.Code == "42P01" || pgErr.Code == "3F000") {
		return fmt.Errorf("no table %s in this database (is it Message DB's? --schema names another schema): %w", t, err)
	}
	return err
}
