package bunstore

import (
	"slices"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/ports"
)

// A page of streams bounds the name from below once, by the tighter of the
// cursor and the prefix: with two lower bounds SQLite ranged over the first
// (the cursor, "" on a first page) and read every name below the prefix.
func TestStreamsPageQueryHasOneLowerBound(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		q     ports.StreamListQuery
		lower string // the query's lower bound
		args  []any
	}{
		{"first page", ports.StreamListQuery{Limit: 10}, "name > ?", []any{"", 10}},
		{"next page", ports.StreamListQuery{After: "b", Limit: 10}, "name > ?", []any{"b", 10}},
		{"prefix, first page", ports.StreamListQuery{Prefix: "user-", Limit: 10}, "name >= ?", []any{"user-", "user-\U0010FFFF", 10}},
		{"prefix, cursor before it", ports.StreamListQuery{Prefix: "user-", After: "order-9", Limit: 10}, "name >= ?", []any{"user-", "user-\U0010FFFF", 10}},
		{"prefix, cursor inside it", ports.StreamListQuery{Prefix: "user-", After: "user-1", Limit: 10}, "name > ?", []any{"user-1", "user-\U0010FFFF", 10}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			query, args := streamsPageQuery("streams", tt.q)
			lowers := strings.Count(query, "name > ?") + strings.Count(query, "name >= ?")
			if lowers != 1 || !strings.Contains(query, tt.lower) || !slices.Equal(args, tt.args) {
				t.Fatalf("query %q %v, want one lower bound %q and arguments %v", query, args, tt.lower, tt.args)
			}
		})
	}
}
