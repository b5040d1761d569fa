// Command importer is a program of another Go module that uses EventoDB as a
// library, as TestImporterModule builds it: the Go client writes, reads and
// subscribes against a running server (its URL is the only argument), and
// the domain services run over the in-memory store with no server at all.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/client"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: importer SERVER_URL")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := throughClient(ctx, os.Args[1]); err != nil {
		log.Fatal("client: ", err)
	}
	if err := inProcess(ctx); err != nil {
		log.Fatal("in process: ", err)
	}
}

// throughClient talks to a server in test mode, which needs no token.
func throughClient(ctx context.Context, url string) error {
	c, err := client.New(url)
	if err != nil {
		return err
	}
	defer c.CloseIdleConnections()
	sub, err := c.Subscribe(ctx, client.SubscribeOptions{Category: "account"})
	if err != nil {
		return err
	}
	defer sub.Close()
	res, err := c.Write(ctx, "account-1", client.MessageData{Type: "Opened", Data: json.RawMessage(`{"owner":"Ada"}`)},
		&client.WriteOptions{ExpectedVersion: client.ExpectVersion(client.NoStream)})
	if err != nil {
		return err
	}
	fmt.Println("client wrote at position", res.Position)
	msgs, err := c.Read(ctx, "account-1", nil)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		fmt.Println("client read", m.Position, m.Type, string(m.Data))
	}
	select {
	case poke, ok := <-sub.Pokes():
		if !ok {
			return fmt.Errorf("subscription ended: %w", sub.Err())
		}
		fmt.Println("client poked", poke.Stream, poke.Position)
	case <-ctx.Done():
		return errors.New("no poke")
	}
	return nil
}

// inProcess uses the domain services over the pure-Go memory store.
func inProcess(ctx context.Context) error {
	store := memory.New(memory.Options{})
	defer store.Close()
	namespaces := service.NewNamespaces(store, store, system.Clock{})
	streams := service.NewStreams(store, system.UUIDs{}, nil, service.DefaultLimits())
	if _, err := namespaces.Create(ctx, "embedded", "", ""); err != nil {
		return err
	}
	a := stream.Append{
		Stream:          "account-1",
		Messages:        []stream.Proposed{{Type: "Opened", Data: []byte(`{"owner":"Ada"}`)}},
		ExpectedVersion: stream.ExactVersion(stream.NoStream),
	}
	if _, err := streams.Write(ctx, "embedded", a); err != nil {
		return err
	}
	return streams.Get(ctx, "embedded", service.StreamRead{Stream: "account-1"}, func(page []stream.Message) error {
		for _, m := range page {
			fmt.Println("service read", m.Position, m.Type, string(m.Data))
		}
		return nil
	})
}
