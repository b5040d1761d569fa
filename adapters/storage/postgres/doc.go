// Package postgres is EventoDB's production storage: one PostgreSQL database
// shared by any number of server nodes. Each namespace lives in a schema of its
// own ("ns_<id>"), the registry of namespaces in the schema "eventodb". Queries
// live in bunstore; this package opens the connection pool (pgx through
// database/sql), applies the embedded migrations under advisory locks so nodes
// starting together do not race, serializes each namespace's appends across
// nodes with a transaction-level advisory lock, and tells bunstore which errors
// mean the database is unreachable.
package postgres
