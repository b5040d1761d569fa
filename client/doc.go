// Package client is the Go client of EventoDB: typed calls for the whole
// wire protocol (docs/PROTOCOL.md) — streams, categories, namespaces,
// durable consumer groups, the system methods, subscriptions, import and
// export — over one reused keep-alive HTTP client. It depends on the
// standard library only, so it builds anywhere Go does, without cgo.
//
// # Use
//
// Make one Client per server and token and share it; it is safe for
// concurrent use. Every call takes a context; options structs may be nil.
//
//	c, err := client.New("http://localhost:8080", client.WithToken(token))
//	if err != nil { … }
//	res, err := c.Write(ctx, "account-123", client.MessageData{
//		Type: "Deposited",
//		Data: json.RawMessage(`{"amount":10}`),
//	}, &client.WriteOptions{ExpectedVersion: client.ExpectVersion(client.NoStream)})
//	switch {
//	case errors.Is(err, client.ErrVersionConflict):
//		expected, actual, _ := client.VersionConflict(err)
//		…
//	case err != nil: …
//	}
//	msgs, err := c.Read(ctx, "account-123", nil)
//
// Subscribe follows a stream, a category or a whole namespace with pokes
// that say where new messages are; it reconnects by itself:
//
//	sub, err := c.Subscribe(ctx, client.SubscribeOptions{Category: "account"})
//	for poke := range sub.Pokes() {
//		msgs, err := c.ReadCategory(ctx, "account", &client.CategoryOptions{GlobalPosition: poke.GlobalPosition, BatchSize: 1})
//		…
//	}
//	err = sub.Err() // why it ended
//
// # Embedding in a program
//
// Create the client once at start-up and hand it to the parts of the
// program that read or write; it needs no closing (CloseIdleConnections
// releases idle connections at shutdown). A subscription owns a goroutine
// and a connection: Close it, or end its context, when done. Point tests at
// a server in test mode (`eventodb serve --test-mode`), which keeps
// everything in memory and needs no token; only the URL differs from
// production. The package's examples run that way.
//
// # Errors and retries
//
// An answer of the server other than success is an *Error carrying its HTTP
// status, wire code, message and details; errors.Is matches it with the Err…
// value of its code. Failures without an answer (a refused or dropped
// connection, a canceled context) are ordinary errors.
//
// Calls are retried only when that is safe (see RetryPolicy): reads after
// network failures and 502/503/504 answers, and writes whose messages all
// carry ids. Write and WriteBatch give a time-ordered (version 7) UUID to
// every message without one (see WithAutoIDs), so by default writes are safe
// to retry too:
// the server answers a repeated id with the original positions and stores
// nothing twice. Group calls are retried when a repeat changes nothing
// more: creations of the same definition, fetches, acks (a checkpoint only
// moves forward) and resets; joins and deletions are not.
//
// # Consumer groups
//
// ConsumerGroup splits a category among the members of a group of readers
// (ReadCategory, Subscribe) that keep their own positions. A durable
// consumer group (PROTOCOL.md §8) is kept by the server instead: each member
// has a checkpoint that FetchGroup reads after and AckGroup moves forward,
// and JoinGroup leases a free member, so workers need no fixed numbers:
//
//	_, err := c.CreateGroup(ctx, "billing", client.GroupDefinition{Category: "account", Size: 2}) // idempotent
//	lease, err := c.JoinGroup(ctx, "billing", nil) // ErrGroupFull when every member is held
//	msgs, err := c.FetchGroup(ctx, "billing", client.GroupFetchOptions{Lease: lease.Lease})
//	… handle msgs …
//	_, err = c.AckGroup(ctx, "billing", client.GroupAckOptions{Lease: lease.Lease, GlobalPosition: msgs[len(msgs)-1].GlobalPosition})
//
// Consume runs that loop: join, fetch, handle, ack, wait for a poke
// (Subscribe with Group) when caught up, join again after ErrLeaseExpired.
package client
