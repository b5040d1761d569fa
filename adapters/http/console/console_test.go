package console_test

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/eventodb/eventodb/adapters/http/console"
	"github.com/eventodb/eventodb/adapters/http/server"
)

// serve runs the console's routes in a real router, as the server does.
func serve(t *testing.T) http.Handler {
	t.Helper()
	fsys, err := console.Static()
	if err != nil {
		t.Fatal(err)
	}
	h, err := console.New(fsys)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv, err := server.New(server.DefaultConfig(), console.Routes(h))
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	return srv.Handler()
}

func get(t *testing.T, h http.Handler, target string, header ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestServesThePageAndItsAssets(t *testing.T) {
	t.Parallel()
	h := serve(t)
	tests := []struct {
		path, contentType, contains string
	}{
		{"/console/", "text/html; charset=utf-8", `<script type="module" src="js/main.js">`},
		{"/console/index.html", "text/html; charset=utf-8", "<title>EventoDB console</title>"},
		{"/console/js/main.js", "text/javascript; charset=utf-8", "import"},
		{"/console/js/views/live.js", "text/javascript; charset=utf-8", "startTail"},
		{"/console/css/base.css", "text/css; charset=utf-8", "prefers-color-scheme: dark"},
		{"/console/favicon.svg", "image/svg+xml", "<svg"},
	}
	for _, tt := range tests {
		resp := get(t, h, tt.path)
		got := body(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", tt.path, resp.StatusCode)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != tt.contentType {
			t.Errorf("GET %s Content-Type = %q, want %q", tt.path, ct, tt.contentType)
		}
		if !strings.Contains(got, tt.contains) {
			t.Errorf("GET %s does not contain %q", tt.path, tt.contains)
		}
	}
}

func TestSecurityAndCacheHeaders(t *testing.T) {
	t.Parallel()
	h := serve(t)
	for _, p := range []string{"/console/", "/console/js/api.js", "/console/missing.js", "/console"} {
		resp := get(t, h, p)
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: CSP %q lacks %q", p, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("GET %s: CSP allows inline or eval: %q", p, csp)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options = %q", p, got)
		}
		if got := resp.Header.Get("Referrer-Policy"); got != "no-referrer" {
			t.Errorf("GET %s: Referrer-Policy = %q", p, got)
		}
	}
	resp := get(t, h, "/console/js/api.js")
	etag := resp.Header.Get("ETag")
	if etag == "" || resp.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("asset ETag %q, Cache-Control %q: want an ETag and no-cache", etag, resp.Header.Get("Cache-Control"))
	}
	again := get(t, h, "/console/js/api.js", "If-None-Match", etag)
	if again.StatusCode != http.StatusNotModified || body(t, again) != "" {
		t.Fatalf("revalidation with the ETag = %d, want 304 without a body", again.StatusCode)
	}
}

func TestRedirectsAndNotFound(t *testing.T) {
	t.Parallel()
	h := serve(t)
	resp := get(t, h, "/console")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/console/" {
		t.Fatalf("GET /console = %d Location %q, want 301 to /console/", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, p := range []string{"/console/nope.js", "/console/js/", "/console/../app/app.go", "/consolex"} {
		if resp := get(t, h, p); resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusMovedPermanently {
			t.Errorf("GET %s = %d, want 404 (or mux's clean-path redirect)", p, resp.StatusCode)
		} else if resp.StatusCode == http.StatusOK {
			t.Errorf("GET %s served a file", p)
		}
	}
}

func TestNewRejectsBadAssets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"no index", fstest.MapFS{"js/main.js": {Data: []byte("x")}}, "index.html"},
		{"unknown type", fstest.MapFS{"index.html": {Data: []byte("x")}, "notes.txt": {Data: []byte("x")}}, ".txt"},
	}
	for _, tt := range tests {
		if _, err := console.New(tt.fsys); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New error = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
}

// Every file the page or a module refers to must be embedded: a missing one
// would only show as a broken page in a browser.
func TestEveryReferencedFileIsEmbedded(t *testing.T) {
	t.Parallel()
	fsys, err := console.Static()
	if err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"#:]+)"|(?:import|from)\s+'(\.[^']+)'`)
	checked := 0
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (path.Ext(name) != ".html" && path.Ext(name) != ".js") {
			return err
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		for _, m := range refs.FindAllStringSubmatch(string(text), -1) {
			ref := m[1] + m[2]
			target := path.Join(path.Dir(name), ref)
			if _, err := fs.Stat(fsys, target); err != nil {
				t.Errorf("%s refers to %s, which is not embedded", name, ref)
			}
			checked++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 20 {
		t.Fatalf("checked only %d references; the pattern no longer matches the sources", checked)
	}
}

// The page must never load anything from another host, nor carry inline
// script (the CSP would block it).
func TestAssetsStayOnThisOrigin(t *testing.T) {
	t.Parallel()
	fsys, err := console.Static()
	if err != nil {
		t.Fatal(err)
	}
	external := regexp.MustCompile(`(?i)(?:src|href)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import`)
	inline := regexp.MustCompile(`(?i)<script(?:[^>]*)>\s*[^<\s]|\son[a-z]+\s*=|style\s*=\s*"`)
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) == ".png" {
			return err
		}
		text, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		if m := external.Find(text); m != nil {
			t.Errorf("%s refers to another host: %q", name, m)
		}
		if path.Ext(name) == ".html" {
			if m := inline.Find(text); m != nil {
				t.Errorf("%s has inline script or style: %q", name, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ addr, want string }{
		{"[::]:8080", "http://localhost:8080/console/"},
		{"0.0.0.0:9000", "http://localhost:9000/console/"},
		{":8080", "http://localhost:8080/console/"},
		{"127.0.0.1:41234", "http://127.0.0.1:41234/console/"},
		{"[::1]:8080", "http://[::1]:8080/console/"},
		{"db.internal:8080", "http://db.internal:8080/console/"},
	}
	for _, tt := range tests {
		if got := console.URL(tt.addr); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
