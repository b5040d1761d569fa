// Package importer serves POST /import: it streams an NDJSON body of exported
// messages into a namespace in batches, keeping their ids and positions, and
// reports progress as Server-Sent Events. It also owns that NDJSON record
// format (Record, ParseRecord, Encoder), which `eventodb export` writes and
// `eventodb import` reads.
package importer
