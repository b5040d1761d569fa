package service_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// categoryMessages interleaves n messages over streams cat-0..cat-9 with
// global positions 1..n, plus messages of another category.
func categoryMessages(n int) []stream.Message {
	out := make([]stream.Message, 0, n+n/10)
	pos := map[string]int64{}
	g := int64(1)
	for i := range n {
		name := fmt.Sprintf("cat-%d", i%10)
		out = append(out, stream.Message{Stream: name, Type: "T", Position: pos[name], GlobalPosition: g, Data: []byte(`{}`)})
		pos[name]++
		g++
		if i%10 == 0 {
			out = append(out, stream.Message{Stream: "other-1", Type: "T", GlobalPosition: g, Data: []byte(`{}`)})
			g++
		}
	}
	return out
}

func TestCategoriesGetUnlimitedPagesThroughEverything(t *testing.T) {
	t.Parallel()
	store := &fakeStore{msgs: categoryMessages(2345)}
	svc := service.NewCategories(store, service.DefaultLimits())
	var got []stream.Message
	err := svc.Get(context.Background(), "tenant", service.CategoryRead{Category: "cat", BatchSize: ptr[int64](-1)}, collect(&got))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2345 {
		t.Fatalf("got %d messages, want 2345", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].GlobalPosition <= got[i-1].GlobalPosition {
			t.Fatalf("global positions not ascending at %d: %d after %d", i, got[i].GlobalPosition, got[i-1].GlobalPosition)
		}
		if stream.Category(got[i].Stream) != "cat" {
			t.Fatalf("message of %s in category cat", got[i].Stream)
		}
	}
	if len(store.categoryQs) < 3 {
		t.Errorf("2345 messages read in %d queries, want paging", len(store.categoryQs))
	}
}

func TestCategoriesGetPageErrorStopsReading(t *testing.T) {
	t.Parallel()
	store := &fakeStore{msgs: categoryMessages(3000)}
	svc := service.NewCategories(store, service.DefaultLimits())
	stop := errors.New("stop")
	err := svc.Get(context.Background(), "tenant", service.CategoryRead{Category: "cat", BatchSize: ptr[int64](-1)},
		func([]stream.Message) error { return stop })
	if !errors.Is(err, stop) || len(store.categoryQs) != 1 {
		t.Fatalf("Get = %v after %d reads, want the callback's error after 1", err, len(store.categoryQs))
	}
}

func TestCategoriesGetConsumerGroup(t *testing.T) {
	t.Parallel()
	store := &fakeStore{msgs: categoryMessages(500)}
	svc := service.NewCategories(store, service.DefaultLimits())
	seen := map[int64]int64{} // global position -> member
	for member := range int64(3) {
		g := &partition.Group{Member: member, Size: 3}
		var got []stream.Message
		r := service.CategoryRead{Category: "cat", BatchSize: ptr[int64](-1), Group: g, Correlation: "workflow", GlobalPosition: 1}
		if err := svc.Get(context.Background(), "tenant", r, collect(&got)); err != nil {
			t.Fatal(err)
		}
		for _, m := range got {
			if prev, ok := seen[m.GlobalPosition]; ok {
				t.Fatalf("message %d delivered to members %d and %d", m.GlobalPosition, prev, member)
			}
			seen[m.GlobalPosition] = member
		}
	}
	if len(seen) != 500 {
		t.Errorf("the group saw %d messages, want 500", len(seen))
	}
	q := store.categoryQs[0]
	if q.Group == nil || q.Group.Size != 3 || q.Correlation != "workflow" || q.GlobalPosition != 1 {
		t.Errorf("store query %+v lost the group, correlation or position", q)
	}
}

func TestCategoriesGetMessageDBEdges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := &fakeStore{msgs: streamMessages("cat-1", 5, 1)}
	svc := service.NewCategories(store, service.DefaultLimits())
	var got []stream.Message
	if err := svc.Get(ctx, "tenant", service.CategoryRead{Category: "cat", GlobalPosition: -1}, collect(&got)); err != nil {
		t.Fatalf("negative position: %v", err)
	}
	if len(got) != 5 || len(store.categoryQs) != 1 || store.categoryQs[0].GlobalPosition != 0 {
		t.Errorf("negative position read %d messages with queries %+v, want 5 from the start", len(got), store.categoryQs)
	}
	got = nil
	if err := svc.Get(ctx, "tenant", service.CategoryRead{Category: "cat", BatchSize: ptr[int64](0)}, collect(&got)); err != nil {
		t.Fatalf("batch size 0: %v", err)
	}
	if len(got) != 0 || len(store.categoryQs) != 1 {
		t.Errorf("batch size 0 read %d messages and queried the store %d times, want nothing", len(got), len(store.categoryQs)-1)
	}
}

func TestCategoriesGetRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		r     service.CategoryRead
		field string
	}{
		{"empty category", service.CategoryRead{}, "categoryName"},
		{"invalid UTF-8", service.CategoryRead{Category: "\xff"}, "categoryName"},
		{"group size 0", service.CategoryRead{Category: "cat", Group: &partition.Group{Member: 0, Size: 0}}, "consumerGroup.size"},
		{"member >= size", service.CategoryRead{Category: "cat", Group: &partition.Group{Member: 2, Size: 2}}, "consumerGroup.member"},
		{"negative member", service.CategoryRead{Category: "cat", Group: &partition.Group{Member: -1, Size: 2}}, "consumerGroup.member"},
		{"batch size 10001", service.CategoryRead{Category: "cat", BatchSize: ptr[int64](10001)}, "batchSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := &fakeStore{}
			svc := service.NewCategories(store, service.DefaultLimits())
			err := svc.Get(context.Background(), "tenant", tt.r, func([]stream.Message) error { return nil })
			var ve *stream.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("Get = %v, want a %s ValidationError", err, tt.field)
			}
			if len(store.categoryQs) != 0 {
				t.Error("store read for an invalid request")
			}
		})
	}
}
