// Package messagedb moves messages between a Message DB installation (its
// PostgreSQL table message_store.messages) and EventoDB, for `eventodb
// import --from-message-db` and `eventodb export --to-message-db`.
//
// The data model is Message DB's, so a message crosses unchanged: id, stream,
// type, position, global position, time, data and metadata. Reading uses a
// server-side cursor and writing uses COPY, so memory stays flat whatever the
// size of the table. The import turns rows into the NDJSON records of
// adapters/http/importer and hands them to the same sinks as `eventodb
// import`, so a server and a database opened directly share one path.
package messagedb
