package importer_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/importer"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/storage/bunstore"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// env is a server with POST /import over an in-memory SQLite store, and the
// token of namespace "tenant".
type env struct {
	store  *bunstore.Store
	url    string
	addr   string // host:port of the server
	tenant string
	pokes  *countingNotifier
}

func newEnv(t *testing.T, cfg service.ImportConfig) *env {
	t.Helper()
	return newEnvWith(t, cfg, importer.Options{}, server.DefaultConfig())
}

// newEnvWith is newEnv with handler options and a server configuration.
func newEnvWith(t *testing.T, cfg service.ImportConfig, opts importer.Options, srvCfg server.Config) *env {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(sqlite.Config{InMemory: true}, zap.NewNop())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close() })
	namespaces := service.NewNamespaces(store, store, system.Clock{})
	auth := service.NewAuth(store, namespaces, false)
	if _, err := namespaces.EnsureDefault(ctx, ""); err != nil {
		t.Fatal(err)
	}
	tenant, err := namespaces.Create(ctx, "tenant", "", "")
	if err != nil {
		t.Fatal(err)
	}
	mw, err := httpapi.NewAuthMiddleware(auth, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	pokes := &countingNotifier{}
	imports, err := service.NewImports(store, system.UUIDs{}, pokes, cfg)
	if err != nil {
		t.Fatal(err)
	}
	h, err := importer.New(imports, opts)
	if err != nil {
		t.Fatal(err)
	}
	srvCfg.Host, srvCfg.Port = "127.0.0.1", 0
	srv, err := server.New(srvCfg, []httpapi.Route{importer.Route(h, mw)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	return &env{store: store, url: "http://" + srv.Addr() + "/import", addr: srv.Addr(), tenant: tenant.Token, pokes: pokes}
}

// post sends body with token ("" for none) and returns the response.
func (e *env) post(t *testing.T, token string, body io.Reader) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url, body)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

// events posts body and returns the data of every event of the answer.
func (e *env) events(t *testing.T, body string) []map[string]any {
	t.Helper()
	resp := e.post(t, e.tenant, strings.NewReader(body))
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("status %d, content type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	var out []map[string]any
	r := bufio.NewReader(resp.Body)
	for {
		ev, err := readEvent(r)
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ev)
	}
}

// readEvent reads one "data: {...}" event and the blank line after it.
func readEvent(r *bufio.Reader) (map[string]any, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	data, ok := strings.CutPrefix(line, "data: ")
	if !ok {
		return nil, fmt.Errorf("event line %q is not data", line)
	}
	if blank, err := r.ReadString('\n'); err != nil || blank != "\n" {
		return nil, fmt.Errorf("event not ended by a blank line: %q, %v", blank, err)
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(data), &ev); err != nil {
		return nil, fmt.Errorf("event %q: %w", data, err)
	}
	return ev, nil
}

// all reads every message of namespace "tenant" in global order.
func (e *env) all(t *testing.T) []stream.Message {
	t.Helper()
	var out []stream.Message
	err := e.store.Export(context.Background(), "tenant", ports.ExportQuery{}, func(msgs []stream.Message) error {
		out = append(out, msgs...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// record is one NDJSON line for message gpos of streamName at pos.
func record(streamName string, pos, gpos int64) string {
	return fmt.Sprintf(`{"id":"%s","stream":%q,"type":"Imported","pos":%d,"gpos":%d,"data":{"n":%d},"meta":null,"time":"2026-01-15T10:30:00.123456Z"}`,
		uuidFor(gpos), streamName, pos, gpos, gpos)
}

func uuidFor(gpos int64) string { return fmt.Sprintf("00000000-0000-4000-8000-%012d", gpos) }

func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// countingNotifier records what is published.
type countingNotifier struct {
	mu        sync.Mutex
	published []int64
}

func (n *countingNotifier) Publish(_ context.Context, _ string, g int64) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.published = append(n.published, g)
	return nil
}

func (n *countingNotifier) Subscribe(string) (<-chan struct{}, func()) { return nil, func() {} }

func (n *countingNotifier) list() []int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]int64(nil), n.published...)
}

var _ ports.Notifier = (*countingNotifier)(nil)

var testTime = time.Date(2026, 1, 15, 10, 30, 0, 123456000, time.UTC)

// canon is v as JSON with sorted keys.
func canon(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// eventReader reads the events of a response as they arrive.
type eventReader struct{ r *bufio.Reader }

func newEventReader(r io.Reader) *eventReader { return &eventReader{r: bufio.NewReader(r)} }

func (er *eventReader) next(t *testing.T) map[string]any {
	t.Helper()
	ev, err := readEvent(er.r)
	if err != nil {
		t.Fatalf("read event: %v", err)
	}
	return ev
}
