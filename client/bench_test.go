package client_test

import (
	"context"
	"testing"

	"github.com/eventodb/eventodb/client"
)

// The client's own cost per call shows in allocs/op and in the time beyond
// the server's; compare with a raw net/http loop when changing the hot path.
func BenchmarkCalls(b *testing.B) {
	ctx := context.Background()
	c, err := client.New(testModeServer.url, client.WithAutoIDs(false))
	if err != nil {
		b.Fatal(err)
	}
	stream := "bench-" + randomHex(4)
	batch := make([]client.MessageData, 100)
	for i := range batch {
		batch[i] = msg("T", `{"a":1}`)
	}
	if _, err := c.WriteBatch(ctx, stream, batch, nil); err != nil {
		b.Fatal(err)
	}
	benchmarks := []struct {
		name string
		call func() error
	}{
		{"Write", func() error { _, err := c.Write(ctx, stream, msg("T", `{"a":1}`), nil); return err }},
		{"CallDiscard", func() error { return c.Call(ctx, nil, "stream.get", stream, map[string]int{"batchSize": 100}) }},
		{"Read100", func() error { _, err := c.Read(ctx, stream, &client.ReadOptions{BatchSize: 100}); return err }},
	}
	for _, bm := range benchmarks {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bm.call(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
