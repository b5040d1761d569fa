package memory

import (
	"context"
	"slices"
	"sort"
	"strings"

	"github.com/eventodb/eventodb/ports"
)

// ListStreams pages through the sorted stream names from the later of the
// cursor and the prefix, as the SQL stores page through their primary key.
func (s *Store) ListStreams(ctx context.Context, ns string, q ports.StreamListQuery) ([]ports.StreamInfo, error) {
	out := []ports.StreamInfo{}
	err := s.read(ctx, ns, func(sp *space) error {
		sp.namesMu.Lock()
		defer sp.namesMu.Unlock()
		names := sp.sortedNames()
		start := max(sort.SearchStrings(names, q.Prefix), upperBound(names, q.After))
		for _, name := range names[start:] {
			if len(out) >= q.Limit || !strings.HasPrefix(name, q.Prefix) {
				break
			}
			st := sp.streams[name]
			out = append(out, ports.StreamInfo{Stream: name, Version: st.version(), LastActivity: st.lastTime})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// upperBound is the index of the first of names (sorted) greater than s.
func upperBound(names []string, s string) int {
	return sort.Search(len(names), func(i int) bool { return names[i] > s })
}

// sortedNames merges the names of streams created since the last call into
// the sorted list and returns it; sp.namesMu and sp.mu (read) must be held.
// Sorting when the catalog is asked, not on every new stream, keeps appends
// to new streams O(1); the catalog pays once for the streams created since.
func (sp *space) sortedNames() []string {
	if len(sp.unsorted) == 0 {
		return sp.names
	}
	slices.Sort(sp.unsorted)
	merged := make([]string, 0, len(sp.names)+len(sp.unsorted))
	i, j := 0, 0
	for i < len(sp.names) && j < len(sp.unsorted) {
		if sp.unsorted[j] < sp.names[i] {
			merged = append(merged, sp.unsorted[j])
			j++
		} else {
			merged = append(merged, sp.names[i])
			i++
		}
	}
	merged = append(merged, sp.names[i:]...)
	sp.names = append(merged, sp.unsorted[j:]...)
	sp.unsorted = nil
	return sp.names
}

// Categories reads the category index: a cost of the number of categories,
// not of messages.
func (s *Store) Categories(ctx context.Context, ns string) ([]ports.CategoryInfo, error) {
	out := []ports.CategoryInfo{}
	err := s.read(ctx, ns, func(sp *space) error {
		for name, cat := range sp.categories {
			out = append(out, ports.CategoryInfo{Category: name, StreamCount: cat.streams, MessageCount: int64(len(cat.entries))})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b ports.CategoryInfo) int { return strings.Compare(a.Category, b.Category) })
	return out, nil
}

// Stats reads the namespace's counters.
func (s *Store) Stats(ctx context.Context, ns string) (ports.NamespaceStats, error) {
	var st ports.NamespaceStats
	err := s.read(ctx, ns, func(sp *space) error {
		st = sp.stats()
		return nil
	})
	return st, err
}

// stats are the namespace's figures; sp.mu must be held.
func (sp *space) stats() ports.NamespaceStats {
	st := ports.NamespaceStats{MessageCount: int64(len(sp.log)), StreamCount: int64(len(sp.streams))}
	if len(sp.log) > 0 {
		last := sp.lastActivity
		st.LastActivity = &last
	}
	return st
}
