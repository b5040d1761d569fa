package transfer

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/client"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/service"
)

// Sink imports NDJSON records. It returns how many it imported and, when it
// stopped early, an error: an *interchange.Failure names the refused line.
type Sink interface {
	Import(ctx context.Context, r io.Reader, progress func(interchange.Progress) error) (int64, error)
}

// StoreSink imports into namespace Namespace of a store, through the import
// use case.
type StoreSink struct {
	Imports   *service.Imports
	Namespace string
	Force     bool // empty the namespace first
	Groups    bool // restore group lines (Imports must have a restorer)
}

// Import loads r straight into the store.
func (s StoreSink) Import(ctx context.Context, r io.Reader, progress func(interchange.Progress) error) (int64, error) {
	if s.Force {
		if _, err := s.Imports.Clear(ctx, s.Namespace); err != nil {
			return 0, fmt.Errorf("empty the namespace before the import: %w", err)
		}
	}
	if s.Groups {
		return s.Imports.LoadWithGroups(ctx, s.Namespace, r, progress)
	}
	return s.Imports.Load(ctx, s.Namespace, r, progress)
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
func (s RemoteSink) Import(ctx context.Context, r io.Reader, progress func(interchange.Progress) error) (int64, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var imported int64
	var stopped error // progress's error, which cancels the import
	res, err := s.Client.Import(ctx, r, &client.ImportOptions{Force: s.Force, Groups: s.Groups}, func(p client.ImportProgress) {
		imported = p.Imported
		if progress != nil && stopped == nil {
			if stopped = progress(interchange.Progress{Imported: p.Imported, GPos: p.GlobalPosition}); stopped != nil {
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
		// The server's refusal, in the wire's terms as the server sent it.
		return refused.Imported, &interchange.Failure{Line: refused.Line, Err: httpapi.NewError(refused.Code, refused.Message)}
	}
	return imported, err
}
