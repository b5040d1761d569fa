package transfer

import (
	"container/heap"
	"context"
	"slices"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// RemoteSource exports the namespace of a client's token through the RPC API,
// which reads one category at a time: it pages through every category with
// category.get and merges them, so the export is in global order like a store
// export. It holds at most one page per category (pages shrink as categories
// grow in number). Time bounds are applied to what it reads. Messages written
// during the export may or may not be included.
type RemoteSource struct {
	Client *Client
	// PageSize is the batchSize of each category.get; 0 picks one that keeps
	// about 20000 messages buffered in all (10 to 1000 per category).
	PageSize int
}

// mergeBudget bounds the messages buffered across all categories.
const mergeBudget = 20000

// Export reads q's categories (every category when none) and hands the
// messages on in ascending global position.
func (s RemoteSource) Export(ctx context.Context, q ports.ExportQuery, page func([]stream.Message) error) error {
	cats := q.Categories
	if len(cats) == 0 {
		var err error
		if cats, err = s.Client.Categories(ctx); err != nil {
			return err
		}
	}
	cats = slices.Compact(slices.Sorted(slices.Values(cats)))
	if len(cats) == 0 {
		return nil
	}
	size := s.PageSize
	if size <= 0 {
		size = min(max(mergeBudget/len(cats), 10), 1000)
	}
	m := &merge{client: s.Client, size: size}
	for _, c := range cats {
		cur := &cursor{category: c, next: max(q.FromGlobal, 1)}
		if err := m.fill(ctx, cur); err != nil {
			return err
		}
		if len(cur.buf) > 0 {
			heap.Push(&m.heads, cur)
		}
	}
	out := make([]stream.Message, 0, 1000)
	for m.heads.Len() > 0 {
		cur := m.heads[0]
		msg := cur.buf[0]
		cur.buf = cur.buf[1:]
		if err := m.fill(ctx, cur); err != nil {
			return err
		}
		if len(cur.buf) == 0 {
			heap.Pop(&m.heads)
		} else {
			heap.Fix(&m.heads, 0)
		}
		if !inTime(msg, q) {
			continue
		}
		out = append(out, msg)
		if len(out) == cap(out) {
			if err := page(out); err != nil {
				return err
			}
			out = out[:0]
		}
	}
	if len(out) == 0 {
		return nil
	}
	return page(out)
}

func inTime(m stream.Message, q ports.ExportQuery) bool {
	return (q.Since == nil || !m.Time.Before(*q.Since)) && (q.Until == nil || m.Time.Before(*q.Until))
}

// merge holds one cursor per category that has messages left, ordered by the
// global position of their first buffered message.
type merge struct {
	client *Client
	size   int
	heads  cursors
}

// cursor is a category being read.
type cursor struct {
	category string
	buf      []stream.Message
	next     int64 // global position of the next page
	done     bool  // the last page was short: nothing more to read
}

// fill reads the cursor's next page once its buffer is empty.
func (m *merge) fill(ctx context.Context, c *cursor) error {
	if len(c.buf) > 0 || c.done {
		return nil
	}
	msgs, err := m.client.CategoryPage(ctx, c.category, c.next, m.size)
	if err != nil {
		return err
	}
	c.buf, c.done = msgs, len(msgs) < m.size
	if len(msgs) > 0 {
		c.next = msgs[len(msgs)-1].GlobalPosition + 1
	}
	return nil
}

// cursors is a min-heap of cursors with non-empty buffers.
type cursors []*cursor

func (h cursors) Len() int           { return len(h) }
func (h cursors) Less(i, j int) bool { return h[i].buf[0].GlobalPosition < h[j].buf[0].GlobalPosition }
func (h cursors) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *cursors) Push(x any)        { *h = append(*h, x.(*cursor)) }
func (h *cursors) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
