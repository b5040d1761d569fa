package transfer

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/eventodb/eventodb/domain/stream"
)

// CategoryPage reads up to n messages of category from global position from
// on (category.get).
func (c *Client) CategoryPage(ctx context.Context, category string, from int64, n int) ([]stream.Message, error) {
	var rows [][]json.RawMessage
	opts := map[string]any{"position": from, "batchSize": n}
	if err := c.call(ctx, &rows, "category.get", category, opts); err != nil {
		return nil, err
	}
	msgs := make([]stream.Message, len(rows))
	for i, row := range rows {
		m, err := decodeCategoryRow(row)
		if err != nil {
			return nil, fmt.Errorf("category.get %s: %w", category, err)
		}
		msgs[i] = m
	}
	return msgs, nil
}

// decodeCategoryRow reads [id, streamName, type, position, globalPosition,
// data, metadata, time].
func decodeCategoryRow(row []json.RawMessage) (stream.Message, error) {
	if len(row) != 8 {
		return stream.Message{}, errShortRow
	}
	var m stream.Message
	var at string
	for i, dst := range []any{&m.ID, &m.Stream, &m.Type, &m.Position, &m.GlobalPosition} {
		if err := json.Unmarshal(row[i], dst); err != nil {
			return stream.Message{}, errShortRow
		}
	}
	if err := json.Unmarshal(row[7], &at); err != nil {
		return stream.Message{}, errShortRow
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return stream.Message{}, fmt.Errorf("message %d has time %q: %w", m.GlobalPosition, at, err)
	}
	m.Time = t.UTC()
	m.Data = []byte(row[5])
	if string(row[6]) != "null" {
		m.Metadata = []byte(row[6])
	}
	return m, nil
}
