package sqlite

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

// migrateDB applies the embedded migrations of one folder (registry or
// namespace) to db; applied ones are recorded in bun_migrations.
func migrateDB(ctx context.Context, db *bun.DB, folder string) error {
	sub, err := fs.Sub(migrationFiles, "migrations/"+folder)
	if err != nil {
		return err
	}
	migrations := migrate.NewMigrations()
	if err := migrations.Discover(sub); err != nil {
		return fmt.Errorf("load %s migrations: %w", folder, err)
	}
	m := migrate.NewMigrator(db, migrations, migrate.WithMarkAppliedOnSuccess(true))
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("init %s migrations: %w", folder, err)
	}
	if _, err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("apply %s migrations: %w", folder, err)
	}
	return nil
}
