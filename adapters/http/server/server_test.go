package server_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/gorilla/mux"
)

func testConfig() server.Config {
	cfg := server.DefaultConfig()
	cfg.Host = "127.0.0.1"
	cfg.Port = 0
	return cfg
}

func text(s string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, s) })
}

func startServer(t *testing.T, cfg server.Config, routes []httpapi.Route, mw ...mux.MiddlewareFunc) *server.Server {
	t.Helper()
	s, err := server.New(cfg, routes, mw...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return resp.StatusCode, string(body)
}

func TestNewRejectsBadInput(t *testing.T) {
	t.Parallel()
	ok := httpapi.Route{Method: http.MethodGet, Path: "/a", Handler: text("a")}
	badCfg := testConfig()
	badCfg.Port = 70000
	negative := testConfig()
	negative.WriteTimeout = -time.Second
	tests := []struct {
		name   string
		cfg    server.Config
		routes []httpapi.Route
		want   string
	}{
		{"duplicate route", testConfig(), []httpapi.Route{ok, ok}, "registered twice"},
		{"nil handler", testConfig(), []httpapi.Route{{Method: "GET", Path: "/b"}}, "no handler"},
		{"relative path", testConfig(), []httpapi.Route{{Path: "b", Handler: text("b")}}, "must start with /"},
		{"port out of range", badCfg, nil, "port"},
		{"negative timeout", negative, nil, "write timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := server.New(tt.cfg, tt.routes)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("New error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestServesRoutes(t *testing.T) {
	t.Parallel()
	s := startServer(t, testConfig(), []httpapi.Route{
		{Method: http.MethodGet, Path: "/hello", Handler: text("hi")},
		{Path: "/any", Handler: text("any")},
	})
	if s.Addr() == "" || strings.HasSuffix(s.Addr(), ":0") {
		t.Fatalf("Addr() = %q, want the actual listen address", s.Addr())
	}
	base := "http://" + s.Addr()
	tests := []struct {
		method, path string
		status       int
		body         string
	}{
		{http.MethodGet, "/hello", 200, "hi"},
		{http.MethodPost, "/hello", 405, `{"error":{"code":"METHOD_NOT_FOUND","message":"/hello takes GET, not POST"}}`},
		{http.MethodGet, "/missing", 404, `{"error":{"code":"METHOD_NOT_FOUND","message":"nothing is served at GET /missing"}}`},
		{http.MethodPut, "/any", 200, "any"},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, base+tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", tt.method, tt.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || string(body) != tt.body {
			t.Errorf("%s %s = %d %q, want %d %q", tt.method, tt.path, resp.StatusCode, body, tt.status, tt.body)
		}
		if tt.status >= 400 && resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("%s %s: Content-Type %q, want the JSON error envelope", tt.method, tt.path, resp.Header.Get("Content-Type"))
		}
		if tt.status == 405 && resp.Header.Get("Allow") != "GET" {
			t.Errorf("%s %s: Allow %q, want GET", tt.method, tt.path, resp.Header.Get("Allow"))
		}
	}
}

func TestStartFailsWhenPortInUse(t *testing.T) {
	t.Parallel()
	first := startServer(t, testConfig(), nil)
	cfg := testConfig()
	_, port, _ := strings.Cut(first.Addr(), ":")
	var err error
	if cfg.Port, err = strconv.Atoi(port); err != nil {
		t.Fatal(err)
	}
	second, err := server.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := second.Start(context.Background()); err == nil {
		_ = second.Stop(context.Background())
		t.Fatal("Start on a busy port succeeded")
	}
	if err := second.Stop(context.Background()); err != nil {
		t.Fatalf("Stop of a server that never started: %v", err)
	}
}

func TestStopDrainsInFlightAndEndsStreams(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	release := make(chan struct{})
	streamEnded := make(chan struct{})
	routes := []httpapi.Route{
		{Method: "GET", Path: "/slow", Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			close(entered)
			<-release
			_, _ = io.WriteString(w, "done")
		})},
		{Method: "GET", Path: "/events", Streaming: true, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.WriteString(w, "ready\n")
			w.(http.Flusher).Flush()
			<-r.Context().Done() // the server's drain signal
			close(streamEnded)
			_, _ = io.WriteString(w, "bye\n")
		})},
	}
	s, err := server.New(testConfig(), routes)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	base := "http://" + s.Addr()

	stream, err := http.Get(base + "/events")
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Body.Close()
	lines := bufio.NewReader(stream.Body)
	if line, _ := lines.ReadString('\n'); line != "ready\n" {
		t.Fatalf("first stream line = %q", line)
	}

	slow := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			slow <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		slow <- string(b)
	}()
	<-entered

	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop(context.Background()) }()

	<-streamEnded // Stop began: streaming requests are told to finish
	if line, _ := lines.ReadString('\n'); line != "bye\n" {
		t.Fatalf("last stream line = %q", line)
	}
	close(release) // the in-flight request may still complete
	if got := <-slow; got != "done" {
		t.Fatalf("in-flight request got %q, want done", got)
	}
	if err := <-stopped; err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if _, err := http.Get(base + "/slow"); err == nil {
		t.Fatal("server still accepts requests after Stop")
	}
}

