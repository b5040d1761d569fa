// Package rpc serves EventoDB's JSON-RPC endpoint, POST /rpc: it parses the
// ["method", args...] envelope, dispatches to a method table collected from the
// fx value group "rpc.methods", maps typed domain errors to wire codes and
// statuses, and authenticates and rate-limits tokens. It also serves GET
// /health and GET /version. The auth middleware, PrincipalFrom and WriteError
// are exported for the other HTTP adapters (/subscribe, /import).
package rpc
