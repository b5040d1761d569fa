// Package transfer moves a namespace's messages between NDJSON (the format of
// domain/interchange) and EventoDB, for `eventodb export` and `eventodb
// import`: either through a running server (the Go client's merged category
// reads and POST /import) or straight on a store (ports.Exporter,
// service.Imports). Every path streams, so memory stays bounded whatever the
// size of the namespace.
package transfer
