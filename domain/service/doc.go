// Package service holds EventoDB's use cases — writing and reading streams and
// categories, managing namespaces, authenticating tokens, following
// subscriptions, importing exports (Imports, over the records of package
// interchange) — on top of the port interfaces only. It validates input and
// returns typed domain errors; it never logs and never knows about HTTP or
// SQL.
//
// # Embedding
//
// A Go program can run the services in process, without a server: give them
// implementations of the ports (package ports). The pure-Go memory store
// (adapters/storage/memory) implements every storage port and builds without
// cgo; adapters/system supplies the wall clock and random UUIDs;
// adapters/notify/local wakes in-process subscribers after each write (or
// pass a nil notifier).
//
//	store := memory.New(memory.Options{})
//	defer store.Close()
//	namespaces := service.NewNamespaces(store, store, system.Clock{})
//	streams := service.NewStreams(store, system.UUIDs{}, nil, service.DefaultLimits())
//	categories := service.NewCategories(store, service.DefaultLimits())
//	_, err := namespaces.Create(ctx, "bank", "", "")
//	res, err := streams.Write(ctx, "bank", stream.Append{
//		Stream:          "account-7",
//		Messages:        []stream.Proposed{{Type: "Opened", Data: []byte(`{}`)}},
//		ExpectedVersion: stream.ExactVersion(stream.NoStream),
//	})
//	err = streams.Get(ctx, "bank", service.StreamRead{Stream: "account-7"},
//		func(page []stream.Message) error { … })
//
// Every call names its namespace (create it first) and takes a context. The
// services are safe for concurrent use when their ports are, as the
// repository's stores are. Errors are the domain's typed errors
// (*stream.ValidationError, *stream.VersionConflictError, …) or the store's;
// reads hand messages to a callback page by page, so their memory is bounded
// by Limits whatever a stream holds. The SQLite and PostgreSQL stores
// (adapters/storage/sqlite, adapters/storage/postgres) serve the same ports
// when the data must outlive the process. The package's examples run over the
// memory store.
package service
