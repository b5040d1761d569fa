package messagedb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/eventodb/eventodb/adapters/cli/messagedb"
	"github.com/eventodb/eventodb/adapters/cli/messagedb/mdbtest"
	"github.com/eventodb/eventodb/adapters/cli/transfer"
	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// source is a Message DB-shaped database filled with n generated messages.
func source(t *testing.T, n int) *pgx.Conn {
	t.Helper()
	conn := mdbtest.Connect(t, mdbtest.Database(t, osTestURL()))
	mdbtest.Install(t, conn, messagedb.DefaultSchema)
	mdbtest.Fill(t, conn, messagedb.DefaultSchema, n)
	return conn
}

// osTestURL is the PostgreSQL server the tests create databases on.
func osTestURL() string { return os.Getenv("EVENTODB_TEST_PG_URL") }

// target is an in-memory store with namespace "shop" and a sink into it
// that commits batch records a time.
func target(t *testing.T, batch int) (*memory.Store, transfer.StoreSink) {
	t.Helper()
	store := memory.New(memory.Options{})
	if err := store.Create(context.Background(), namespace.Record{ID: "shop", TokenHash: "x", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	imports, err := service.NewImports(store, system.UUIDs{}, nil, service.ImportConfig{BatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	return store, transfer.StoreSink{Imports: imports, Namespace: "shop"}
}

func stored(t *testing.T, s *memory.Store) []stream.Message {
	t.Helper()
	var out []stream.Message
	err := s.Export(context.Background(), "shop", ports.ExportQuery{}, func(page []stream.Message) error {
		out = append(out, page...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func options(q messagedb.Query) messagedb.ImportOptions {
	return messagedb.ImportOptions{Query: q, FetchSize: 300, Checker: messagedb.Checker{IDs: system.UUIDs{}}}
}

// sameMessages compares every field; data and metadata as JSON values.
func sameMessages(t *testing.T, got []stream.Message, want []messagedb.Row) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d messages, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Position != w.Position ||
			g.GlobalPosition != w.GlobalPosition || !g.Time.Equal(w.Time) ||
			!sameJSON(g.Data, w.Data) || !sameJSON(g.Metadata, w.Metadata) {
			t.Fatalf("message %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

// sameJSON compares JSON values; nil is SQL NULL and equals only nil.
func sameJSON(a, b []byte) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return reflect.DeepEqual(decode(a), decode(b))
}

func decode(raw []byte) any {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err.Error()
	}
	return v
}

// stopAfter is a sink that stops (as an interrupted run does) once its
// inner sink has stored batches batches.
type stopAfter struct {
	inner   messagedb.Sink
	batches int
}

var errInterrupted = context.Canceled

func (s stopAfter) Import(ctx context.Context, r io.Reader, progress func(interchange.Progress) error) (int64, error) {
	n := 0
	return s.inner.Import(ctx, r, func(p interchange.Progress) error {
		if err := progress(p); err != nil {
			return err
		}
		if n++; n == s.batches {
			return errInterrupted
		}
		return nil
	})
}
