package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// testReadShape is the contract of byte-bounded and positions-only reads.
func testReadShape(t *testing.T, e *env) {
	ctx := context.Background()
	ns := e.namespace(t)
	// Ten messages of exactly 100 payload bytes: data 90 + metadata 10.
	for i := 0; i < 10; i++ {
		data := fmt.Sprintf(`{"pad":"%s"}`, strings.Repeat("x", 80))
		m := stream.Proposed{ID: msg("T", nil).ID, Type: "T", Data: []byte(data), Metadata: []byte(`{"m":"12"}`)}
		if len(m.Data)+len(m.Metadata) != 100 {
			t.Fatalf("test message has %d payload bytes, want 100", len(m.Data)+len(m.Metadata))
		}
		appendOne(t, e.store, ns, "shape-1", m)
	}
	all, _ := e.store.(ports.AllReader)
	reads := map[string]func(sh ports.ReadShape) ([]stream.Message, error){
		"stream": func(sh ports.ReadShape) ([]stream.Message, error) {
			return e.store.ReadStream(ctx, ns, ports.StreamQuery{Stream: "shape-1", Limit: 100, ReadShape: sh})
		},
		"category": func(sh ports.ReadShape) ([]stream.Message, error) {
			return e.store.ReadCategory(ctx, ns, ports.CategoryQuery{Category: "shape", Limit: 100, ReadShape: sh})
		},
	}
	if all != nil {
		reads["all"] = func(sh ports.ReadShape) ([]stream.Message, error) {
			return all.ReadAll(ctx, ns, ports.AllQuery{Limit: 100, ReadShape: sh})
		}
	}
	for name, read := range reads {
		t.Run(name, func(t *testing.T) {
			tests := []struct {
				maxBytes, want int
			}{
				{0, 10},    // no bound
				{250, 3},   // the third message brings it to 300 >= 250
				{300, 3},   // exactly reached after the third
				{301, 4},   // one byte more needs a fourth
				{1, 1},     // at least one message
				{5000, 10}, // a bound above everything
			}
			for _, tt := range tests {
				got, err := read(ports.ReadShape{MaxBytes: tt.maxBytes})
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != tt.want {
					t.Errorf("MaxBytes %d read %d messages, want %d", tt.maxBytes, len(got), tt.want)
				}
				for i, m := range got {
					if m.Position != int64(i) || len(m.Data) != 90 || len(m.Metadata) != 10 {
						t.Fatalf("MaxBytes %d: message %d = position %d, %d data bytes, %d metadata bytes", tt.maxBytes, i, m.Position, len(m.Data), len(m.Metadata))
					}
				}
			}
			got, err := read(ports.ReadShape{PositionsOnly: true, MaxBytes: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 10 {
				t.Fatalf("positions-only read %d messages, want all 10 (they have no payload to count)", len(got))
			}
			for i, m := range got {
				if len(m.Data) != 0 || len(m.Metadata) != 0 {
					t.Fatalf("positions-only message %d carries %d data and %d metadata bytes", i, len(m.Data), len(m.Metadata))
				}
				if m.Position != int64(i) || m.GlobalPosition == 0 || m.Stream != "shape-1" || m.ID == "" || m.Type != "T" {
					t.Fatalf("positions-only message %d lost its identity: %+v", i, m)
				}
			}
		})
	}
}
