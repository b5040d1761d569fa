package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/domain/namespace"
)

// schemaName is namespace id's schema, unquoted.
func schemaName(id string) string { return "ns_" + id }

// A namespace's schema is marked (COMMENT ON SCHEMA) with the created_at of the
// registration it was built for. That tells a schema left behind by a deleted
// namespace (its drop failed, or raced with a new registration of the id on
// another node) from the current one, so a re-created namespace never sees old
// messages and a late drop never removes a newer namespace's data.

// CreateNamespace builds the schema of the just-registered namespace id.
func (b *backend) CreateNamespace(ctx context.Context, id string) (*bunstore.Namespace, error) {
	return b.ensure(ctx, id)
}

// OpenNamespace opens namespace id, building or upgrading its schema if needed
// (a node that crashed between registering and building leaves it missing).
func (b *backend) OpenNamespace(ctx context.Context, id string) (*bunstore.Namespace, error) {
	return b.ensure(ctx, id)
}

// ensure makes namespace id's schema exist for its current registration, with
// every migration applied, under the namespace's DDL lock.
func (b *backend) ensure(ctx context.Context, id string) (*bunstore.Namespace, error) {
	// The id is spliced into SQL as part of a quoted identifier: letters,
	// digits, '_' and '-' only.
	if err := namespace.ValidateID(id); err != nil {
		return nil, err
	}
	schema := quote(schemaName(id))
	err := b.withLock(ctx, ddlClass, ddlKey(id), func(conn *pgx.Conn) error {
		registered, ok, err := registration(ctx, conn, id)
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("namespace %s is not registered", id)
		}
		marker, exists, err := schemaMarker(ctx, conn, id)
		if err != nil {
			return err
		}
		if exists && marker != registered {
			b.log.Info("dropping the schema of a deleted namespace", zap.String("namespace", id))
			if _, err := conn.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
				return err
			}
			exists = false
		}
		if !exists {
			if err := createSchema(ctx, conn, schema, registered); err != nil {
				return err
			}
		}
		return migrateSchema(ctx, b.db, "namespace", schema)
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: prepare namespace %s: %w", id, err)
	}
	return &bunstore.Namespace{
		ID:       id,
		Writer:   b.db,
		Reader:   b.db,
		Messages: schema + ".messages",
		Streams:  schema + ".streams",

		Groups:       schema + ".consumer_groups",
		GroupMembers: schema + ".group_members",
		GroupTallies: schema + ".group_tallies",
	}, nil
}

// DropNamespace drops the schema of deleted namespace ns, unless the id was
// registered again meanwhile and the schema is the new namespace's.
func (b *backend) DropNamespace(ctx context.Context, ns *bunstore.Namespace) error {
	if err := namespace.ValidateID(ns.ID); err != nil {
		return err
	}
	return b.withLock(ctx, ddlClass, ddlKey(ns.ID), func(conn *pgx.Conn) error {
		registered, ok, err := registration(ctx, conn, ns.ID)
		if err != nil {
			return err
		}
		marker, exists, err := schemaMarker(ctx, conn, ns.ID)
		if err != nil || !exists || (ok && marker == registered) {
			return err
		}
		_, err = conn.Exec(ctx, "DROP SCHEMA "+quote(schemaName(ns.ID))+" CASCADE")
		return err
	})
}

func createSchema(ctx context.Context, conn *pgx.Conn, schema, registered string) error {
	// The marker is digits only, safe to splice.
	_, err := conn.Exec(ctx, "CREATE SCHEMA "+schema+"; COMMENT ON SCHEMA "+schema+" IS '"+registered+"'")
	return err
}

// registration returns the marker of namespace id's current registration
// (its created_at), and whether it is registered.
func registration(ctx context.Context, conn *pgx.Conn, id string) (string, bool, error) {
	var created int64
	err := conn.QueryRow(ctx, "SELECT created_at FROM "+quote(RegistrySchema)+".namespaces WHERE id = $1", id).Scan(&created)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return strconv.FormatInt(created, 10), true, nil
}

// schemaMarker returns the marker of namespace id's schema and whether the
// schema exists.
func schemaMarker(ctx context.Context, conn *pgx.Conn, id string) (string, bool, error) {
	var marker sql.NullString
	err := conn.QueryRow(ctx,
		"SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = $1", schemaName(id)).Scan(&marker)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return marker.String, true, nil
}
