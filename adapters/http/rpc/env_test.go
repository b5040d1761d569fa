package rpc_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/rpc"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// testTime has a sub-microsecond part the wire format must cut.
var testTime = time.Date(2026, 1, 15, 10, 30, 0, 123456789, time.UTC)

const wireTime = "2026-01-15T10:30:00.123456Z"

type envOptions struct {
	testMode bool
	limits   *service.Limits
	rate     float64 // requests/s per token; 0: off
	burst    int
	storage  ports.Storage // nil: a faultyStore over the memory store
	// expensive caps streamed reads per token; the zero value: no cap.
	expensive httpapi.ExpensiveRequests
}

// env is a server with the RPC routes over the memory store (with faults to
// inject), an admin token and the token of namespace "tenant".
type env struct {
	store   *faultyStore // nil when another storage is used
	auth    *httpapi.AuthMiddleware
	url     string
	handler http.Handler // the server's handler, to call without a connection
	admin   string
	tenant  string
}

func newEnv(t testing.TB, opts envOptions) *env {
	t.Helper()
	ctx := context.Background()
	clock := fixedClock{t: testTime}
	var store *faultyStore
	storage := opts.storage
	if storage == nil {
		store = newFaultyStore(clock)
		storage = store
	}
	limits := service.DefaultLimits()
	if opts.limits != nil {
		limits = *opts.limits
	}
	streams := service.NewStreams(storage, uuidGen{}, nil, limits)
	categories := service.NewCategories(storage, limits)
	namespaces := service.NewNamespaces(storage, storage, clock)
	auth := service.NewAuth(storage, namespaces, opts.testMode)
	admin, err := namespaces.EnsureDefault(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	auth.SetDefaultToken(admin)
	tenant, err := namespaces.Create(ctx, "tenant", "Tenant", "")
	if err != nil {
		t.Fatal(err)
	}

	cfg := rpc.DefaultConfig()
	cfg.TestMode = opts.testMode
	cfg.RateLimit, cfg.Burst = opts.rate, opts.burst
	methods, err := rpc.Methods(rpc.Deps{
		Streams: streams, Categories: categories, Namespaces: namespaces,
		Tokens: auth, Health: storage, Clock: clock, Version: cfg.Version,
		Expensive: opts.expensive,
	})
	if err != nil {
		t.Fatal(err)
	}
	handler, err := rpc.NewHandler(cfg, methods)
	if err != nil {
		t.Fatal(err)
	}
	handler.SetRechecker(auth)
	mw, err := httpapi.NewAuthMiddleware(auth, httpapi.NewRateLimiter(cfg.RateLimit, cfg.Burst), cfg.TestMode)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(server.DefaultConfig(), []httpapi.Route{
		rpc.RPCRoute(handler, mw),
		rpc.HealthRoute(storage),
		rpc.VersionRoute(cfg.Version),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &env{store: store, auth: mw, url: ts.URL, handler: srv.Handler(), admin: admin, tenant: tenant.Token}
}

type response struct {
	status int
	header http.Header
	body   []byte
	err    error // reading the body failed (aborted response)
}

// post sends body to /rpc with token ("" for none).
func (e *env) post(t *testing.T, token, body string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.url+"/rpc", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: b, err: err}
}

// call sends ["method", args...] as token.
func (e *env) call(t *testing.T, token, method string, args ...any) response {
	t.Helper()
	body, err := json.Marshal(append([]any{method}, args...))
	if err != nil {
		t.Fatal(err)
	}
	return e.post(t, token, string(body))
}

// ok calls and requires 200, returning the decoded result.
func (e *env) ok(t *testing.T, token, method string, args ...any) any {
	t.Helper()
	r := e.call(t, token, method, args...)
	if r.status != http.StatusOK || r.err != nil {
		t.Fatalf("%s: status %d, body %s, err %v", method, r.status, r.body, r.err)
	}
	return decode(t, r.body)
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("response %q is not JSON: %v", b, err)
	}
	return v
}

type wireError struct {
	Error struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	} `json:"error"`
}

// wantError requires an error response with status, code and a message
// containing msg.
func wantError(t *testing.T, r response, status int, code, msg string) wireError {
	t.Helper()
	var e wireError
	if err := json.Unmarshal(r.body, &e); err != nil {
		t.Fatalf("error body %q is not JSON: %v", r.body, err)
	}
	if r.status != status || e.Error.Code != code || !strings.Contains(e.Error.Message, msg) {
		t.Fatalf("got %d %s %q, want %d %s containing %q", r.status, e.Error.Code, e.Error.Message, status, code, msg)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q", ct)
	}
	return e
}

// msg is a message object for stream.write.
func msg(typ string, data any) map[string]any { return map[string]any{"type": typ, "data": data} }

// canon re-encodes a decoded JSON value for comparison.
func canon(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

type serviceLimits = service.Limits
