package storetest

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// CategoryReadVariants are the shapes a category read takes, by name: the
// backends' plan tests check each.
func CategoryReadVariants() map[string]ports.CategoryQuery {
	return map[string]ports.CategoryQuery{
		"category":              {},
		"positions only":        {ReadShape: ports.ReadShape{PositionsOnly: true}},
		"correlation":           {Correlation: "flow"},
		"consumer group":        {Group: &partition.Group{Member: 1, Size: 4}},
		"group and correlation": {Correlation: "flow", Group: &partition.Group{Member: 0, Size: 2}},
	}
}

// OneLargeCategory is n messages for an import, all of category "big" (100
// streams) with correlation "flow": the statistics of such a namespace say
// any category matches most messages, the worst case for a planner asked
// about a small one.
func OneLargeCategory(n int) []stream.Message {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	meta := []byte(`{"correlationStreamName":"flow-1"}`)
	msgs := make([]stream.Message, n)
	for i := range msgs {
		msgs[i] = stream.Message{ID: uuid.NewString(), Stream: fmt.Sprintf("big-%d", i%100), Type: "T",
			Position: int64(i / 100), GlobalPosition: int64(i + 1), Data: []byte(`{}`), Metadata: meta, Time: at}
	}
	return msgs
}
