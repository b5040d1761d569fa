package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"go.uber.org/zap"

	"github.com/eventodb/eventodb/app"
	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// startServer runs the whole application on a free port and returns its base
// URL, what it printed and a function that stops it.
func startServer(t testing.TB, cfg config.Config) (string, *bytes.Buffer, func()) {
	t.Helper()
	srv := apptest.Start(t, cfg)
	return srv.URL, srv.Stdout, srv.Stop
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
