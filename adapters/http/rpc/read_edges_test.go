package rpc_test

import (
	"testing"
)

// Message DB read semantics the official clients' own test suites send: a
// batchSize of 0 answers [], a negative position reads from the start.
func TestReadEdgesOfMessageDB(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	for i := 0; i < 3; i++ {
		e.ok(t, e.tenant, "stream.write", "edge-1", msg("T", map[string]any{"i": i}))
	}
	tests := []struct {
		name string
		args []any
		want int
	}{
		{"stream.get batchSize 0", []any{"edge-1", map[string]any{"batchSize": 0}}, 0},
		{"category.get batchSize 0", []any{"edge", map[string]any{"batchSize": 0}}, 0},
		{"stream.get position -1", []any{"edge-1", map[string]any{"position": -1}}, 3},
		{"stream.get globalPosition -1", []any{"edge-1", map[string]any{"globalPosition": -1}}, 3},
		{"category.get position -1", []any{"edge", map[string]any{"position": -1}}, 3},
		{"category.get globalPosition -9", []any{"edge", map[string]any{"globalPosition": -9}}, 3},
		{"stream.get batchSize -1", []any{"edge-1", map[string]any{"batchSize": -1}}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			method := "stream.get"
			if tt.name[:8] == "category" {
				method = "category.get"
			}
			r := e.call(t, e.tenant, method, tt.args...)
			if r.status != 200 {
				t.Fatalf("%s: %d %s", method, r.status, r.body)
			}
			got, ok := decode(t, r.body).([]any)
			if !ok || len(got) != tt.want {
				t.Fatalf("%s = %s, want an array of %d", method, r.body, tt.want)
			}
		})
	}
}
