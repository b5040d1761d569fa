package client_test

// Tests against fake servers: what the client sends and how it reads
// answers in every form the protocol allows.

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/client"
)

// The event-stream reader follows the SSE rules, whatever line endings,
// comments and data lines a server or proxy uses.
func TestImportEventStreamForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		body         string
		wantProgress []int64
		wantImported int64
		wantErr      string // "" = success
	}{
		{"plain", "data: {\"imported\":2,\"gpos\":7}\n\ndata: {\"done\":true,\"imported\":2,\"elapsed\":\"3ms\"}\n\n", []int64{2}, 2, ""},
		{"CRLF, comments, no space", ": hi\r\n\r\ndata:{\"imported\":1,\"gpos\":1}\r\n\r\n: beat\r\ndata:{\"done\":true,\"imported\":1}\r\n\r\n", []int64{1}, 1, ""},
		{"data over two lines", "data: {\"imported\":4,\ndata: \"gpos\":9}\n\ndata: {\"done\":true,\"imported\":4}\n\n", []int64{4}, 4, ""},
		{"an event without data is skipped", "event: x\n\ndata: {\"done\":true,\"imported\":0}\n\n", nil, 0, ""},
		{"cut off before done", "data: {\"imported\":3,\"gpos\":3}\n\ndata: {\"done\":tr", []int64{3}, 3, "without saying the import was done"},
		{"an error event", "data: {\"imported\":1000,\"gpos\":1000}\n\ndata: {\"error\":\"IMPORT_FAILED\",\"message\":\"disk full\",\"line\":1001}\n\n",
			[]int64{1000}, 1000, "import stopped at line 1001: IMPORT_FAILED: disk full"},
		{"not JSON", "data: hello\n\n", nil, 0, "unexpected answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "text/event-stream")
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			var progress []int64
			res, err := newClient(t, srv.URL).Import(context.Background(), strings.NewReader("{}\n"), nil, func(p client.ImportProgress) {
				progress = append(progress, p.Imported)
			})
			switch {
			case tt.wantErr == "" && err != nil, tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Import = %v, want %q", err, tt.wantErr)
			case tt.wantErr == "" && res.Imported != tt.wantImported:
				t.Fatalf("imported %d, want %d", res.Imported, tt.wantImported)
			}
			var ie *client.ImportError
			if errors.As(err, &ie) && (ie.Imported != tt.wantImported || !errors.Is(err, client.ErrImportFailed)) {
				t.Fatalf("import error %+v", ie)
			}
			if !slices.Equal(progress, tt.wantProgress) {
				t.Fatalf("progress %v, want %v", progress, tt.wantProgress)
			}
		})
	}
}

// Every kind of request carries the token and the user agent.
func TestRequestsCarryTokenAndUserAgent(t *testing.T) {
	t.Parallel()
	seen := make(chan http.Header, 3)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		seen <- r.Header.Clone()
		switch r.URL.Path {
		case "/rpc":
			_, _ = io.WriteString(w, `"1.2.3"`)
		case "/import":
			_, _ = io.WriteString(w, "data: {\"done\":true,\"imported\":0}\n\n")
		default:
			w.Header().Set("Content-Type", "text/event-stream")
			_, _ = io.WriteString(w, ": ready\n\n")
		}
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	c := newClient(t, srv.URL, client.WithUserAgent("probe/1"), client.WithToken("secret"))
	if _, err := c.ServerVersion(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Import(ctx, strings.NewReader(""), nil, nil); err != nil {
		t.Fatal(err)
	}
	sub, err := c.ForToken("other").Subscribe(ctx, client.SubscribeOptions{All: true})
	if err != nil {
		t.Fatal(err)
	}
	_ = sub.Close()
	for _, want := range []string{"Bearer secret", "Bearer secret", "Bearer other"} {
		h := <-seen
		if h.Get("Authorization") != want || h.Get("User-Agent") != "probe/1" {
			t.Errorf("headers %v, want %q and the user agent", h, want)
		}
	}
}
