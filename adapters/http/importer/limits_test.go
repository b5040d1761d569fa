package importer_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/adapters/http/importer"
	"github.com/eventodb/eventodb/adapters/http/server"
	"github.com/eventodb/eventodb/domain/service"
)

// waitClosed reads from conn until the server closes it, failing after
// within: a connection the server holds open forever fails the test.
func waitClosed(t *testing.T, conn net.Conn, within time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	_ = conn.SetReadDeadline(start.Add(within))
	_, err := io.Copy(io.Discard, conn)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("the server still held the connection after %s", within)
	}
	return time.Since(start)
}

// An import whose body stalls is ended after the idle timeout, even with a
// valid token; the slot it held is free again afterwards.
func TestImportIdleTimeout(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, service.ImportConfig{}, importer.Options{IdleTimeout: 200 * time.Millisecond, Expensive: httpapi.NewExpensiveRequests(1)}, server.DefaultConfig())
	conn, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	line := record("s-1", 0, 1) + "\n"
	_, _ = io.WriteString(conn, "POST /import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+e.tenant+
		"\r\nContent-Length: 100000\r\n\r\n"+line)
	if took := waitClosed(t, conn, 5*time.Second); took > 3*time.Second {
		t.Fatalf("a stalled import was closed after %s, want about the 200ms idle timeout", took)
	}
	// The slot is free: another import runs.
	evs := e.events(t, lines(record("s-2", 0, 2)))
	if evs[len(evs)-1]["done"] != true {
		t.Fatalf("events after the stalled import = %v, want done", evs)
	}
}

// Without a token (or with a wrong one) the server's read timeout stays in
// force: a request whose body never comes is closed within it.
func TestUnauthenticatedImportCannotHoldAConnection(t *testing.T) {
	t.Parallel()
	srvCfg := server.DefaultConfig()
	srvCfg.ReadTimeout = 300 * time.Millisecond
	e := newEnvWith(t, service.ImportConfig{}, importer.Options{}, srvCfg)
	for _, auth := range []string{"", "Authorization: Bearer ns_dGVuYW50_" + strings.Repeat("0", 64) + "\r\n"} {
		conn, err := net.Dial("tcp", e.addr)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.WriteString(conn, "POST /import HTTP/1.1\r\nHost: x\r\n"+auth+"Content-Length: 5000\r\n\r\n")
		if took := waitClosed(t, conn, 5*time.Second); took > 3*time.Second {
			t.Fatalf("an unauthenticated import (%q) held its connection for %s", auth, took)
		}
		conn.Close()
	}
}

// A token runs at most its share of imports at once; the next is refused with
// 429 and Retry-After while the first still runs.
func TestImportsPerTokenAreCapped(t *testing.T) {
	t.Parallel()
	e := newEnvWith(t, service.ImportConfig{}, importer.Options{Expensive: httpapi.NewExpensiveRequests(1)}, server.DefaultConfig())
	// The first import sends one line of a longer body and keeps running.
	conn, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = io.WriteString(conn, "POST /import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+e.tenant+
		"\r\nContent-Length: 100000\r\n\r\n"+record("s-1", 0, 1)+"\n")
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if status, err := bufio.NewReader(conn).ReadString('\n'); err != nil || !strings.Contains(status, "200") {
		t.Fatalf("first import: %q, %v; want its event stream to start", status, err)
	}

	second := e.post(t, e.tenant, strings.NewReader(lines(record("s-2", 0, 2))))
	b, _ := io.ReadAll(second.Body)
	if second.StatusCode != http.StatusTooManyRequests || !strings.Contains(string(b), "RATE_LIMITED") || second.Header.Get("Retry-After") == "" {
		t.Fatalf("second import: %d %s (Retry-After %q), want 429 RATE_LIMITED with Retry-After", second.StatusCode, b, second.Header.Get("Retry-After"))
	}
}
