package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

//go:embed migrations
var migrationFiles embed.FS

// templateData fills the migrations' {{.Schema}}: the quoted schema the
// migration's tables live in.
type templateData struct {
	Schema string
}

// migrateSchema applies the embedded migrations of one folder (registry or
// namespace) to the existing schema (quoted). Applied migrations are recorded
// in that schema's own bun_migrations table, so each namespace carries its
// migration state with it and a dropped namespace leaves nothing behind. The
// caller holds the advisory lock that keeps other nodes out.
func migrateSchema(ctx context.Context, db *bun.DB, folder, schema string) error {
	sub, err := fs.Sub(migrationFiles, "migrations/"+folder)
	if err != nil {
		return err
	}
	migrations := migrate.NewMigrations()
	if err := migrations.Discover(sub); err != nil {
		return fmt.Errorf("load %s migrations: %w", folder, err)
	}
	m := migrate.NewMigrator(db, migrations,
		migrate.WithMarkAppliedOnSuccess(true),
		migrate.WithTemplateData(templateData{Schema: schema}),
		migrate.WithTableName(schema+".bun_migrations"),
		migrate.WithLocksTableName(schema+".bun_migration_locks"),
	)
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("init %s migrations: %w", folder, err)
	}
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("apply %s migrations: %w", folder, err)
	}
	return nil
}
