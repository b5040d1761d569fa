package console

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"strings"
)

//go:embed static
var embedded embed.FS

// Static returns the console's embedded files, rooted at the directory
// holding index.html.
func Static() (fs.FS, error) {
	return fs.Sub(embedded, "static")
}

// asset is one file, read once: the console is small and never changes
// while the server runs.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// contentTypes are the types the console's files are served with. A file
// with another extension is refused at start, so nothing is ever sent with a
// guessed type (the responses also say nosniff).
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".json": "application/json",
}

// loadAssets reads every file of fsys, keyed by its slash-separated path.
func loadAssets(fsys fs.FS) (map[string]asset, error) {
	files := map[string]asset{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ext := strings.ToLower(path.Ext(name))
		ctype, ok := contentTypes[ext]
		if !ok {
			return fmt.Errorf("console: %s: no content type for %q files", name, ext)
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		files[name] = asset{body: body, contentType: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if _, ok := files[indexFile]; !ok {
		return nil, fmt.Errorf("console: no %s among the assets", indexFile)
	}
	return files, nil
}
