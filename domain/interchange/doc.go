// Package interchange is EventoDB's interchange format: the NDJSON lines that
// `eventodb export` writes and POST /import and `eventodb import` read
// (PROTOCOL.md §4 and §8). A message travels as a Record, which ParseRecord
// checks and the Encoder writes; durable consumer groups travel, when asked
// for, as group and checkpoint lines after the messages. Failure and
// Progress are what an import reports.
//
// It lives in the domain because several adapters speak it, the server's
// import and the command-line tools, and adapters do not import one another;
// it is a value package (the standard library and the stream and group
// packages only), so the client-side tools and the import use case
// (service.Imports) share one definition of a valid record.
package interchange
