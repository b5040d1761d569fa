package memory_test

import (
	"context"
	"fmt"
	"log"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// The domain services over a memory store, in-process: no server, no
// database, no cgo.
func Example() {
	ctx := context.Background()
	store := memory.New(memory.Options{})
	defer store.Close()

	namespaces := service.NewNamespaces(store, store, system.Clock{})
	streams := service.NewStreams(store, system.UUIDs{}, nil, service.DefaultLimits())

	if _, err := namespaces.Create(ctx, "shop", "an example tenant", ""); err != nil {
		log.Fatal(err)
	}
	for version, data := range []string{`{"amount":10}`, `{"amount":5}`} {
		_, err := streams.Write(ctx, "shop", stream.Append{
			Stream:   "account-42",
			Messages: []stream.Proposed{{Type: "Deposited", Data: []byte(data)}},
			// -1: the stream must be new; then 0: nobody wrote in between.
			ExpectedVersion: stream.ExactVersion(int64(version) - 1),
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	err := streams.Get(ctx, "shop", service.StreamRead{Stream: "account-42"}, func(page []stream.Message) error {
		for _, m := range page {
			fmt.Println(m.Position, m.GlobalPosition, m.Type, string(m.Data))
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// 0 1 Deposited {"amount":10}
	// 1 2 Deposited {"amount":5}
}
