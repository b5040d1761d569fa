package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/cli/transfer"
	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/importer"
	"github.com/eventodb/eventodb/adapters/http/rpc"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/client"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// serve runs /rpc (consumer groups included) and /import over an in-memory
// store with namespace "tenant" and returns a client with its token.
func serve(t *testing.T) (*client.Client, *bunstore.Store) {
	t.Helper()
	url, token, store := serveURL(t)
	c, err := client.New(url+"/", client.WithToken(token))
	if err != nil {
		t.Fatal(err)
	}
	return c, store
}

func serveURL(t *testing.T) (url, token string, store *bunstore.Store) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(sqlite.Config{InMemory: true}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	limits := service.DefaultLimits()
	namespaces := service.NewNamespaces(store, store, system.Clock{})
	auth := service.NewAuth(store, namespaces, false)
	if _, err := namespaces.EnsureDefault(ctx, ""); err != nil {
		t.Fatal(err)
	}
	tenant, err := namespaces.Create(ctx, "tenant", "", "")
	if err != nil {
		t.Fatal(err)
	}
	categories := service.NewCategories(store, limits)
	methods, err := rpc.Methods(rpc.Deps{
		Streams: service.NewStreams(store, system.UUIDs{}, nil, limits), Categories: categories,
		Groups:     service.NewGroups(store, categories, store, system.Clock{}, system.UUIDs{}),
		Namespaces: namespaces, Tokens: auth, Health: store, Version: "0.1.0",
	})
	if err != nil {
		t.Fatal(err)
	}
	handler, err := rpc.NewHandler(rpc.DefaultConfig(), methods)
	if err != nil {
		t.Fatal(err)
	}
	mw, err := httpapi.NewAuthMiddleware(auth, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	imports, err := service.NewImports(store, system.UUIDs{}, nil, service.ImportConfig{BatchSize: 5})
	if err != nil {
		t.Fatal(err)
	}
	ih, err := importer.New(imports, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := server.DefaultConfig()
	cfg.Host, cfg.Port = "127.0.0.1", 0
	srv, err := server.New(cfg, []httpapi.Route{rpc.RPCRoute(handler, mw), importer.Route(ih, mw)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	return "http://" + srv.Addr(), tenant.Token, store
}

var start = time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)

// fill imports n messages spread over categories of very different sizes.
func fill(t *testing.T, s *bunstore.Store, n int) {
	t.Helper()
	var batch []stream.Message
	pos := map[string]int64{}
	for i := range n {
		cat := "big"
		switch {
		case i%10 == 3:
			cat = "small"
		case i%37 == 0:
			cat = "rare"
		}
		name := fmt.Sprintf("%s-%d", cat, i%4)
		batch = append(batch, stream.Message{ID: uuid.NewString(), Stream: name, Type: "T", Position: pos[name],
			GlobalPosition: int64(2*i + 1), Data: []byte(fmt.Sprintf(`{"i":%d}`, i)), Time: start.Add(time.Duration(i) * time.Minute)})
		pos[name]++
	}
	if err := s.Import(context.Background(), "tenant", batch); err != nil {
		t.Fatal(err)
	}
}

func gposOf(t *testing.T, src transfer.Source, q ports.ExportQuery) []int64 {
	t.Helper()
	var out []int64
	err := src.Export(context.Background(), q, func(msgs []stream.Message) error {
		for _, m := range msgs {
			out = append(out, m.GlobalPosition)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Reading category by category in small pages still yields the store's
// global order, filtered like a store export.
func TestRemoteSourceMergesCategories(t *testing.T) {
	t.Parallel()
	c, store := serve(t)
	fill(t, store, 500)
	local := transfer.StoreSource{Exporter: store, Namespace: "tenant"}
	since, until := start.Add(100*time.Minute), start.Add(300*time.Minute)
	tests := []struct {
		name string
		q    ports.ExportQuery
	}{
		{"everything", ports.ExportQuery{}},
		{"two categories", ports.ExportQuery{Categories: []string{"rare", "small", "rare"}}},
		{"missing category", ports.ExportQuery{Categories: []string{"none"}}},
		{"time range", ports.ExportQuery{Since: &since, Until: &until}},
		{"from a global position", ports.ExportQuery{FromGlobal: 601}},
	}
	for _, tt := range tests {
		want := gposOf(t, local, tt.q)
		for _, size := range []int{0, 1, 7} {
			got := gposOf(t, transfer.RemoteSource{Client: c, PageSize: size}, tt.q)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, page size %d: %d messages %v, want %d", tt.name, size, len(got), got, len(want))
			}
		}
	}
}

// Export writes what the store holds as records, and a RemoteSink brings
// them into another namespace unchanged.
func TestExportAndRemoteSink(t *testing.T) {
	t.Parallel()
	from, src := serve(t)
	to, dst := serve(t)
	fill(t, src, 60)
	var buf bytes.Buffer
	var progress []interchange.Progress
	n, err := transfer.Export(context.Background(), transfer.RemoteSource{Client: from}, ports.ExportQuery{}, &buf,
		func(p interchange.Progress) { progress = append(progress, p) })
	if err != nil || n != 60 || len(progress) == 0 || progress[len(progress)-1].Imported != 60 {
		t.Fatalf("export: %d, %v, progress %v", n, err, progress)
	}
	var seen []int64
	imported, err := transfer.RemoteSink{Client: to}.Import(context.Background(), bytes.NewReader(buf.Bytes()), func(p interchange.Progress) error {
		seen = append(seen, p.Imported)
		return nil
	})
	if err != nil || imported != 60 {
		t.Fatalf("import: %d, %v", imported, err)
	}
	if len(seen) != 12 || seen[11] != 60 {
		t.Fatalf("progress = %v, want 12 batches of 5", seen)
	}
	want := gposOf(t, transfer.StoreSource{Exporter: src, Namespace: "tenant"}, ports.ExportQuery{})
	if got := gposOf(t, transfer.StoreSource{Exporter: dst, Namespace: "tenant"}, ports.ExportQuery{}); !reflect.DeepEqual(got, want) {
		t.Fatalf("imported %v, want %v", got, want)
	}
	// Again: the first record is refused, with its line.
	_, err = transfer.RemoteSink{Client: to}.Import(context.Background(), bytes.NewReader(buf.Bytes()), nil)
	var f *interchange.Failure
	if !errors.As(err, &f) || httpapi.ImportError(f.Err).Code != "POSITION_EXISTS" || f.Line != 1 {
		t.Fatalf("second import: %v, want POSITION_EXISTS at line 1", err)
	}
}

// Server errors come back as *client.Error with the wire code.
func TestRemoteErrors(t *testing.T) {
	t.Parallel()
	url, _, _ := serveURL(t)
	bad, err := client.New(url, client.WithToken("ns_dGVuYW50_"+strings.Repeat("0", 64)))
	if err != nil {
		t.Fatal(err)
	}
	var remote *client.Error
	err = transfer.RemoteSource{Client: bad}.Export(context.Background(), ports.ExportQuery{}, func([]stream.Message) error { return nil })
	if !errors.As(err, &remote) || remote.Status != 401 || remote.Code != "AUTH_INVALID" {
		t.Fatalf("export with an unknown token: %v", err)
	}
	_, err = transfer.RemoteSink{Client: bad}.Import(context.Background(), strings.NewReader(strings.Repeat("{}\n", 100000)), nil)
	if !errors.As(err, &remote) || remote.Status != 401 || remote.Code != "AUTH_INVALID" {
		t.Fatalf("import with an unknown token: %v", err)
	}
}
