// Package memory is EventoDB's storage in process memory: every storage port
// (messages, catalog, namespace registry, health, import, export) in pure Go,
// with no database, no SQL and no cgo.
//
// It exists so that a Go program, or its tests, can use the domain services
// without running a server, a database or a C compiler, and so the HTTP
// adapters' tests have a real store instead of a hand-written fake. The server
// runs on it with --db-url memory://. Everything is lost when the process
// exits: it is not a database.
//
// It keeps the semantics of the SQL stores exactly, and passes the same
// contract suite (adapters/storage/storetest): gap-free stream positions,
// global positions that start at 1 and become visible strictly in order,
// expectedVersion checked atomically with the append, idempotent message ids,
// the Message DB consumer-group hash and correlation filter, and imports that
// keep positions.
//
// Each namespace has its own lock, so namespaces never wait for each other;
// within one, appends are serialized (which is what orders global positions)
// and reads share the lock. Indexes by stream, category and message id answer
// reads without scanning the namespace. Data goes in and comes out as copies:
// no caller can change the store's state through a slice it passed or got.
package memory
