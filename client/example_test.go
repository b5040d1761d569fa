package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/eventodb/eventodb/client"
)

// The examples talk to a server in test mode that TestMain starts; its URL
// is in exampleURL. A program uses its server's URL and token instead:
//
//	c, err := client.New("http://localhost:8080", client.WithToken(token))

func Example() {
	ctx := context.Background()
	c, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.Write(ctx, "account-1", client.MessageData{Type: "Opened", Data: json.RawMessage(`{"owner":"Ada"}`)}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("written at position", res.Position)
	msgs, err := c.Read(ctx, "account-1", nil)
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range msgs {
		fmt.Println(m.Position, m.Type, string(m.Data))
	}
	// Output:
	// written at position 0
	// 0 Opened {"owner":"Ada"}
}

// Optimistic concurrency: a write that expects a version fails with
// ErrVersionConflict when another writer got there first.
func ExampleClient_Write_expectedVersion() {
	ctx := context.Background()
	c, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	opened := client.MessageData{Type: "Opened", Data: json.RawMessage(`{}`)}
	mustNotExist := &client.WriteOptions{ExpectedVersion: client.ExpectVersion(client.NoStream)}
	if _, err := c.Write(ctx, "account-2", opened, mustNotExist); err != nil {
		log.Fatal(err)
	}
	_, err = c.Write(ctx, "account-2", opened, mustNotExist)
	if errors.Is(err, client.ErrVersionConflict) {
		expected, actual, _ := client.VersionConflict(err)
		fmt.Printf("conflict: expected version %d, the stream is at %d\n", expected, actual)
	}
	// Output:
	// conflict: expected version -1, the stream is at 0
}

func ExampleClient_WriteBatch() {
	ctx := context.Background()
	c, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	res, err := c.WriteBatch(ctx, "cart-1", []client.MessageData{
		{Type: "ItemAdded", Data: json.RawMessage(`{"sku":"a-1"}`)},
		{Type: "ItemAdded", Data: json.RawMessage(`{"sku":"b-2"}`)},
		{Type: "CheckedOut", Data: json.RawMessage(`{}`)},
	}, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d messages from position %d, each with an id: %v\n", res.Count, res.Position, len(res.IDs) == 3)
	// Output:
	// 3 messages from position 0, each with an id: true
}

func ExampleClient_ReadAll() {
	ctx := context.Background()
	c, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	for i := range 5 {
		if _, err := c.Write(ctx, "sensor-1", client.MessageData{Type: "Measured", Data: json.RawMessage(fmt.Sprintf(`{"celsius":%d}`, 20+i))}, nil); err != nil {
			log.Fatal(err)
		}
	}
	// Pages of two messages, until the end of the stream.
	for m, err := range c.ReadAll(ctx, "sensor-1", &client.ReadOptions{BatchSize: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Print(string(m.Data), " ")
	}
	fmt.Println()
	// Output:
	// {"celsius":20} {"celsius":21} {"celsius":22} {"celsius":23} {"celsius":24}
}

// Two members of a consumer group share a category: each stream goes to one
// of them.
func ExampleClient_ReadCategory() {
	ctx := context.Background()
	c, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	for _, stream := range []string{"invoice-123", "invoice-126", "invoice-123"} {
		if _, err := c.Write(ctx, stream, client.MessageData{Type: "Issued", Data: json.RawMessage(`{}`)}, nil); err != nil {
			log.Fatal(err)
		}
	}
	for member := range int64(2) {
		msgs, err := c.ReadCategory(ctx, "invoice", &client.CategoryOptions{ConsumerGroup: &client.ConsumerGroup{Member: member, Size: 2}})
		if err != nil {
			log.Fatal(err)
		}
		var streams []string
		for _, m := range msgs {
			streams = append(streams, fmt.Sprintf("%s@%d", m.Stream, m.Position))
		}
		fmt.Printf("member %d: %s\n", member, strings.Join(streams, " "))
	}
	// Output:
	// member 0: invoice-126@0
	// member 1: invoice-123@0 invoice-123@1
}

// A subscription pokes every message from its position on, the backlog
// first, then live ones; the poke says where to read.
func ExampleClient_Subscribe() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Write(ctx, "ticket-1", client.MessageData{Type: "Opened", Data: json.RawMessage(`{}`)}, nil); err != nil {
		log.Fatal(err)
	}
	sub, err := c.Subscribe(ctx, client.SubscribeOptions{Category: "ticket"})
	if err != nil {
		log.Fatal(err)
	}
	defer sub.Close()
	if _, err := c.Write(ctx, "ticket-2", client.MessageData{Type: "Opened", Data: json.RawMessage(`{}`)}, nil); err != nil {
		log.Fatal(err)
	}
	for range 2 {
		poke := <-sub.Pokes()
		msgs, err := c.Read(ctx, poke.Stream, &client.ReadOptions{Position: poke.Position, BatchSize: 1})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(poke.Stream, msgs[0].Type)
	}
	// Output:
	// ticket-1 Opened
	// ticket-2 Opened
}

// The admin token creates namespaces; each has its own token and data.
func ExampleClient_CreateNamespace() {
	ctx := context.Background()
	admin, err := client.New(exampleURL) // with client.WithToken(adminToken) on a real server
	if err != nil {
		log.Fatal(err)
	}
	created, err := admin.CreateNamespace(ctx, "tenant-a", &client.NamespaceOptions{Description: "Tenant A"})
	if err != nil {
		log.Fatal(err)
	}
	tenant := admin.ForToken(created.Token) // shares the admin client's connections
	if _, err := tenant.Write(ctx, "order-1", client.MessageData{Type: "Placed", Data: json.RawMessage(`{}`)}, nil); err != nil {
		log.Fatal(err)
	}
	info, err := tenant.NamespaceInfo(ctx, "tenant-a")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Namespace, info.Description, info.MessageCount, "message")
	_, err = admin.CreateNamespace(ctx, "tenant-a", nil)
	fmt.Println(errors.Is(err, client.ErrNamespaceExists))
	// Output:
	// tenant-a Tenant A 1 message
	// true
}

// A backup: export a namespace as NDJSON, import it into another one.
func ExampleClient_ExportTo() {
	ctx := context.Background()
	admin, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	var tenants []*client.Client
	for _, id := range []string{"backup-from", "backup-to"} {
		created, err := admin.CreateNamespace(ctx, id, nil)
		if err != nil {
			log.Fatal(err)
		}
		tenants = append(tenants, admin.ForToken(created.Token))
	}
	from, to := tenants[0], tenants[1]
	for _, stream := range []string{"user-1", "user-2", "role-1"} {
		if _, err := from.Write(ctx, stream, client.MessageData{Type: "Created", Data: json.RawMessage(`{}`)}, nil); err != nil {
			log.Fatal(err)
		}
	}
	var backup strings.Builder
	n, err := from.ExportTo(ctx, nil, &backup)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("exported", n)
	res, err := to.Import(ctx, strings.NewReader(backup.String()), nil, func(p client.ImportProgress) {
		fmt.Println("progress:", p.Imported)
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("imported", res.Imported)
	// Output:
	// exported 3
	// progress: 3
	// imported 3
}

// A durable consumer group keeps each member's checkpoint on the server: a
// worker leases a member, fetches what follows its checkpoint and acks what
// it handled, so the next fetch (by it, or by whoever holds the member
// next) goes on from there.
func ExampleClient_FetchGroup() {
	ctx := context.Background()
	c, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	for _, stream := range []string{"parcel-1", "parcel-2", "parcel-1"} {
		if _, err := c.Write(ctx, stream, client.MessageData{Type: "Scanned", Data: json.RawMessage(`{}`)}, nil); err != nil {
			log.Fatal(err)
		}
	}
	// Idempotent: safe at every start of a worker.
	if _, err := c.CreateGroup(ctx, "tracking", client.GroupDefinition{Category: "parcel"}); err != nil {
		log.Fatal(err)
	}
	lease, err := c.JoinGroup(ctx, "tracking", &client.JoinOptions{TTL: 10 * time.Second})
	if err != nil {
		log.Fatal(err)
	}
	msgs, err := c.FetchGroup(ctx, "tracking", client.GroupFetchOptions{Lease: lease.Lease, BatchSize: 2})
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range msgs {
		fmt.Println("handled", m.Stream, m.Position)
	}
	last := msgs[len(msgs)-1].GlobalPosition
	if _, err := c.AckGroup(ctx, "tracking", client.GroupAckOptions{Lease: lease.Lease, GlobalPosition: last}); err != nil {
		log.Fatal(err)
	}
	info, err := c.GroupInfo(ctx, "tracking")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("member", lease.Member, "lag", info.Members[0].Lag)
	_, err = c.JoinGroup(ctx, "tracking", nil)
	fmt.Println("second worker:", errors.Is(err, client.ErrGroupFull))
	// Output:
	// handled parcel-1 0
	// handled parcel-2 0
	// member 0 lag 1
	// second worker: true
}

// Consume runs a worker: it leases a member, hands its messages to the
// handler in order, acks them, waits for new ones, and stops when its
// context ends (here after three messages).
func ExampleClient_Consume() {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c, err := client.New(exampleURL)
	if err != nil {
		log.Fatal(err)
	}
	for _, stream := range []string{"shipment-1", "shipment-2", "shipment-1"} {
		if _, err := c.Write(ctx, stream, client.MessageData{Type: "Packed", Data: json.RawMessage(`{}`)}, nil); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := c.CreateGroup(ctx, "dispatch", client.GroupDefinition{Category: "shipment"}); err != nil {
		log.Fatal(err)
	}
	handled := 0
	err = c.Consume(ctx, "dispatch", func(ctx context.Context, m client.Message) error {
		fmt.Println(m.Stream, m.Position, m.Type)
		if handled++; handled == 3 {
			cancel()
		}
		return nil
	}, nil)
	fmt.Println("stopped:", errors.Is(err, context.Canceled))
	info, err := c.GroupInfo(context.Background(), "dispatch")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("lag", info.Lag)
	// Output:
	// shipment-1 0 Packed
	// shipment-2 0 Packed
	// shipment-1 1 Packed
	// stopped: true
	// lag 0
}
