package client

import (
	"container/heap"
	"context"
	"slices"
	"time"
)

// ExportOptions select what Export reads; nil means everything.
type ExportOptions struct {
	// Categories, when set, exports only these categories.
	Categories []string
	// Since, when set, skips messages written before it (inclusive bound).
	Since time.Time
	// Until, when set, skips messages written at or after it (exclusive).
	Until time.Time
	// FromGlobal is the first global position to export, inclusive.
	FromGlobal int64
	// PageSize is the batch size of each category read; 0 picks one that
	// keeps about 20000 messages buffered in all (10 to 1000 a category).
	PageSize int
}

// mergeBudget bounds the messages buffered across all categories.
const mergeBudget = 20000

// exportPage is how many messages Export hands on at once.
const exportPage = 1000

// Export reads the token's namespace (or opts.Categories of it) and hands
// the messages to page in ascending global position, like a backup read
// straight from the database. The protocol reads one category at a time, so
// Export pages through every category and merges them, holding at most one
// page per category. Messages written during the export may or may not be
// included. page must not keep the slice after it returns; an error from it
// stops the export and is returned.
func (c *Client) Export(ctx context.Context, opts *ExportOptions, page func([]Message) error) error {
	var o ExportOptions
	if opts != nil {
		o = *opts
	}
	cats := o.Categories
	if len(cats) == 0 {
		infos, err := c.Categories(ctx)
		if err != nil {
			return err
		}
		for _, info := range infos {
			cats = append(cats, info.Category)
		}
	}
	cats = slices.Compact(slices.Sorted(slices.Values(cats)))
	if len(cats) == 0 {
		return nil
	}
	size := o.PageSize
	if size <= 0 {
		size = min(max(mergeBudget/len(cats), 10), 1000)
	}
	m := &merge{client: c, size: size}
	for _, name := range cats {
		cur := &cursor{category: name, next: max(o.FromGlobal, 1)}
		if err := m.fill(ctx, cur); err != nil {
			return err
		}
		if len(cur.buf) > 0 {
			heap.Push(&m.heads, cur)
		}
	}
	out := make([]Message, 0, exportPage)
	for m.heads.Len() > 0 {
		msg, err := m.pop(ctx)
		if err != nil {
			return err
		}
		if !o.inTime(msg.Time) {
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

func (o ExportOptions) inTime(t time.Time) bool {
	return (o.Since.IsZero() || !t.Before(o.Since)) && (o.Until.IsZero() || t.Before(o.Until))
}

// merge holds one cursor per category that has messages left, ordered by
// the global position of their first buffered message.
type merge struct {
	client *Client
	size   int
	heads  cursors
}

// cursor is a category being read.
type cursor struct {
	category string
	buf      []Message
	next     int64 // global position of the next page
	done     bool  // the last page was short: nothing more to read
}

// pop takes the lowest buffered message, refilling its cursor.
func (m *merge) pop(ctx context.Context) (Message, error) {
	cur := m.heads[0]
	msg := cur.buf[0]
	cur.buf = cur.buf[1:]
	if err := m.fill(ctx, cur); err != nil {
		return Message{}, err
	}
	if len(cur.buf) == 0 {
		heap.Pop(&m.heads)
	} else {
		heap.Fix(&m.heads, 0)
	}
	return msg, nil
}

// fill reads the cursor's next page once its buffer is empty.
func (m *merge) fill(ctx context.Context, c *cursor) error {
	if len(c.buf) > 0 || c.done {
		return nil
	}
	msgs, err := m.client.ReadCategory(ctx, c.category, &CategoryOptions{GlobalPosition: c.next, BatchSize: m.size})
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
