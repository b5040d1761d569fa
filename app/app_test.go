package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/app"
	"github.com/eventodb/eventodb/app/config"
)

// startServer runs the whole application on a free port and returns its base URL.
func startServer(t testing.TB, cfg config.Config) (string, *bytes.Buffer, func()) {
	t.Helper()
	cfg.Host, cfg.Port = "127.0.0.1", 0
	var srv *server.Server
	var banner bytes.Buffer
	a, err := app.New(cfg, zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)), app.Options{Stdout: &banner, Extra: []fx.Option{fx.Populate(&srv)}})
	if err != nil {
		t.Fatalf("new app: %v", err)
	}
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	var once sync.Once
	stop := func() {
		once.Do(func() {
			if err := a.Stop(context.Background()); err != nil {
				t.Errorf("stop: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return "http://" + srv.Addr(), &banner, stop
}

func call(t *testing.T, base, token string, body string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, base+"/rpc", strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST /rpc %s: %v", body, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b)), resp.Header
}

func TestServerTestMode(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.TestMode = true
	base, _, _ := startServer(t, cfg)

	status, body, hdr := call(t, base, "", `["stream.write","account-1",{"type":"Opened","data":{"n":1}}]`)
	if status != 200 || body != `{"position":0,"globalPosition":1}` {
		t.Fatalf("write without token = %d %s", status, body)
	}
	token := hdr.Get("X-EventoDB-Token")
	if !strings.HasPrefix(token, "ns_ZGVmYXVsdA_") {
		t.Fatalf("X-EventoDB-Token = %q, want the default namespace's token", token)
	}
	status, body, _ = call(t, base, token, `["stream.version","account-1"]`)
	if status != 200 || body != "0" {
		t.Fatalf("version with the default token = %d %s", status, body)
	}
	status, body, _ = call(t, base, "", `["nope"]`)
	if status != 404 || !strings.Contains(body, `"METHOD_NOT_FOUND"`) {
		t.Fatalf("unknown method = %d %s", status, body)
	}
}

func TestServerFileModeSurvivesRestart(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()

	base, banner, stop := startServer(t, cfg)
	token := strings.TrimSpace(strings.Split(strings.SplitAfter(banner.String(), "once:")[1], "Save")[0])
	if !strings.HasPrefix(token, "ns_") {
		t.Fatalf("no admin token printed on first start: %q", banner.String())
	}
	if status, body, _ := call(t, base, "", `["stream.get","account-1"]`); status != 401 || !strings.Contains(body, "AUTH_REQUIRED") {
		t.Fatalf("request without a token = %d %s", status, body)
	}
	status, body, _ := call(t, base, token, `["ns.create","tenant-a"]`)
	if status != 200 {
		t.Fatalf("ns.create = %d %s", status, body)
	}
	var created struct{ Token string }
	_ = json.Unmarshal([]byte(body), &created)
	if status, body, _ := call(t, base, created.Token, `["stream.write","order-1",[{"type":"A","data":{}},{"type":"B","data":{}}]]`); status != 200 || body != `{"position":0,"globalPosition":1,"count":2}` {
		t.Fatalf("batch write = %d %s", status, body)
	}

	// Restarted on the same data directory, the server has everything and
	// prints no token.
	stop()
	base2, banner2, _ := startServer(t, cfg)
	if banner2.Len() != 0 {
		t.Fatalf("restart printed a token again: %q", banner2.String())
	}
	status, body, _ = call(t, base2, created.Token, `["stream.get","order-1"]`)
	var msgs [][]any
	if err := json.Unmarshal([]byte(body), &msgs); status != 200 || err != nil || len(msgs) != 2 || msgs[1][1] != "B" {
		t.Fatalf("read after restart = %d %s", status, body)
	}
	if status, body, _ := call(t, base2, token, `["ns.list"]`); status != 200 || !strings.Contains(body, `"namespace":"tenant-a"`) {
		t.Fatalf("ns.list after restart = %d %s", status, body)
	}
}

// A server that cannot start says why in one line, not with fx's chain of
// constructors that needed the failed one.
func TestStartFailureNamesTheRootCause(t *testing.T) {
	t.Parallel()
	file := t.TempDir() + "/not-a-dir"
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := config.Default()
	cfg.DataDir = file
	_, err := app.New(cfg, zap.NewNop(), app.Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "cannot start: create data directory") || strings.Contains(err.Error(), "could not build") {
		t.Fatalf("error = %v, want the root cause only", err)
	}
}
