package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"hash/fnv"

	"github.com/jackc/pgx/v5"
)

// Advisory lock keys. PostgreSQL keeps one-bigint keys and two-int keys apart,
// so the append locks (bigint) never collide with the DDL locks (int pairs).
// A hash collision between two namespaces only makes them wait for each other.
const (
	// ddlClass is the first key of the lock held while a namespace's schema is
	// created, migrated or dropped; the second is a hash of the namespace id.
	ddlClass int32 = 0x45564f44 // "EVOD"
	// registryClass, 0 is held while the registry's migrations run.
	registryClass int32 = 0x45564f52 // "EVOR"
)

// appendKey is the transaction-level advisory lock of namespace id's appends.
func appendKey(id string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("eventodb/append/" + id))
	return int64(h.Sum64()) // a key: wrapping is intended
}

func ddlKey(id string) int32 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return int32(h.Sum32()) // a key: wrapping is intended
}

// LockForAppend takes the namespace's append lock for the rest of tx. Every
// node's append transaction takes it first, so transactions of one namespace
// commit one after the other and each sees its predecessor's rows: MAX+1 is
// the next global position and positions become visible in order.
func (b *backend) LockForAppend(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", appendKey(id))
	return err
}

// Placeholders: PostgreSQL numbers parameters $1, $2, ….
func (b *backend) Placeholders() bool { return true }

// Networked: PostgreSQL is reached over a network.
func (b *backend) Networked() bool { return true }

// StatementArgs has pgx prepare the hot paths' fixed statements once per
// connection and cache them (the pool's default is the simple protocol, for
// bun's own interpolated queries); with plan_cache_mode=force_generic_plan
// PostgreSQL then neither parses nor plans them again.
func (b *backend) StatementArgs() []any { return []any{pgx.QueryExecModeCacheStatement} }

// withLock runs fn while holding the session-level advisory lock (class, key)
// on a dedicated connection, which fn may use. The connection is closed at the
// end, which releases the lock whatever happened: even when the unlock cannot
// be sent, the lock does not outlive the session.
func (b *backend) withLock(ctx context.Context, class, key int32, fn func(conn *pgx.Conn) error) error {
	conn, err := pgx.ConnectConfig(ctx, b.connCfg.Copy())
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1, $2)", class, key); err != nil {
		_ = conn.Close(ctx)
		return fmt.Errorf("take advisory lock: %w", err)
	}
	err = fn(conn)
	cleanup, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	// Unlocking lets the next node go on at once; Close would release it too.
	_, _ = conn.Exec(cleanup, "SELECT pg_advisory_unlock($1, $2)", class, key)
	_ = conn.Close(cleanup)
	return err
}