// The write timeout is tiny; the handlers write after it has passed. Only a
// streaming route whose handler lifted the deadlines (after authenticating,
// in the real handlers) outlives it: being a streaming route is not enough.
func TestWriteTimeoutSparesOnlyLiftedStreams(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.WriteTimeout = time.Millisecond
	late := func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(50 * time.Millisecond)
		_, _ = io.WriteString(w, "late")
	}
	lifted := func(w http.ResponseWriter, r *http.Request) {
		httpapi.KeepStreaming(w)
		late(w, r)
	}
	s := startServer(t, cfg, []httpapi.Route{
		{Method: "GET", Path: "/stream", Streaming: true, Handler: http.HandlerFunc(lifted)},
		{Method: "GET", Path: "/unlifted", Streaming: true, Handler: http.HandlerFunc(late)},
		{Method: "GET", Path: "/plain", Handler: http.HandlerFunc(late)},
	})
	if status, body := get(t, "http://"+s.Addr()+"/stream"); status != 200 || body != "late" {
		t.Fatalf("streaming route = %d %q, want 200 late", status, body)
	}
	for _, path := range []string{"/unlifted", "/plain"} {
		if resp, err := http.Get("http://" + s.Addr() + path); err == nil {
			b, readErr := io.ReadAll(resp.Body)
			resp.Body.Close()
			if readErr == nil && string(b) == "late" {
				t.Fatalf("%s outlived the write timeout", path)
			}
		}
	}
}

func TestMiddlewareOrderAndRequestInfo(t *testing.T) {
	t.Parallel()
	var order []string
	var seen []httpapi.RequestSnapshot
	mark := func(name string) mux.MiddlewareFunc {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
				if name == "outer" {
					seen = append(seen, httpapi.RequestInfoFrom(r.Context()).Snapshot())
				}
			})
		}
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		info := httpapi.RequestInfoFrom(r.Context())
		info.SetMethod("stream.get")
		info.SetNamespace("tenant")
		info.SetErrorCode("INVALID_REQUEST")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, "nope")
	})
	mws := server.Ordered([]httpapi.Middleware{{Order: 10, Wrap: mark("inner")}, {Order: -1, Wrap: mark("outer")}})
	s, err := server.New(testConfig(), []httpapi.Route{{Method: "POST", Path: "/rpc", Handler: h}}, mws...)
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/rpc", "/nowhere"} {
		s.Handler().ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", path, nil))
	}
	if got := strings.Join(order, ","); got != "outer,inner,outer,inner" {
		t.Fatalf("middleware order = %s", got)
	}
	want := []httpapi.RequestSnapshot{
		{Route: "/rpc", Method: "stream.get", Namespace: "tenant", ErrorCode: "INVALID_REQUEST", Status: 400, Bytes: 4},
		{ErrorCode: "METHOD_NOT_FOUND", Status: 404, Bytes: 84},
	}
	for i := range want {
		if seen[i] != want[i] {
			t.Errorf("request %d info = %+v, want %+v", i, seen[i], want[i])
		}
	}
}

// "localhost" listens on loopback only: on 127.0.0.1 and, where the machine
// has it, on ::1 at the same port, since clients resolve localhost to either.
func TestLocalhostListensOnBothLoopbacks(t *testing.T) {
	t.Parallel()
	cfg := testConfig()
	cfg.Host = "localhost"
	s := startServer(t, cfg, []httpapi.Route{{Method: http.MethodGet, Path: "/hello", Handler: text("hi")}})
	host, port, err := net.SplitHostPort(s.Addr())
	if err != nil || host != "127.0.0.1" {
		t.Fatalf("Addr() = %q, want 127.0.0.1:<port>", s.Addr())
	}
	if status, body := get(t, "http://127.0.0.1:"+port+"/hello"); status != 200 || body != "hi" {
		t.Fatalf("127.0.0.1 = %d %q", status, body)
	}
	if ln, err := net.Listen("tcp6", "[::1]:0"); err == nil {
		ln.Close()
		if status, body := get(t, "http://[::1]:"+port+"/hello"); status != 200 || body != "hi" {
			t.Fatalf("::1 = %d %q", status, body)
		}
	} else {
		t.Log("no IPv6 loopback on this machine: only 127.0.0.1 checked")
	}
	// Not on the machine's other addresses.
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			ip, _, _ := net.ParseCIDR(a.String())
			if ip == nil || ip.IsLoopback() || ip.To4() == nil {
				continue
			}
			conn, err := net.DialTimeout("tcp", net.JoinHostPort(ip.String(), port), time.Second)
			if err == nil {
				conn.Close()
				t.Fatalf("a localhost server answers on %s", ip)
			}
		}
	}
}
