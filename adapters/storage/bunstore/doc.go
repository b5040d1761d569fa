// Package bunstore is the one storage implementation of EventoDB's ports, written
// once against bun and shared by the SQLite and PostgreSQL adapters. What differs
// between the databases (where a namespace's tables live, how commit order is
// serialized, how storage is created and dropped) sits behind the Backend
// interface, which those adapters implement.
//
// Writes to a namespace go through one writer goroutine that batches concurrent
// appends into one transaction (group commit): one fsync serves many callers,
// global positions are assigned in commit order, and a caller whose append fails
// its own checks fails alone.
package bunstore
