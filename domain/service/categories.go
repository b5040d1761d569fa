package service

import (
	"context"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Categories reads whole categories, optionally one consumer-group member's
// share or only the messages correlated with another category.
type Categories struct {
	store  ports.MessageStore
	limits Limits
}

// NewCategories returns the category service.
func NewCategories(store ports.MessageStore, limits Limits) *Categories {
	return &Categories{store: store, limits: limits}
}

// CategoryRead is a category.get request.
type CategoryRead struct {
	Category       string
	GlobalPosition int64 // inclusive
	BatchSize      *int64
	Correlation    string
	Group          *partition.Group
	PositionsOnly  bool // leave data and metadata out (subscriptions)
}

// Get reads the category in ascending global position and hands the messages
// to page in one or more slices, each within the configured page bytes.
func (c *Categories) Get(ctx context.Context, ns string, r CategoryRead, page func([]stream.Message) error) error {
	if err := stream.ValidateName("categoryName", r.Category); err != nil {
		return err
	}
	if r.Group != nil {
		if err := r.Group.Validate(); err != nil {
			return err
		}
	}
	limit, err := stream.BatchSize(r.BatchSize, c.limits.MaxBatchSize)
	if err != nil {
		return err
	}
	q := ports.CategoryQuery{
		Category:       r.Category,
		GlobalPosition: max(r.GlobalPosition, 0), // negative: from the start
		Correlation:    r.Correlation,
		Group:          r.Group,
		ReadShape:      c.limits.shape(r.PositionsOnly),
	}
	return readPages(limit, q.MaxBytes, func(n int) ([]stream.Message, error) {
		q.Limit = n
		msgs, err := c.store.ReadCategory(ctx, ns, q)
		if err != nil || len(msgs) == 0 {
			return msgs, err
		}
		q.GlobalPosition = msgs[len(msgs)-1].GlobalPosition + 1
		return msgs, page(msgs)
	})
}
