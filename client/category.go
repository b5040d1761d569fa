package client

import "context"

// ConsumerGroup names one member of a consumer group: the category's
// streams are split among Size members, numbered 0 to Size-1, by a hash of
// their cardinal id (Message DB's rule, PROTOCOL.md §1), so each stream's
// messages go to exactly one member, in order.
type ConsumerGroup struct {
	// Member is this reader's number, 0 to Size-1.
	Member int64 `json:"member"`
	// Size is the number of members.
	Size int64 `json:"size"`
}

// CategoryOptions are the options of ReadCategory and ReadCategoryAll; nil
// means the defaults.
type CategoryOptions struct {
	// GlobalPosition is the first global position to read, inclusive;
	// default 0, the start.
	GlobalPosition int64
	// BatchSize is as in ReadOptions.
	BatchSize int
	// Correlation, when set, reads only messages whose
	// metadata.correlationStreamName lies in this category.
	Correlation string
	// ConsumerGroup, when set, reads only this member's share.
	ConsumerGroup *ConsumerGroup
}

func (o *CategoryOptions) wire() wireReadOptions {
	if o == nil {
		return wireReadOptions{}
	}
	// category.get's "position" is a global position; older servers know
	// only that key.
	return wireReadOptions{Position: o.GlobalPosition, BatchSize: o.BatchSize, Correlation: o.Correlation, ConsumerGroup: o.ConsumerGroup}
}

// ReadCategory returns the messages of the streams of category (e.g.
// "account" for account-1, account-2, …) in global order from
// opts.GlobalPosition on: at most BatchSize of them. To page on, read again
// from the last message's GlobalPosition + 1, or use ReadCategoryAll.
func (c *Client) ReadCategory(ctx context.Context, category string, opts *CategoryOptions) ([]Message, error) {
	page := messagePage{category: true}
	if err := c.call(ctx, true, &page, "category.get", category, opts.wire()); err != nil {
		return nil, err
	}
	return page.msgs, nil
}
