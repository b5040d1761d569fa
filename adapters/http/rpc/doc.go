// Package rpc serves EventoDB's JSON-RPC endpoint, POST /rpc: it parses the
// ["method", args...] envelope, dispatches to a method table collected from the
// fx value group "rpc.methods", maps typed domain errors to wire codes and
// statuses (through httpapi), and provides the auth middleware, rate-limited
// per token, that the other HTTP adapters (/subscribe, /import) take from the
// fx graph. It also serves GET /health and GET /version.
package rpc
