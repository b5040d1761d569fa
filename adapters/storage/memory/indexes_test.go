package memory_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

var base = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func imported(streamName string, pos, gpos int64) stream.Message {
	return stream.Message{ID: uuid.NewString(), Stream: streamName, Type: "T", Position: pos, GlobalPosition: gpos,
		Data: []byte(`{}`), Time: base.Add(time.Duration(gpos) * time.Second)}
}

func globals(msgs []stream.Message) []int64 {
	out := []int64{}
	for _, m := range msgs {
		out = append(out, m.GlobalPosition)
	}
	return out
}

// Imports below what is stored land in order in every index: the log, the
// category's and the stream's.
func TestImportsBelowStoredMessages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, base)
	for _, batch := range [][]stream.Message{
		{imported("acct-1", 3, 30), imported("acct-1", 4, 40), imported("other-1", 0, 35)},
		{imported("acct-2", 0, 10), imported("acct-1", 0, 5), imported("acct-1", 1, 20)},
	} {
		if err := s.Import(ctx, "ns", batch); err != nil {
			t.Fatal(err)
		}
	}
	write(t, s, "acct-2", `{}`) // global position 41
	all, _ := s.ReadAll(ctx, "ns", ports.AllQuery{Limit: 100})
	cat, _ := s.ReadCategory(ctx, "ns", ports.CategoryQuery{Category: "acct", Limit: 100})
	acct1, _ := s.ReadStream(ctx, "ns", ports.StreamQuery{Stream: "acct-1", Limit: 100})
	from2, _ := s.ReadStream(ctx, "ns", ports.StreamQuery{Stream: "acct-1", Position: 2, Limit: 100})
	tests := []struct {
		name string
		got  []int64
		want []int64
	}{
		{"log", globals(all), []int64{5, 10, 20, 30, 35, 40, 41}},
		{"category", globals(cat), []int64{5, 10, 20, 30, 40, 41}},
		{"stream", globals(acct1), []int64{5, 20, 30, 40}},
		{"stream from position 2", globals(from2), []int64{30, 40}},
	}
	for _, tt := range tests {
		if !reflect.DeepEqual(tt.got, tt.want) {
			t.Errorf("%s: global positions %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if v, _ := s.Version(ctx, "ns", "acct-1"); v != 4 {
		t.Errorf("acct-1 version = %d, want 4", v)
	}
	if v, _ := s.Version(ctx, "ns", "acct-2"); v != 1 {
		t.Errorf("acct-2 version = %d, want 1", v)
	}
}

// Streams created between two listings appear in their place, so a client
// paging with a cursor sees every name once, in order.
func TestListStreamsAcrossNewStreams(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, base)
	for _, name := range []string{"b-1", "a-1", "c-1"} {
		write(t, s, name, `{}`)
	}
	list := func(q ports.StreamListQuery) []string {
		infos, err := s.ListStreams(ctx, "ns", q)
		if err != nil {
			t.Fatal(err)
		}
		out := []string{}
		for _, i := range infos {
			out = append(out, i.Stream)
		}
		return out
	}
	if got := list(ports.StreamListQuery{Limit: 2}); !reflect.DeepEqual(got, []string{"a-1", "b-1"}) {
		t.Fatalf("first page = %v", got)
	}
	for _, name := range []string{"bb-1", "a-0", "d-1", "b-2"} {
		write(t, s, name, `{}`)
	}
	tests := []struct {
		q    ports.StreamListQuery
		want []string
	}{
		{ports.StreamListQuery{After: "b-1", Limit: 10}, []string{"b-2", "bb-1", "c-1", "d-1"}},
		{ports.StreamListQuery{Limit: 10}, []string{"a-0", "a-1", "b-1", "b-2", "bb-1", "c-1", "d-1"}},
		{ports.StreamListQuery{Prefix: "b-", Limit: 10}, []string{"b-1", "b-2"}},
		{ports.StreamListQuery{Prefix: "b", After: "b-2", Limit: 10}, []string{"bb-1"}},
		{ports.StreamListQuery{Prefix: "a", After: "z", Limit: 10}, []string{}},
		{ports.StreamListQuery{Limit: 0}, []string{}},
	}
	for _, tt := range tests {
		if got := list(tt.q); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%+v = %v, want %v", tt.q, got, tt.want)
		}
	}
}

// An export that skips most of the namespace (a narrow time range) still
// finds everything, though each page looks at a bounded number of messages,
// and never hands over an empty page.
func TestSelectiveExport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := newStore(t, base)
	const total = 40000
	batch := make([]stream.Message, total)
	for i := range batch {
		batch[i] = imported(fmt.Sprintf("bulk-%d", i%50), int64(i/50), int64(i+1))
	}
	if err := s.Import(ctx, "ns", batch); err != nil {
		t.Fatal(err)
	}
	since := base.Add((total - 5) * time.Second)
	var got []int64
	err := s.Export(ctx, "ns", ports.ExportQuery{Since: &since, Categories: []string{"bulk", "bulk", "missing"}}, func(page []stream.Message) error {
		if len(page) == 0 {
			return errors.New("empty page")
		}
		got = append(got, globals(page)...)
		return nil
	})
	if want := []int64{total - 5, total - 4, total - 3, total - 2, total - 1, total}; err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("export = %v, %v; want %v", got, err, want)
	}
}

// A consumer group the services would refuse is an error, not a division by zero.
func TestInvalidConsumerGroup(t *testing.T) {
	t.Parallel()
	s := newStore(t, base)
	write(t, s, "g-1", `{}`)
	for _, g := range []partition.Group{{Member: 0, Size: 0}, {Member: 2, Size: 2}, {Member: -1, Size: 2}} {
		_, err := s.ReadCategory(context.Background(), "ns", ports.CategoryQuery{Category: "g", Limit: 10, Group: &g})
		var invalid *stream.ValidationError
		if !errors.As(err, &invalid) {
			t.Errorf("group %+v: %v, want a ValidationError", g, err)
		}
	}
}
