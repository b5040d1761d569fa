package service_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/eventodb/eventodb/adapters/notify/local"
	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// Embedding the services in a program: a pure-Go memory store (no server,
// no database, no cgo) serves every port they need; the system adapter gives
// them the wall clock and random UUIDs.
func Example() {
	ctx := context.Background()
	store := memory.New(memory.Options{})
	defer store.Close()
	namespaces := service.NewNamespaces(store, store, system.Clock{})
	streams := service.NewStreams(store, system.UUIDs{}, nil, service.DefaultLimits())

	if _, err := namespaces.Create(ctx, "bank", "an embedded tenant", ""); err != nil {
		log.Fatal(err)
	}
	opened := stream.Append{
		Stream:          "account-7",
		Messages:        []stream.Proposed{{Type: "Opened", Data: []byte(`{"owner":"Ada"}`)}},
		ExpectedVersion: stream.ExactVersion(stream.NoStream), // only if the stream is new
	}
	res, err := streams.Write(ctx, "bank", opened)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("written at position", res.Position, "global position", res.GlobalPosition)

	// A second writer expecting a new stream loses: typed errors say why.
	_, err = streams.Write(ctx, "bank", opened)
	var conflict *stream.VersionConflictError
	if errors.As(err, &conflict) {
		fmt.Println("conflict: the stream is at version", conflict.Actual)
	}

	err = streams.Get(ctx, "bank", service.StreamRead{Stream: "account-7"}, func(page []stream.Message) error {
		for _, m := range page {
			fmt.Println(m.Position, m.Type, string(m.Data))
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	// Output:
	// written at position 0 global position 1
	// conflict: the stream is at version 0
	// 0 Opened {"owner":"Ada"}
}

// Two members of a consumer group split a category: each stream belongs to
// exactly one of them (the Message DB hash of its cardinal id).
func ExampleCategories_Get() {
	ctx := context.Background()
	store := memory.New(memory.Options{})
	defer store.Close()
	namespaces := service.NewNamespaces(store, store, system.Clock{})
	streams := service.NewStreams(store, system.UUIDs{}, nil, service.DefaultLimits())
	categories := service.NewCategories(store, service.DefaultLimits())
	if _, err := namespaces.Create(ctx, "shop", "", ""); err != nil {
		log.Fatal(err)
	}
	for _, s := range []string{"invoice-123", "invoice-126", "invoice-123"} {
		a := stream.Append{Stream: s, Messages: []stream.Proposed{{Type: "Issued", Data: []byte(`{}`)}}}
		if _, err := streams.Write(ctx, "shop", a); err != nil {
			log.Fatal(err)
		}
	}
	for member := range int64(2) {
		fmt.Printf("member %d:", member)
		read := service.CategoryRead{Category: "invoice", Group: &partition.Group{Member: member, Size: 2}}
		err := categories.Get(ctx, "shop", read, func(page []stream.Message) error {
			for _, m := range page {
				fmt.Printf(" %s@%d", m.Stream, m.Position)
			}
			return nil
		})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println()
	}
	// Output:
	// member 0: invoice-126@0
	// member 1: invoice-123@0 invoice-123@1
}

// A subscriber in the same process: the local notifier wakes it after each
// write (signals carry nothing and coalesce), and it reads the category from
// the global position after the last message it handled.
func ExampleStreams_Write_subscriber() {
	ctx := context.Background()
	store := memory.New(memory.Options{})
	defer store.Close()
	notifier := local.New()
	namespaces := service.NewNamespaces(store, store, system.Clock{})
	streams := service.NewStreams(store, system.UUIDs{}, notifier, service.DefaultLimits())
	categories := service.NewCategories(store, service.DefaultLimits())
	if _, err := namespaces.Create(ctx, "shop", "", ""); err != nil {
		log.Fatal(err)
	}

	woken, unsubscribe := notifier.Subscribe("shop")
	defer unsubscribe()
	next := int64(1) // the first global position not handled yet
	for _, item := range []string{`{"sku":"a-1"}`, `{"sku":"b-2"}`} {
		a := stream.Append{Stream: "cart-9", Messages: []stream.Proposed{{Type: "ItemAdded", Data: []byte(item)}}}
		if _, err := streams.Write(ctx, "shop", a); err != nil {
			log.Fatal(err)
		}
		<-woken
		err := categories.Get(ctx, "shop", service.CategoryRead{Category: "cart", GlobalPosition: next}, func(page []stream.Message) error {
			for _, m := range page {
				fmt.Println("handled", m.GlobalPosition, m.Type, string(m.Data))
				next = m.GlobalPosition + 1
			}
			return nil
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// handled 1 ItemAdded {"sku":"a-1"}
	// handled 2 ItemAdded {"sku":"b-2"}
}
