// Package importer serves POST /import: it streams an NDJSON body of exported
// messages (package transfer) into the namespace of the request's token
// through the import use case (service.Imports), and reports its progress as
// Server-Sent Events. It keeps only the HTTP side: the query parameters
// (?force=, ?groups=), the event stream and the wire codes of a failure, the
// idle deadline, the per-token limit and the binding to the namespace's
// registration.
package importer
