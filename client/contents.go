package client

import (
	"context"
	"iter"
	"time"
)

// StreamInfo is one stream of Streams.
type StreamInfo struct {
	// Stream is its name.
	Stream string `json:"stream"`
	// Version is the position of its last message.
	Version int64 `json:"version"`
	// LastActivity is when its last message was written, in UTC.
	LastActivity time.Time `json:"lastActivity"`
}

// CategoryInfo is one category of Categories.
type CategoryInfo struct {
	// Category is its name.
	Category string `json:"category"`
	// StreamCount is how many streams it has.
	StreamCount int64 `json:"streamCount"`
	// MessageCount is how many messages its streams hold.
	MessageCount int64 `json:"messageCount"`
}

// StreamsOptions are the options of Streams; nil means the defaults.
type StreamsOptions struct {
	// Prefix, when set, lists only the streams whose names start with it.
	Prefix string `json:"prefix,omitempty"`
	// Limit is the most streams to return: 0 is the server's default (100),
	// at most 1000.
	Limit int `json:"limit,omitempty"`
	// Cursor, when set, lists only the names after it: pass the last name
	// of a page to get the next page.
	Cursor string `json:"cursor,omitempty"`
}

// Streams lists one page of the streams of the token's namespace, sorted by
// name. StreamsAll pages through all of them.
func (c *Client) Streams(ctx context.Context, opts *StreamsOptions) ([]StreamInfo, error) {
	var args []any
	if opts != nil {
		args = append(args, opts)
	}
	var out []StreamInfo
	if err := c.call(ctx, true, &out, "ns.streams", args...); err != nil {
		return nil, err
	}
	return out, nil
}

// streamsPage is the page size of StreamsAll, the server's largest.
const streamsPage = 1000

// StreamsAll iterates over the streams of the token's namespace whose names
// start with prefix ("" for all), sorted by name, a page at a time. It stops
// at the first error, which it yields with a zero StreamInfo.
func (c *Client) StreamsAll(ctx context.Context, prefix string) iter.Seq2[StreamInfo, error] {
	o := StreamsOptions{Prefix: prefix}
	return paged(streamsPage, func(size int) ([]StreamInfo, error) {
		o.Limit = size
		page, err := c.Streams(ctx, &o)
		if len(page) > 0 {
			o.Cursor = page[len(page)-1].Stream
		}
		return page, err
	})
}

// Categories lists the categories of the token's namespace, sorted by name.
func (c *Client) Categories(ctx context.Context) ([]CategoryInfo, error) {
	var out []CategoryInfo
	if err := c.call(ctx, true, &out, "ns.categories"); err != nil {
		return nil, err
	}
	return out, nil
}
