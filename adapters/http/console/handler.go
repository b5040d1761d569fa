package console

import (
	"bytes"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

// Prefix is where the console lives; its files are under Prefix + "/".
const Prefix = "/console"

const indexFile = "index.html"

// Handler serves the console's files under Prefix + "/". Safe for concurrent
// use.
type Handler struct {
	files map[string]asset
}

// New reads the console's files from fsys (Static for the embedded ones).
// Every file needs a known extension, and index.html must exist.
func New(fsys fs.FS) (*Handler, error) {
	files, err := loadAssets(fsys)
	if err != nil {
		return nil, err
	}
	return &Handler{files: files}, nil
}

// ServeHTTP answers Prefix + "/" (the page) and Prefix + "/<file>";
// anything else under the prefix is 404.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	name, ok := strings.CutPrefix(r.URL.Path, Prefix+"/")
	if !ok {
		http.NotFound(w, r)
		return
	}
	if name == "" {
		name = indexFile
	}
	a, ok := h.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", a.contentType)
	hdr.Set("ETag", a.etag)
	// Names carry no content hash, so browsers revalidate every time; the
	// ETag makes that a 304 without a body.
	hdr.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(a.body))
}

// Redirect sends GET Prefix to Prefix + "/", so the page's relative asset
// paths resolve under the prefix.
func Redirect() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header())
		http.Redirect(w, r, Prefix+"/", http.StatusMovedPermanently)
	})
}
