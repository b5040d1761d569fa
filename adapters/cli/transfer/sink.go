package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/eventodb/eventodb/adapters/http/importer"
	"github.com/eventodb/eventodb/client"
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
	Client *client.Client
	Force  bool // empty the namespace first (POST /import?force=true)
	Groups bool // restore group lines (POST /import?groups=true)
}

// Import streams r to the server and follows its progress. It returns as
// soon as the server reports a failure, abandoning the upload; an error of
// progress stops the import too.
func (s RemoteSink) Import(ctx context.Context, r io.Reader, progress func(importer.Progress) error) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var imported int64
	var stopped error // progress's error, which cancels the import
	res, err := s.Client.Import(ctx, r, &client.ImportOptions{Force: s.Force, Groups: s.Groups}, func(p client.ImportProgress) {
		imported = p.Imported
		if progress != nil && stopped == nil {
			if stopped = progress(importer.Progress{Imported: p.Imported, GPos: p.GlobalPosition}); stopped != nil {
				cancel()
			}
		}
	})
	var refused *client.ImportError
	switch {
	case err == nil:
		return res.Imported, nil
	case stopped != nil:
		return imported, stopped
	case errors.As(err, &refused):
		return refused.Imported, &importer.Failure{Code: refused.Code, Message: refused.Message, Line: refused.Line}
	}
	return imported, err
}
