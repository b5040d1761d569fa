package client

import (
	"context"
	"iter"
)

// ReadAll iterates over the messages of stream from opts.Position on,
// reading a page of opts.BatchSize (default DefaultBatchSize) messages at a
// time, until the stream's end as it was when the last page was read. It
// stops at the first error, which it yields with a zero Message.
//
//	for m, err := range c.ReadAll(ctx, "account-1", nil) {
//		if err != nil { return err }
//		…
//	}
func (c *Client) ReadAll(ctx context.Context, stream string, opts *ReadOptions) iter.Seq2[Message, error] {
	o := ReadOptions{}
	if opts != nil {
		o = *opts
	}
	return paged(o.BatchSize, func(size int) ([]Message, error) {
		o.BatchSize = size
		msgs, err := c.Read(ctx, stream, &o)
		if len(msgs) > 0 {
			o.Position = msgs[len(msgs)-1].Position + 1
		}
		return msgs, err
	})
}

// ReadCategoryAll iterates over the messages of category from
// opts.GlobalPosition on, in global order, a page at a time like ReadAll.
func (c *Client) ReadCategoryAll(ctx context.Context, category string, opts *CategoryOptions) iter.Seq2[Message, error] {
	o := CategoryOptions{}
	if opts != nil {
		o = *opts
	}
	return paged(o.BatchSize, func(size int) ([]Message, error) {
		o.BatchSize = size
		msgs, err := c.ReadCategory(ctx, category, &o)
		if len(msgs) > 0 {
			o.GlobalPosition = msgs[len(msgs)-1].GlobalPosition + 1
		}
		return msgs, err
	})
}

// paged yields the pages next returns until one comes back short. size is
// the page size asked for (0: the default; Unlimited: one page of all).
func paged[T any](size int, next func(size int) ([]T, error)) iter.Seq2[T, error] {
	if size == 0 {
		size = DefaultBatchSize
	}
	return func(yield func(T, error) bool) {
		for {
			page, err := next(size)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, v := range page {
				if !yield(v, nil) {
					return
				}
			}
			if size == Unlimited || len(page) < size {
				return
			}
		}
	}
}
