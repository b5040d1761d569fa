package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// ImportOptions are the options of Import; nil means none.
type ImportOptions struct {
	// Force empties the namespace before the import: a restore over old
	// data. Destructive: every message of the namespace is deleted.
	Force bool
	// Groups restores the consumer groups and checkpoints of the file's
	// group lines (written by an export with groups); otherwise the server
	// skips them.
	Groups bool
}

// ImportProgress follows each batch the server committed.
type ImportProgress struct {
	// Imported is the number of records stored so far.
	Imported int64 `json:"imported"`
	// GlobalPosition is the highest global position among them.
	GlobalPosition int64 `json:"gpos"`
}

// ImportResult is the outcome of a whole import.
type ImportResult struct {
	// Imported is the number of records stored.
	Imported int64
	// Elapsed is the server's time for the import.
	Elapsed time.Duration
}

// ImportError is a record the server refused, which stopped the import:
// the records before its line are stored, none after. errors.Is matches it
// with the value of its code (ErrPositionExists, ErrDuplicateID,
// ErrInvalidJSON, ErrImportFailed).
type ImportError struct {
	// Line is the 1-based line of the refused record (the first line of
	// its batch when the whole batch failed).
	Line int64
	// Code is the wire code, e.g. CodePositionExists.
	Code string
	// Message is the server's explanation.
	Message string
	// Imported is how many records were reported stored before it.
	Imported int64
}

func (e *ImportError) Error() string {
	return fmt.Sprintf("import stopped at line %d: %s: %s", e.Line, e.Code, e.Message)
}

// Is reports whether target is the Err… value of e's code.
func (e *ImportError) Is(target error) bool {
	s, ok := sentinels[e.Code]
	return ok && s == target
}

// importEvent is any event of an import's answer.
type importEvent struct {
	ImportProgress
	Done    bool   `json:"done"`
	Elapsed string `json:"elapsed"`
	Code    string `json:"error"`
	Message string `json:"message"`
	Line    int64  `json:"line"`
}

// Import streams NDJSON records (the format of Export and ExportTo, one
// {"id","stream","type","pos","gpos","data","meta","time"} a line) to
// POST /import of the token's namespace, keeping ids and positions.
// progress, when not nil, is called after each committed batch. A refused
// record is an *ImportError; the upload stops there. Imports are never
// retried: r cannot be read twice. When ctx ends, Import returns even if r
// is stuck in Read; a goroutine then stays in that Read until it returns.
func (c *Client) Import(ctx context.Context, r io.Reader, opts *ImportOptions, progress func(ImportProgress)) (ImportResult, error) {
	path := "/import"
	if opts != nil {
		q := url.Values{}
		if opts.Force {
			q.Set("force", "true")
		}
		if opts.Groups {
			q.Set("groups", "true")
		}
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
	}
	src := newUpload(ctx, r)
	defer src.close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, src.body)
	if err != nil {
		return ImportResult{}, opError("import", err)
	}
	c.setHeaders(req.Header, "application/x-ndjson")
	// A refused token or namespace is answered before the body is sent.
	req.Header.Set("Expect", "100-continue")
	resp, err := c.http.Do(req)
	if err != nil {
		return ImportResult{}, opError("import", src.or(ctxOr(ctx, err)))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return ImportResult{}, opError("import", readError(resp))
	}
	var imported int64
	events := newSSEReader(resp.Body, nil)
	for {
		raw, err := events.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = errors.New("the server ended the answer without saying the import was done")
			}
			return ImportResult{Imported: imported}, opError("import", src.or(ctxOr(ctx, err)))
		}
		var ev importEvent
		if err := json.Unmarshal(raw.data, &ev); err != nil {
			return ImportResult{Imported: imported}, opError("import", &protocolError{err: fmt.Errorf("event %q: %w", raw.data, err)})
		}
		switch {
		case ev.Code != "":
			return ImportResult{Imported: imported}, opError("import", &ImportError{Line: ev.Line, Code: ev.Code, Message: ev.Message, Imported: imported})
		case ev.Done:
			d, _ := time.ParseDuration(ev.Elapsed)
			return ImportResult{Imported: ev.Imported, Elapsed: d}, nil
		}
		imported = ev.Imported
		if progress != nil {
			progress(ev.ImportProgress)
		}
	}
}

// ctxOr returns ctx's error when it ended, instead of err: the broken pipe
// or connection that a canceled request leaves says less.
func ctxOr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}
