package memory

import (
	"context"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

const (
	// exportPage is how many messages one page of an export holds.
	exportPage = 1000
	// exportScan bounds the entries one page looks at under the namespace's
	// lock, so a selective export does not hold up appends for long.
	exportScan = 16 * exportPage
	// exportBytes ends a page early when its messages are large.
	exportBytes = 8 << 20
)

// Export hands the selected messages to page by ascending global position,
// one page at a time. Each page is read under the namespace's read lock and
// handed over outside it: a slow page function never blocks appends. With
// categories it merges their indexes instead of scanning the whole log.
func (s *Store) Export(ctx context.Context, ns string, q ports.ExportQuery, page func([]stream.Message) error) error {
	next := max(q.FromGlobal, 1)
	for {
		msgs, after, done, err := s.exportPage(ctx, ns, q, next)
		if err != nil {
			return err
		}
		if len(msgs) > 0 {
			if err := page(msgs); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
		next = after
	}
}

// exportPage reads the next page from global position from. It returns where
// the following page starts, and done when nothing is left after this one.
func (s *Store) exportPage(ctx context.Context, ns string, q ports.ExportQuery, from int64) ([]stream.Message, int64, bool, error) {
	out := make([]stream.Message, 0, exportPage)
	size := 0
	next, done := from, true
	err := s.read(ctx, ns, func(sp *space) error {
		sources := sp.exportSources(q.Categories)
		heads := make([]int, len(sources))
		for i, src := range sources {
			heads[i] = fromGlobal(src, from)
		}
		for scanned := 0; ; scanned++ {
			best := -1
			for i, src := range sources {
				if heads[i] < len(src) && (best < 0 || src[heads[i]].msg.GlobalPosition < sources[best][heads[best]].msg.GlobalPosition) {
					best = i
				}
			}
			if best < 0 {
				return nil // done
			}
			if len(out) == exportPage || scanned == exportScan || size >= exportBytes {
				next, done = sources[best][heads[best]].msg.GlobalPosition, false
				return nil
			}
			e := sources[best][heads[best]]
			heads[best]++
			if inTimeRange(e, q) {
				out = append(out, e.message())
				size += ports.PayloadBytes(&out[len(out)-1])
			}
		}
	})
	return out, next, done, err
}

// exportSources are the indexes an export reads: the log, or each named
// category's, once.
func (sp *space) exportSources(categories []string) [][]*entry {
	if len(categories) == 0 {
		return [][]*entry{sp.log}
	}
	seen := map[string]bool{}
	var sources [][]*entry
	for _, name := range categories {
		if cat := sp.categories[name]; cat != nil && !seen[name] {
			seen[name] = true
			sources = append(sources, cat.entries)
		}
	}
	return sources
}

// inTimeRange compares in microseconds, the precision times are stored with.
func inTimeRange(e *entry, q ports.ExportQuery) bool {
	t := e.msg.Time.UnixMicro()
	return (q.Since == nil || t >= q.Since.UnixMicro()) && (q.Until == nil || t < q.Until.UnixMicro())
}
