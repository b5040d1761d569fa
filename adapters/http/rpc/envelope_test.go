package rpc_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestEnvelopeErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	huge := `["stream.write","s",{"type":"T","data":{"x":"` + strings.Repeat("a", 1<<20) + `"}}]`
	tests := []struct {
		name   string
		body   string
		status int
		code   string
		msg    string
	}{
		{"not JSON", `not json`, 400, "INVALID_REQUEST", "not valid JSON"},
		{"empty body", ``, 400, "INVALID_REQUEST", "not valid JSON"},
		{"whitespace only", " \n\t", 400, "INVALID_REQUEST", "not valid JSON"},
		{"truncated array", `["stream.get", "s"`, 400, "INVALID_REQUEST", "not valid JSON"},
		{"truncated object", `{"a":`, 400, "INVALID_REQUEST", "not valid JSON"},
		{"trailing garbage", `["sys.version"] x`, 400, "INVALID_REQUEST", "not valid JSON"},
		{"invalid UTF-8 in the method", "[\"sys.version\xff\"]", 400, "INVALID_REQUEST", "not valid UTF-8"},
		{"object", `{"method":"sys.version"}`, 400, "INVALID_REQUEST", "must be a JSON array"},
		{"string", `"sys.version"`, 400, "INVALID_REQUEST", "must be a JSON array"},
		{"null", `null`, 400, "INVALID_REQUEST", "must be a JSON array"},
		{"empty array", `[]`, 400, "INVALID_REQUEST", "empty"},
		{"method not a string", `[1, "s"]`, 400, "INVALID_REQUEST", "method, must be a string"},
		{"method null", `[null]`, 400, "INVALID_REQUEST", "method, must be a string"},
		{"unknown method", `["stream.nope"]`, 404, "METHOD_NOT_FOUND", `"stream.nope"`},
		{"body over 1 MiB", huge, 413, "PAYLOAD_TOO_LARGE", "limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantError(t, e.post(t, e.tenant, tt.body), tt.status, tt.code, tt.msg)
		})
	}
}

func TestEnvelopeAcceptsWhitespaceAndReturnsJSON(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	r := e.post(t, e.tenant, "  \n[ \"sys.version\" ]\n")
	if r.status != http.StatusOK || string(r.body) != `"0.1.0"` {
		t.Fatalf("got %d %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type = %q", ct)
	}
}

func TestOnlyPostServesRPC(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	resp, err := http.Get(e.url + "/rpc")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Fatalf("GET /rpc = %d, want 405", resp.StatusCode)
	}
}

// A body shorter than its Content-Length (the client stopped sending) is
// INVALID_REQUEST, said so; a body without a length (chunked) is read too.
func TestEnvelopeBodyLength(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	addr := strings.TrimPrefix(e.url, "http://")
	raw := func(t *testing.T, request string) string {
		t.Helper()
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		if _, err := io.WriteString(conn, request); err != nil {
			t.Fatal(err)
		}
		_ = conn.(*net.TCPConn).CloseWrite()
		answer, _ := io.ReadAll(conn)
		return string(answer)
	}
	head := "POST /rpc HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + e.tenant + "\r\nContent-Type: application/json\r\n"

	short := raw(t, head+"Content-Length: 100\r\n\r\n[\"sys.version\"]")
	if !strings.HasPrefix(short, "HTTP/1.1 400") || !strings.Contains(short, `"INVALID_REQUEST"`) || !strings.Contains(short, "ended early") {
		t.Fatalf("body shorter than its Content-Length: %q", short)
	}
	chunked := raw(t, head+"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\nf\r\n[\"sys.version\"]\r\n0\r\n\r\n")
	if !strings.HasPrefix(chunked, "HTTP/1.1 200") || !strings.HasSuffix(chunked, `"0.1.0"`) {
		t.Fatalf("chunked body: %q", chunked)
	}
}
