package storetest

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

func msg(typ string, data any) stream.Proposed {
	raw, _ := json.Marshal(data)
	return stream.Proposed{ID: uuid.NewString(), Type: typ, Data: raw}
}

func appendOne(t *testing.T, s ports.MessageStore, ns, streamName string, m stream.Proposed) stream.Appended {
	t.Helper()
	res, err := s.Append(context.Background(), ns, stream.Append{Stream: streamName, Messages: []stream.Proposed{m}})
	if err != nil {
		t.Fatalf("append to %s: %v", streamName, err)
	}
	return res
}

func readAll(t *testing.T, s ports.MessageStore, ns, streamName string) []stream.Message {
	t.Helper()
	msgs, err := s.ReadStream(context.Background(), ns, ports.StreamQuery{Stream: streamName, Limit: 100000})
	if err != nil {
		t.Fatalf("read %s: %v", streamName, err)
	}
	return msgs
}

func readCategory(t *testing.T, s ports.MessageStore, ns string, q ports.CategoryQuery) []stream.Message {
	t.Helper()
	if q.Limit == 0 {
		q.Limit = 100000
	}
	msgs, err := s.ReadCategory(context.Background(), ns, q)
	if err != nil {
		t.Fatalf("read category %s: %v", q.Category, err)
	}
	return msgs
}

func jsonEqual(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("stored JSON %q does not parse: %v", got, err)
	}
	_ = json.Unmarshal([]byte(want), &w)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("JSON = %s, want %s", got, want)
	}
}
