package sse_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/adapters/http/sse"
	"github.com/eventodb/eventodb/adapters/notify/local"
	"github.com/eventodb/eventodb/adapters/storage/sqlite"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// wait bounds every wait of these tests: a missing poke fails, it never hangs.
const wait = 10 * time.Second

type envOptions struct {
	cfg       *sse.Config   // nil: sse.DefaultConfig()
	heartbeat time.Duration // 0: the default
	pageSize  int           // of catch-up reads; 0: the default
	testMode  bool
	groups    bool // serve group=NAME subscriptions (the store must be a ports.GroupStore)
	// storage and notifier replace the in-memory SQLite store and the local
	// notifier (the store must implement ports.AllReader).
	storage  storage
	notifier ports.Notifier
	// peer, when set, shares its namespace and tokens: another node on the
	// same database.
	peer *env
}

type storage interface {
	ports.Storage
	ports.AllReader
}

// env is a running server with GET /subscribe over the in-memory SQLite
// store, the local notifier and the domain services, and one namespace.
type env struct {
	url        string
	srv        *server.Server
	streams    *service.Streams
	namespaces *service.Namespaces
	groups     *service.Groups // nil unless envOptions.groups
	notifier   *local.Notifier // nil when another notifier is used
	gauge      *gauge
	ns         string // the namespace of token
	token      string
	admin      string // the default namespace's token
}

func newEnv(t *testing.T, opts envOptions) *env {
	t.Helper()
	ctx := context.Background()
	store := opts.storage
	if store == nil {
		s, err := sqlite.Open(sqlite.Config{InMemory: true}, zap.NewNop())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		store = s
	}
	var localNotifier *local.Notifier
	notifier := opts.notifier
	if notifier == nil {
		localNotifier = local.New()
		notifier = localNotifier
	}
	if feed, ok := notifier.(ports.CommitFeed); ok {
		if p, ok := store.(ports.CommitPublisher); ok {
			p.PublishCommits(feed)
		}
	}
	limits := service.DefaultLimits()
	streams := service.NewStreams(store, system.UUIDs{}, notifier, limits)
	categories := service.NewCategories(store, limits)
	namespaces := service.NewNamespaces(store, store, system.Clock{})
	auth := service.NewAuth(store, namespaces, opts.testMode)
	var ns, token, admin string
	if opts.peer != nil {
		ns, token, admin = opts.peer.ns, opts.peer.token, opts.peer.admin
	} else {
		var err error
		if admin, err = namespaces.EnsureDefault(ctx, ""); err != nil {
			t.Fatal(err)
		}
		ns = "t" + randomHex(6)
		created, err := namespaces.Create(ctx, ns, "", "")
		if err != nil {
			t.Fatal(err)
		}
		token = created.Token
	}
	auth.SetDefaultToken(admin)

	cfg := sse.DefaultConfig()
	if opts.cfg != nil {
		cfg = *opts.cfg
	}
	g := &gauge{}
	recent, _ := notifier.(ports.RecentCommits)
	subs := service.NewSubscriptions(streams, categories, store, notifier, recent,
		service.SubscriptionOptions{Heartbeat: opts.heartbeat, PageSize: opts.pageSize})
	deps := sse.Deps{Subscriptions: subs, Gauge: g, Logger: zap.NewNop()}
	var groups *service.Groups
	if opts.groups {
		groups = service.NewGroups(store.(ports.GroupStore), categories, store, system.Clock{}, system.UUIDs{})
		deps.Groups = groups
	}
	h, err := sse.NewHandler(cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	mw, err := httpapi.NewAuthMiddleware(auth, nil, opts.testMode)
	if err != nil {
		t.Fatal(err)
	}
	scfg := server.DefaultConfig()
	scfg.Host, scfg.Port = "127.0.0.1", 0
	// Far shorter than the tests: subscriptions must not be cut by it.
	scfg.WriteTimeout, scfg.ReadTimeout = 200*time.Millisecond, 200*time.Millisecond
	scfg.ShutdownTimeout = wait
	srv, err := server.New(scfg, []httpapi.Route{sse.Route(h, mw)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	return &env{
		url: "http://" + srv.Addr(), srv: srv, streams: streams, namespaces: namespaces, groups: groups, notifier: localNotifier,
		gauge: g, ns: ns, token: token, admin: admin,
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// gauge counts like the Prometheus gauge the server uses.
type gauge struct{ n atomic.Int64 }

func (g *gauge) Inc() { g.n.Add(1) }
func (g *gauge) Dec() { g.n.Add(-1) }

// write appends count messages to streamName in ns and returns the first
// message's position and global position.
func (e *env) write(t *testing.T, ns, streamName string, count int) stream.Appended {
	t.Helper()
	res, err := e.tryWrite(ns, streamName, count)
	if err != nil {
		t.Fatalf("write %d to %s: %v", count, streamName, err)
	}
	return res
}

// tryWrite is write for goroutines other than the test's.
func (e *env) tryWrite(ns, streamName string, count int) (stream.Appended, error) {
	msgs := make([]stream.Proposed, count)
	for i := range msgs {
		msgs[i] = stream.Proposed{Type: "Happened", Data: []byte(`{}`)}
	}
	return e.streams.Write(context.Background(), ns, stream.Append{Stream: streamName, Messages: msgs})
}

// get sends GET /subscribe?query with header and returns the response, whose
// body the test must close (t.Cleanup does).
func (e *env) get(t *testing.T, query string, header http.Header) (*http.Response, context.CancelFunc) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/subscribe?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatalf("GET /subscribe?%s: %v", query, err)
	}
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
	})
	return resp, cancel
}

// subscribe opens a subscription with the env's token and requires the SSE
// headers and the ": ready" comment.
func (e *env) subscribe(t *testing.T, query string, header http.Header) *client {
	t.Helper()
	sep := "&"
	if query == "" {
		sep = ""
	}
	resp, cancel := e.get(t, query+sep+"token="+e.token, header)
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET /subscribe?%s = %d %s", query, resp.StatusCode, b)
	}
	for k, want := range map[string]string{"Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no"} {
		if got := resp.Header.Get(k); got != want {
			t.Fatalf("%s = %q, want %q", k, got, want)
		}
	}
	c := newClient(resp.Request.Context(), resp, cancel)
	if f := c.next(t); f.comment != "ready" {
		t.Fatalf("first frame = %+v, want the comment ': ready'", f)
	}
	return c
}

// eventually polls cond until it holds, failing after wait.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, wait)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// wireError is the JSON error envelope.
type wireError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// wantError requires an error response in the JSON envelope.
func wantError(t *testing.T, resp *http.Response, status int, code string) wireError {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var e wireError
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("body %q is not the JSON error envelope: %v", body, err)
	}
	if resp.StatusCode != status || e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("got %d %s %q, want %d %s", resp.StatusCode, e.Error.Code, e.Error.Message, status, code)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", ct)
	}
	return e
}

// jsonHasCode reports whether data is {"code": code, "message": ...}.
func jsonHasCode(t *testing.T, data, code string) bool {
	t.Helper()
	var v struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	if err := json.Unmarshal([]byte(data), &v); err != nil {
		t.Fatalf("error event data %q: %v", data, err)
	}
	return v.Code == code && v.Message != ""
}
