package rpc

import (
	"context"
	"encoding/json"

	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

type healthResult struct {
	Status      string      `json:"status"`
	Backend     string      `json:"backend"`
	Connections int         `json:"connections"`
	Pool        *poolResult `json:"pool,omitempty"`
}

// poolResult shows connection-pool pressure: a growing waitCount with inUse
// at maxOpen is the guide's "connection pool exhaustion".
type poolResult struct {
	InUse     int   `json:"inUse"`
	Idle      int   `json:"idle"`
	MaxOpen   int   `json:"maxOpen"`
	WaitCount int64 `json:"waitCount"`
}

// sysVersion: ["sys.version"]: the server's semantic version.
func sysVersion(version string) Method {
	return Method{Name: "sys.version", MinArgs: 0, MaxArgs: 0, Handle: func(context.Context, service.Principal, []json.RawMessage) (any, error) {
		return version, nil
	}}
}

// sysHealth: ["sys.health", options?]: the storage backend and its open
// connections; with options {"pool": true} also the connection pool's figures
// (the plain answer keeps the documented shape). BACKEND_ERROR 503 when the
// database is unreachable.
func sysHealth(h ports.HealthChecker) Method {
	return Method{Name: "sys.health", MinArgs: 0, MaxArgs: 1, Handle: func(ctx context.Context, _ service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		withPool := r.Options(0, "options").Bool("pool")
		if err := r.Err(); err != nil {
			return nil, err
		}
		health, err := h.Health(ctx)
		if err != nil {
			return nil, err
		}
		res := healthResult{Status: "ok", Backend: health.Backend, Connections: health.Connections}
		if withPool {
			res.Pool = &poolResult{InUse: health.InUse, Idle: health.Idle, MaxOpen: health.MaxOpen, WaitCount: health.WaitCount}
		}
		return res, nil
	}}
}
