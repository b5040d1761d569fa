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
	q, limit, err := c.query(r)
	if err != nil {
		return err
	}
	return readPages(limit, q.MaxBytes, func(n int) (ports.Scanned, error) {
		q.Limit = n
		msgs, err := c.store.ReadCategory(ctx, ns, q)
		if err != nil || len(msgs) == 0 {
			return ports.Scanned{}, err
		}
		q.GlobalPosition = msgs[len(msgs)-1].GlobalPosition + 1
		return scanned(msgs), page(msgs)
	})
}

// Scan reads like Get but hands each message to visit as it is read, without
// copies when the store can (ports.Scanner): the message's Data and Metadata
// are valid only during the call.
func (c *Categories) Scan(ctx context.Context, ns string, r CategoryRead, visit func(*stream.Message) error) error {
	q, limit, err := c.query(r)
	if err != nil {
		return err
	}
	scanner, _ := c.store.(ports.Scanner)
	return readPages(limit, q.MaxBytes, func(n int) (ports.Scanned, error) {
		q.Limit = n
		last := int64(-1)
		track := func(m *stream.Message) error { last = m.GlobalPosition; return visit(m) }
		var got ports.Scanned
		if scanner != nil {
			got, err = scanner.ScanCategory(ctx, ns, q, track)
		} else {
			var msgs []stream.Message
			if msgs, err = c.store.ReadCategory(ctx, ns, q); err == nil {
				got, err = scanned(msgs), visitAll(msgs, track)
			}
		}
		if got.Count > 0 {
			q.GlobalPosition = last + 1
		}
		return got, err
	})
}

// query validates r and returns its store query and batch limit.
func (c *Categories) query(r CategoryRead) (ports.CategoryQuery, int, error) {
	if err := stream.ValidateName("categoryName", r.Category); err != nil {
		return ports.CategoryQuery{}, 0, err
	}
	if r.Group != nil {
		if err := r.Group.Validate(); err != nil {
			return ports.CategoryQuery{}, 0, err
		}
	}
	limit, err := stream.BatchSize(r.BatchSize, c.limits.MaxBatchSize)
	if err != nil {
		return ports.CategoryQuery{}, 0, err
	}
	return ports.CategoryQuery{
		Category:       r.Category,
		GlobalPosition: max(r.GlobalPosition, 0), // negative: from the start
		Correlation:    r.Correlation,
		Group:          r.Group,
		ReadShape:      c.limits.shape(r.PositionsOnly),
	}, limit, nil
}
