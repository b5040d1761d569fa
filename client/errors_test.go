package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/client"
)

// allSentinels are the Err… values; an error matches exactly one.
var allSentinels = []error{
	client.ErrInvalidRequest, client.ErrInvalidJSON, client.ErrAuthRequired, client.ErrAuthInvalid, client.ErrAuthForbidden,
	client.ErrMethodNotFound, client.ErrNamespaceNotFound, client.ErrNamespaceExists, client.ErrVersionConflict,
	client.ErrPositionExists, client.ErrDuplicateID, client.ErrPayloadTooLarge, client.ErrRateLimited, client.ErrBackend,
	client.ErrImportFailed, client.ErrGroupNotFound, client.ErrGroupExists, client.ErrGroupFull, client.ErrLeaseExpired,
}

// Every error code a server answers without a fault comes back typed, with
// its status, and matches its own Err… value only.
func TestTypedErrors(t *testing.T) {
	t.Parallel()
	s := sqliteServer
	ctx := context.Background()
	c, id := s.namespace(t)
	admin := s.adminClient(t)
	anonymous := newClient(t, s.url)
	stranger := newClient(t, s.url, client.WithToken("ns_bm9ib2R5_"+strings.Repeat("ab", 32)))
	if _, err := c.Write(ctx, "lock-1", msg("T", `{}`), nil); err != nil {
		t.Fatal(err)
	}
	const record = `{"id":"3f1b6a0e-8c3d-4e5f-9a1b-0c2d3e4f5a6b","stream":"imp-1","type":"T","pos":0,"gpos":100,"data":{},"meta":null,"time":"2026-01-15T10:30:00Z"}` + "\n"
	if _, err := c.Import(ctx, strings.NewReader(record), nil, nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		call   func() error
		want   error
		status int // 0: an import error, which has no status
	}{
		{"invalid stream name", func() error { _, err := c.Write(ctx, "", msg("T", `{}`), nil); return err }, client.ErrInvalidRequest, 400},
		{"invalid batch size", func() error { _, err := c.Read(ctx, "a-1", &client.ReadOptions{BatchSize: 10001}); return err }, client.ErrInvalidRequest, 400},
		{"no token", func() error { _, err := anonymous.Read(ctx, "a-1", nil); return err }, client.ErrAuthRequired, 401},
		{"unknown token", func() error { _, err := stranger.ServerVersion(ctx); return err }, client.ErrAuthInvalid, 401},
		{"namespace token managing namespaces", func() error { _, err := c.ListNamespaces(ctx); return err }, client.ErrAuthForbidden, 403},
		{"unknown method", func() error { return c.Call(ctx, nil, "stream.nothing") }, client.ErrMethodNotFound, 404},
		{"missing namespace", func() error { _, err := admin.NamespaceInfo(ctx, "missing"); return err }, client.ErrNamespaceNotFound, 404},
		{"taken namespace", func() error { _, err := admin.CreateNamespace(ctx, id, nil); return err }, client.ErrNamespaceExists, 409},
		{"version conflict", func() error {
			_, err := c.Write(ctx, "lock-1", msg("T", `{}`), &client.WriteOptions{ExpectedVersion: client.ExpectVersion(client.NoStream)})
			return err
		}, client.ErrVersionConflict, 409},
		{"duplicate id", func() error {
			_, err := c.Write(ctx, "lock-2", client.MessageData{ID: "3f1b6a0e-8c3d-4e5f-9a1b-0c2d3e4f5a6b", Type: "T"}, nil)
			return err
		}, client.ErrDuplicateID, 409},
		{"message too large", func() error {
			_, err := c.Write(ctx, "big-1", client.MessageData{Type: "T", Data: json.RawMessage(`{"x":"` + strings.Repeat("x", 1<<20) + `"}`)}, nil)
			return err
		}, client.ErrPayloadTooLarge, 413},
		{"position taken on import", func() error { _, err := c.Import(ctx, strings.NewReader(record), nil, nil); return err }, client.ErrPositionExists, 0},
		{"invalid import line", func() error { _, err := c.Import(ctx, strings.NewReader("{}\n"), nil, nil); return err }, client.ErrInvalidJSON, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.call()
			for _, s := range allSentinels {
				if errors.Is(err, s) != (s == tt.want) {
					t.Fatalf("error %v: errors.Is(%v) = %v", err, s, !(s == tt.want))
				}
			}
			var e *client.Error
			var ie *client.ImportError
			switch {
			case tt.status == 0 && (!errors.As(err, &ie) || ie.Line != 1 || ie.Message == ""):
				t.Fatalf("error %v, want an *ImportError at line 1", err)
			case tt.status != 0 && (!errors.As(err, &e) || e.Status != tt.status || e.Message == "" || e.Code == ""):
				t.Fatalf("error %v (%#v), want an *Error with status %d", err, e, tt.status)
			case !strings.HasPrefix(err.Error(), "eventodb: "):
				t.Fatalf("error %q does not say where it comes from", err)
			}
		})
	}
}

// Failures without an answer are not *Error.
func TestNetworkErrorsAreNotServerErrors(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	_ = ln.Close()
	c := newClient(t, url, client.WithRetry(client.RetryPolicy{MaxAttempts: 2}))
	_, err = c.Read(context.Background(), "a-1", nil)
	var e *client.Error
	var op *net.OpError
	if err == nil || errors.As(err, &e) || !errors.As(err, &op) {
		t.Fatalf("reading from a closed port: %v, want a network error", err)
	}
}

func TestNewRejectsBadURLs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url string
		ok  bool
	}{
		{"http://localhost:8080", true},
		{"https://events.example/eventodb/", true},
		{"localhost:8080", false},
		{"ftp://host", false},
		{"http://", false},
		{"http://host?x=1", false},
	}
	for _, tt := range tests {
		c, err := client.New(tt.url)
		if (err == nil) != tt.ok {
			t.Errorf("New(%q) = %v", tt.url, err)
		}
		if err == nil && strings.HasSuffix(c.URL(), "/") {
			t.Errorf("New(%q).URL() = %q keeps the slash", tt.url, c.URL())
		}
	}
	if _, err := client.New("http://x", client.WithHTTPClient(nil)); err == nil {
		t.Error("WithHTTPClient(nil) accepted")
	}
}
