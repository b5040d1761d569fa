package transfer

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/eventodb/eventodb/adapters/http/importer"
)

// Sink imports NDJSON records. It returns how many it imported and, when it
// stopped early, an error: an *importer.Failure names the refused line.
type Sink interface {
	Import(ctx context.Context, r io.Reader, progress func(importer.Progress) error) (int64, error)
}

// StoreSink imports into namespace Namespace of a store.
type StoreSink struct {
	Loader    *importer.Loader
	Namespace string
	Force     bool // empty the namespace first
	Groups    bool // restore group lines (the Loader must have a restorer)
}

// Import loads r straight into the store.
func (s StoreSink) Import(ctx context.Context, r io.Reader, progress func(importer.Progress) error) (int64, error) {
	if s.Force {
		if _, err := s.Loader.Clear(ctx, s.Namespace); err != nil {
			return 0, fmt.Errorf("empty the namespace before the import: %w", err)
		}
	}
	if s.Groups {
		return s.Loader.LoadWithGroups(ctx, s.Namespace, r, progress)
	}
	return s.Loader.Load(ctx, s.Namespace, r, progress)
}

// RemoteSink imports into the namespace of a client's token with POST /import.
type RemoteSink struct {
	Client *Client
	Force  bool // empty the namespace first (POST /import?force=true)
	Groups bool // restore group lines (POST /import?groups=true)
}

// Import streams r to the server and follows its progress events. It
// returns as soon as the server reports a failure, abandoning the upload.
func (s RemoteSink) Import(ctx context.Context, r io.Reader, progress func(importer.Progress) error) (int64, error) {
	q := url.Values{}
	if s.Force {
		q.Set("force", "true")
	}
	if s.Groups {
		q.Set("groups", "true")
	}
	path := "/import"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	resp, err := s.Client.post(ctx, path, "application/x-ndjson", r, true)
	if err != nil {
		return 0, fmt.Errorf("import: %w", err)
	}
	defer resp.Body.Close()
	var imported int64
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue // blank separators, comments
		}
		var ev struct {
			Imported int64  `json:"imported"`
			GPos     int64  `json:"gpos"`
			Done     bool   `json:"done"`
			Code     string `json:"error"`
			Message  string `json:"message"`
			Line     int64  `json:"line"`
		}
		if err := json.Unmarshal([]byte(data), &ev); err != nil {
			return imported, fmt.Errorf("import: the server sent an unreadable event %q: %w", data, err)
		}
		switch {
		case ev.Code != "":
			return imported, &importer.Failure{Code: ev.Code, Message: ev.Message, Line: ev.Line}
		case ev.Done:
			return ev.Imported, nil
		}
		imported = ev.Imported
		if progress != nil {
			if err := progress(importer.Progress{Imported: ev.Imported, GPos: ev.GPos}); err != nil {
				return imported, err
			}
		}
	}
	if err := sc.Err(); err != nil {
		return imported, fmt.Errorf("import: reading the server's answer: %w", err)
	}
	return imported, errors.New("import: the server ended the answer without saying it was done")
}
