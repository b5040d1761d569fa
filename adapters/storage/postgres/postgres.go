package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/ports"
)

// RegistrySchema holds the namespaces table and its migration records.
const RegistrySchema = "eventodb"

// statementCache is how many prepared statements a connection keeps: a few
// per namespace in use (reads, versions, the append's lookups).
const statementCache = 256

// cleanupTimeout bounds statements that release something after the caller's
// context may have ended.
const cleanupTimeout = 5 * time.Second

// Open connects to the database, applies the registry migrations and returns
// the store on it. Close the store to close the pool.
func Open(cfg Config, log *zap.Logger) (*bunstore.Store, error) {
	return OpenContext(context.Background(), cfg, log)
}

// OpenContext is Open bounded by ctx (connecting and migrating).
func OpenContext(ctx context.Context, cfg Config, log *zap.Logger) (*bunstore.Store, error) {
	b, err := openBackend(ctx, cfg, log)
	if err != nil {
		return nil, err
	}
	store, err := bunstore.New(b, b.log, bunstore.Options{})
	if err != nil {
		_ = b.Close()
		return nil, err
	}
	return store, nil
}

// openBackend connects to the database and applies the registry migrations.
func openBackend(ctx context.Context, cfg Config, log *zap.Logger) (*backend, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.defaults()
	if log == nil {
		log = zap.NewNop()
	}
	log = log.Named("postgres")
	connCfg, err := connConfig(cfg)
	if err != nil {
		return nil, err
	}
	sqldb := stdlib.OpenDB(*connCfg)
	sqldb.SetMaxOpenConns(cfg.MaxConns)
	sqldb.SetMaxIdleConns(cfg.MaxConns)
	sqldb.SetConnMaxLifetime(max(cfg.ConnMaxLifetime, 0))
	db := bun.NewDB(sqldb, pgdialect.New())
	b := &backend{cfg: cfg, connCfg: connCfg, db: db, log: log}
	b.pipes = newPipePool(appendConns(cfg.MaxConns), cfg.ConnMaxLifetime, b.connectPipe)
	if err := b.migrateRegistry(ctx); err != nil {
		_ = b.Close()
		return nil, err
	}
	return b, nil
}

// connConfig parses the URL and sets what every connection needs: the simple
// query protocol by default (bun interpolates arguments itself, so preparing
// each distinct text would only fill memory), a statement cache for the few
// fixed statements that ask for it (Backend.StatementArgs) and their generic
// plans, the registry schema as search_path (bunstore names the registry
// table unqualified; the namespaces' tables are always qualified) and a
// connect timeout.
func connConfig(cfg Config) (*pgx.ConnConfig, error) {
	connCfg, err := pgx.ParseConfig(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err) // pgx redacts the password
	}
	connCfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	connCfg.StatementCacheCapacity = statementCache
	connCfg.DescriptionCacheCapacity = 0
	connCfg.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	connCfg.RuntimeParams["search_path"] = RegistrySchema
	if connCfg.RuntimeParams["application_name"] == "" {
		connCfg.RuntimeParams["application_name"] = "eventodb"
	}
	if connCfg.ConnectTimeout == 0 || connCfg.ConnectTimeout > cfg.ConnectTimeout {
		connCfg.ConnectTimeout = cfg.ConnectTimeout
	}
	return connCfg, nil
}

// backend implements bunstore.Backend on one connection pool shared by the
// registry and every namespace.
type backend struct {
	cfg     Config
	connCfg *pgx.ConnConfig // for dedicated (lock) connections
	db      *bun.DB
	pipes   *pipePool // pipelined appends (pipe.go)
	log     *zap.Logger
}

var _ bunstore.Backend = (*backend)(nil)

func (b *backend) Name() string      { return "postgres" }
func (b *backend) Registry() bun.IDB { return b.db }

// Close closes both pools.
func (b *backend) Close() error {
	b.pipes.close()
	return b.db.Close()
}

func (b *backend) IsUnavailable(err error) bool      { return IsUnavailable(err) }
func (b *backend) IsMissingNamespace(err error) bool { return IsMissingNamespace(err) }

// migrateRegistry creates the registry schema and applies its migrations while
// holding the registry lock, so nodes starting together take turns.
func (b *backend) migrateRegistry(ctx context.Context) error {
	err := b.withLock(ctx, registryClass, 0, func(conn *pgx.Conn) error {
		if _, err := conn.Exec(ctx, "CREATE SCHEMA IF NOT EXISTS "+quote(RegistrySchema)); err != nil {
			return err
		}
		return migrateSchema(ctx, b.db, "registry", quote(RegistrySchema))
	})
	if err != nil {
		return fmt.Errorf("postgres: migrate registry: %w", err)
	}
	return nil
}

// Health pings the database and reports the pool: how many connections are
// open, in use and idle, the limit, and how many times a query had to wait for
// a free connection (a growing WaitCount is pool exhaustion).
func (b *backend) Health(ctx context.Context) (ports.Health, error) {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.ConnectTimeout)
	defer cancel()
	err := b.db.PingContext(ctx)
	st := b.db.Stats()
	h := ports.Health{
		Backend:     b.Name(),
		Connections: st.OpenConnections,
		InUse:       st.InUse,
		Idle:        st.Idle,
		MaxOpen:     st.MaxOpenConnections,
		WaitCount:   st.WaitCount,
	}
	if err != nil {
		return h, fmt.Errorf("%w: %w", ports.ErrUnavailable, err)
	}
	return h, nil
}

// Stats are the pool's figures, for metrics.
func (b *backend) Stats() sql.DBStats { return b.db.Stats() }

// quote quotes an identifier known to hold no double quote.
func quote(ident string) string { return `"` + ident + `"` }
