package app_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/app/config"
)

// adminToken is the token the first start prints once.
func adminToken(t *testing.T, banner string) string {
	t.Helper()
	parts := strings.SplitAfter(banner, "once:")
	if len(parts) < 2 {
		t.Fatalf("no admin token printed: %q", banner)
	}
	return strings.TrimSpace(strings.Split(parts[1], "Save")[0])
}

// get does req and returns its body.
func get(t *testing.T, req *http.Request) string {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// --db-url memory:// runs the whole server on the memory store: no files,
// and nothing survives a restart.
func TestServerOnMemory(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DBURL = "memory://"
	cfg.DataDir = filepath.Join(t.TempDir(), "unused")

	base, banner, stop := startServer(t, cfg)
	token := adminToken(t, banner.String())
	resp, err := http.Get(base + "/health")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET /health = %v, %v", resp, err)
	}
	_ = resp.Body.Close()
	if status, body, _ := call(t, base, token, `["sys.health"]`); status != 200 || body != `{"status":"ok","backend":"memory","connections":0}` {
		t.Fatalf("sys.health = %d %s", status, body)
	}
	status, body, _ := call(t, base, token, `["ns.create","tenant-a"]`)
	var created struct{ Token string }
	if err := json.Unmarshal([]byte(body), &created); status != 200 || err != nil {
		t.Fatalf("ns.create = %d %s", status, body)
	}
	if status, body, _ := call(t, base, created.Token, `["stream.write","order-1",[{"type":"A","data":{}},{"type":"B","data":{}}]]`); status != 200 || body != `{"position":0,"globalPosition":1,"count":2}` {
		t.Fatalf("batch write = %d %s", status, body)
	}
	if status, body, _ := call(t, base, created.Token, `["category.get","order"]`); status != 200 || strings.Count(body, `"order-1"`) != 2 {
		t.Fatalf("category.get = %d %s", status, body)
	}

	// The optional ports the HTTP adapters look for: import, and the
	// namespace-wide reader behind all=true subscriptions.
	imp, _ := http.NewRequest(http.MethodPost, base+"/import", strings.NewReader(
		`{"id":"7d6d6c1e-6d4c-4a52-9d0e-9e3c9a1f1b11","stream":"order-9","type":"C","pos":0,"gpos":10,"data":{},"meta":null,"time":"2025-03-01T12:00:00.000000Z"}`+"\n"))
	imp.Header.Set("Authorization", "Bearer "+created.Token)
	if body := get(t, imp); !strings.Contains(body, `"done":true,"imported":1`) {
		t.Fatalf("POST /import = %s", body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sub, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/subscribe?all=true&token="+created.Token, nil)
	resp, err = http.DefaultClient.Do(sub)
	if err != nil {
		t.Fatal(err)
	}
	var poke string
	for lines := bufio.NewScanner(resp.Body); lines.Scan(); {
		if strings.Contains(lines.Text(), `"globalPosition":10`) {
			poke = lines.Text()
			break
		}
	}
	_ = resp.Body.Close()
	if !strings.Contains(poke, `"stream":"order-9"`) {
		t.Fatalf("all=true subscription poke = %q, want the imported message's", poke)
	}

	stop()
	if _, err := os.Stat(cfg.DataDir); !os.IsNotExist(err) {
		t.Fatalf("the memory store touched the data directory: %v", err)
	}
	base2, banner2, _ := startServer(t, cfg)
	adminToken(t, banner2.String()) // a fresh start: the default namespace is new again
	if status, body, _ := call(t, base2, created.Token, `["stream.get","order-1"]`); status != 401 {
		t.Fatalf("the old namespace's token after a restart = %d %s; want it gone", status, body)
	}
}

// Test mode keeps data in memory: on SQLite in memory, unless the memory
// store is asked for.
func TestTestModeBackend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dbURL, want string
	}{
		{"default", "", "sqlite"},
		{"postgres ignored", "postgres://nobody@127.0.0.1:1/none", "sqlite"},
		{"memory", "memory://", "memory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.TestMode, cfg.DBURL = true, tt.dbURL
			base, _, _ := startServer(t, cfg)
			status, body, _ := call(t, base, "", `["sys.health"]`)
			var h struct{ Backend string }
			if err := json.Unmarshal([]byte(body), &h); status != 200 || err != nil || h.Backend != tt.want {
				t.Fatalf("sys.health = %d %s; want backend %s", status, body, tt.want)
			}
		})
	}
}
