package client

import "context"

// Unlimited as a BatchSize reads every message at once; the server streams
// the answer, the client holds all of it. ReadAll pages instead.
const Unlimited = -1

// DefaultBatchSize is the server's batch size when none is given.
const DefaultBatchSize = 1000

// ReadOptions are the options of Read and ReadAll; nil means the defaults.
type ReadOptions struct {
	// Position is the first stream position to read, inclusive; default 0.
	Position int64
	// GlobalPosition, when above 0, skips messages below this global
	// position.
	GlobalPosition int64
	// BatchSize is the most messages to return: 0 is the server's default
	// (DefaultBatchSize), Unlimited is all of them, at most 10000 otherwise.
	// (The wire's batch size 0, an empty answer, cannot be asked for: it
	// has no use.)
	BatchSize int
}

// wireReadOptions is the options argument of stream.get and category.get;
// zero fields are left out, so the server applies its defaults.
type wireReadOptions struct {
	Position       int64          `json:"position,omitempty"`
	GlobalPosition int64          `json:"globalPosition,omitempty"`
	BatchSize      int            `json:"batchSize,omitempty"`
	Correlation    string         `json:"correlation,omitempty"`
	ConsumerGroup  *ConsumerGroup `json:"consumerGroup,omitempty"`
}

func (o *ReadOptions) wire() wireReadOptions {
	if o == nil {
		return wireReadOptions{}
	}
	return wireReadOptions{Position: o.Position, GlobalPosition: o.GlobalPosition, BatchSize: o.BatchSize}
}

// Read returns the messages of stream from opts.Position on, in position
// order: at most BatchSize of them. A stream without messages reads as an
// empty slice.
func (c *Client) Read(ctx context.Context, stream string, opts *ReadOptions) ([]Message, error) {
	page := messagePage{stream: stream}
	if err := c.call(ctx, true, &page, "stream.get", stream, opts.wire()); err != nil {
		return nil, err
	}
	return page.msgs, nil
}

// LastOptions are the options of Last; nil means none.
type LastOptions struct {
	// Type, when set, returns the last message of this type.
	Type string `json:"type,omitempty"`
}

// Last returns the last message of stream (of opts.Type, when set), or nil
// when there is none.
func (c *Client) Last(ctx context.Context, stream string, opts *LastOptions) (*Message, error) {
	args := []any{stream}
	if opts != nil && opts.Type != "" {
		args = append(args, opts)
	}
	last := oneMessage{stream: stream}
	if err := c.call(ctx, true, &last, "stream.last", args...); err != nil {
		return nil, err
	}
	return last.msg, nil
}

// StreamVersion returns the position of the last message of stream, or
// NoStream when it has none.
func (c *Client) StreamVersion(ctx context.Context, stream string) (int64, error) {
	var v *int64
	if err := c.call(ctx, true, &v, "stream.version", stream); err != nil {
		return 0, err
	}
	if v == nil {
		return NoStream, nil
	}
	return *v, nil
}
