package importer

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/stream"
)

// forceParam reads ?force=true, with which the existing EventoDB CLI's
// import --force asks to empty the namespace before the import.
func forceParam(r *http.Request) (bool, error) {
	return boolParam(r, "force")
}

// loadFor picks the load ?groups= asks for: Load, or LoadWithGroups, which
// restores the lines of durable consumer groups.
func (h *Handler) loadFor(r *http.Request) (func(context.Context, string, io.Reader, func(interchange.Progress) error) (int64, error), error) {
	groups, err := boolParam(r, "groups")
	if err != nil {
		return nil, err
	}
	if groups {
		return h.imports.LoadWithGroups, nil
	}
	return h.imports.Load, nil
}

// boolParam reads the query parameter name: false when absent, an
// INVALID_REQUEST error when it is not a boolean.
func boolParam(r *http.Request, name string) (bool, error) {
	raw := r.URL.Query().Get(name)
	if raw == "" {
		return false, nil
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		return false, stream.Invalidf(name, "must be true or false, got %q", raw)
	}
	return v, nil
}
