package app_test

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/storage/postgres/pgtest"
	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// sseLines reads a subscription's lines into a channel until it ends.
func sseLines(t *testing.T, url string) (<-chan string, func()) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	lines := make(chan string, 1000)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	return lines, func() { resp.Body.Close() }
}

// Access ends with the namespace registration it was granted for: a
// subscription open while its namespace is deleted is told so and closed, and
// nothing of a namespace re-created under the same id and token reaches it;
// an import running meanwhile stops. PostgreSQL runs the same test with a
// second node, where the delete arrives through LISTEN/NOTIFY.
func TestDeleteEndsSubscriptionsAndImports(t *testing.T) {
	t.Parallel()
	backends := map[string]func(*config.Config){
		"sqlite files": func(c *config.Config) { c.DataDir = t.TempDir() },
		"memory":       func(c *config.Config) { c.DBURL = "memory://" },
	}
	if os.Getenv(pgtest.EnvURL) != "" {
		backends["postgres"] = func(c *config.Config) { c.DBURL = pgtest.FreshDatabase(t) }
	} else {
		t.Log(pgtest.EnvURL + " is not set: the PostgreSQL case (two nodes) is skipped")
	}
	for name, set := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := config.Default()
			cfg.Token = "ns_ZGVmYXVsdA_" + strings.Repeat("ab", 32)
			set(&cfg)
			node := apptest.Start(t, cfg)
			other := node // a second node where the database can be shared
			if cfg.Backend() == config.BackendPostgres {
				other = apptest.Start(t, cfg)
			}
			testDeleteEndsAccess(t, node, other, cfg.Token)
		})
	}
}

func testDeleteEndsAccess(t *testing.T, node, other *apptest.Server, admin string) {
	ns := fmt.Sprintf("gone%d", time.Now().UnixNano()%1e9)
	token := "ns_" + b64(ns) + "_" + strings.Repeat("cd", 32)
	rpcOK(t, node.URL, admin, `["ns.create",%q,{"token":%q}]`, ns, token)
	rpcOK(t, node.URL, token, `["stream.write","acct-1",{"type":"Old","data":{}}]`)

	lines, stop := sseLines(t, other.URL+"/subscribe?category=acct&token="+token)
	defer stop()
	waitLine(t, lines, `"globalPosition":1}`)

	// An import that keeps its connection open.
	conn, err := net.Dial("tcp", strings.TrimPrefix(other.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	first := `{"id":"00000000-0000-4000-8000-000000000101","stream":"imp-1","type":"T","pos":0,"gpos":101,"data":{},"meta":null,"time":"2026-01-15T10:30:00Z"}` + "\n"
	_, _ = fmt.Fprintf(conn, "POST /import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 1000000\r\n\r\n%s", token, first)
	imp := bufio.NewReader(conn)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	if status, _ := imp.ReadString('\n'); !strings.Contains(status, "200") {
		t.Fatalf("import status line %q", status)
	}

	rpcOK(t, node.URL, admin, `["ns.delete",%q]`, ns)
	rpcOK(t, node.URL, admin, `["ns.create",%q,{"token":%q}]`, ns, token)
	rpcOK(t, node.URL, token, `["stream.write","acct-2",{"type":"New","data":{}}]`)

	// The subscription hears that its namespace ended, then ends; it never
	// pokes the new namespace's message.
	var rest []string
	deadline := time.After(10 * time.Second)
	for open := true; open; {
		select {
		case line, ok := <-lines:
			if !ok {
				open = false
				break
			}
			rest = append(rest, line)
		case <-deadline:
			t.Fatalf("the subscription was still open 10 s after the delete; it said %q", rest)
		}
	}
	text := strings.Join(rest, "\n")
	if !strings.Contains(text, "event: error") || !strings.Contains(text, "NAMESPACE_NOT_FOUND") {
		t.Fatalf("the subscription ended with %q, want an error event NAMESPACE_NOT_FOUND", text)
	}
	if strings.Contains(text, "acct-2") {
		t.Fatalf("the old subscription poked the re-created namespace's message: %q", text)
	}

	// The import was ended too: its answer stops, and nothing more it sends
	// is stored in the re-created namespace.
	_, _ = fmt.Fprint(conn, strings.Replace(strings.Replace(first, "101", "102", 2), "\"pos\":0", "\"pos\":1", 1))
	answer, _ := io.ReadAll(imp)
	if !strings.Contains(string(answer), "NAMESPACE_NOT_FOUND") {
		t.Fatalf("the import's answer = %q, want a NAMESPACE_NOT_FOUND event", answer)
	}
	body := rpcOK(t, node.URL, token, `["category.get","imp"]`)
	if body != "[]" {
		t.Fatalf("the re-created namespace holds imported messages %s", body)
	}
}

func rpcOK(t *testing.T, base, token, format string, args ...any) string {
	t.Helper()
	status, body, _ := call(t, base, token, fmt.Sprintf(format, args...))
	if status != 200 {
		t.Fatalf("%s: %d %s", fmt.Sprintf(format, args...), status, body)
	}
	return body
}

func waitLine(t *testing.T, lines <-chan string, substr string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the subscription ended before %q", substr)
			}
			if strings.Contains(line, substr) {
				return
			}
		case <-deadline:
			t.Fatalf("no line with %q within 10 s", substr)
		}
	}
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
