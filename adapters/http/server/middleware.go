package server

import (
	"sort"

	"github.com/gorilla/mux"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

// Ordered returns the middleware functions sorted by Order, outermost first.
func Ordered(ms []httpapi.Middleware) []mux.MiddlewareFunc {
	sorted := append([]httpapi.Middleware(nil), ms...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Order < sorted[j].Order })
	out := make([]mux.MiddlewareFunc, 0, len(sorted))
	for _, m := range sorted {
		if m.Wrap != nil {
			out = append(out, m.Wrap)
		}
	}
	return out
}
