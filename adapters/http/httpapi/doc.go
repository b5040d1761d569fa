// Package httpapi holds what the HTTP adapters (rpc, sse, importer, …) share,
// so that none of them imports another: per-token admission limits today.
package httpapi
