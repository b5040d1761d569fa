package service_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// collect returns a page callback that appends every message to *got.
func collect(got *[]stream.Message) func([]stream.Message) error {
	return func(page []stream.Message) error {
		*got = append(*got, page...)
		return nil
	}
}

func TestStreamsGetUnlimitedPagesThroughEverything(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 999, 1000, 1001, 2000, 2500} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			store := &fakeStore{msgs: append(streamMessages("a-1", n, 100), streamMessages("b-1", 5, 1)...)}
			svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
			var got []stream.Message
			err := svc.Get(context.Background(), "tenant", service.StreamRead{Stream: "a-1", BatchSize: ptr[int64](-1)}, collect(&got))
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if len(got) != n {
				t.Fatalf("got %d messages, want %d", len(got), n)
			}
			for i, m := range got {
				if m.Stream != "a-1" || m.Position != int64(i) {
					t.Fatalf("message %d is %s@%d, want a-1@%d: out of order, repeated or skipped", i, m.Stream, m.Position, i)
				}
			}
			for _, q := range store.streamQs {
				if q.Limit <= 0 || q.Limit > service.DefaultLimits().MaxBatchSize {
					t.Errorf("store asked for %d messages at once; an unlimited read must page", q.Limit)
				}
			}
			if n > 1000 && len(store.streamQs) < 2 {
				t.Errorf("%d messages read in %d queries", n, len(store.streamQs))
			}
		})
	}
}

func TestStreamsGetUnlimitedFromPosition(t *testing.T) {
	t.Parallel()
	store := &fakeStore{msgs: streamMessages("a-1", 1500, 1)}
	svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
	var got []stream.Message
	err := svc.Get(context.Background(), "tenant", service.StreamRead{Stream: "a-1", Position: 200, BatchSize: ptr[int64](-1)}, collect(&got))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1300 || got[0].Position != 200 || got[len(got)-1].Position != 1499 {
		t.Fatalf("got %d messages from %d to %d, want 1300 from 200 to 1499", len(got), got[0].Position, got[len(got)-1].Position)
	}
}

func TestStreamsGetPageErrorStopsReading(t *testing.T) {
	t.Parallel()
	store := &fakeStore{msgs: streamMessages("a-1", 3500, 1)}
	svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
	stop := errors.New("client went away")
	pages := 0
	err := svc.Get(context.Background(), "tenant", service.StreamRead{Stream: "a-1", BatchSize: ptr[int64](-1)}, func([]stream.Message) error {
		pages++
		if pages == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatalf("Get = %v, want the page callback's error", err)
	}
	if pages != 2 || len(store.streamQs) != 2 {
		t.Errorf("after the callback failed on page 2: %d pages delivered, %d store reads; want 2 and 2", pages, len(store.streamQs))
	}
}

func TestStreamsGetStoreErrorStopsReading(t *testing.T) {
	t.Parallel()
	boom := errors.New("disk on fire")
	store := &fakeStore{readErr: boom}
	svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
	called := false
	err := svc.Get(context.Background(), "tenant", service.StreamRead{Stream: "a-1", BatchSize: ptr[int64](-1)}, func([]stream.Message) error {
		called = true
		return nil
	})
	if !errors.Is(err, boom) || called {
		t.Fatalf("Get = %v (page called %v), want the store error and no page", err, called)
	}
}

func TestStreamsGetLimited(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		batch      *int64
		wantLimits []int // of the store queries, in order
		wantCount  int
	}{
		{"default", nil, []int{1000}, 1000},
		{"small", ptr[int64](10), []int{10}, 10},
		{"maximum: pages of 1000 until the data ends", ptr[int64](10000), []int{1000, 1000, 1000}, 2500},
		{"above a page: the rest in the last query", ptr[int64](1200), []int{1000, 200}, 1200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := &fakeStore{msgs: streamMessages("a-1", 2500, 1)}
			svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
			var got []stream.Message
			r := service.StreamRead{Stream: "a-1", Position: 0, GlobalPosition: 0, BatchSize: tt.batch}
			if err := svc.Get(context.Background(), "tenant", r, collect(&got)); err != nil {
				t.Fatal(err)
			}
			var limits []int
			for _, q := range store.streamQs {
				limits = append(limits, q.Limit)
			}
			if !slices.Equal(limits, tt.wantLimits) {
				t.Fatalf("store query limits %v, want %v", limits, tt.wantLimits)
			}
			if len(got) != tt.wantCount {
				t.Errorf("got %d messages, want %d", len(got), tt.wantCount)
			}
		})
	}
}

func TestStreamsGetPassesGlobalPosition(t *testing.T) {
	t.Parallel()
	store := &fakeStore{msgs: streamMessages("a-1", 10, 1)}
	svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
	var got []stream.Message
	if err := svc.Get(context.Background(), "tenant", service.StreamRead{Stream: "a-1", GlobalPosition: 8}, collect(&got)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].GlobalPosition != 8 {
		t.Errorf("got %d messages starting at %d, want 3 from global position 8", len(got), got[0].GlobalPosition)
	}
}

func TestStreamsGetRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		r     service.StreamRead
		field string
	}{
		{"empty name", service.StreamRead{}, "streamName"},
		{"batch size -2", service.StreamRead{Stream: "a-1", BatchSize: ptr[int64](-2)}, "batchSize"},
		{"batch size 10001", service.StreamRead{Stream: "a-1", BatchSize: ptr[int64](10001)}, "batchSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := &fakeStore{}
			svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
			err := svc.Get(context.Background(), "tenant", tt.r, func([]stream.Message) error { return nil })
			var ve *stream.ValidationError
			if !errors.As(err, &ve) || ve.Field != tt.field {
				t.Fatalf("Get = %v, want a %s ValidationError", err, tt.field)
			}
			if len(store.streamQs) != 0 {
				t.Error("store read for an invalid request")
			}
		})
	}
}

// Message DB semantics that existing clients rely on: a negative position
// reads from the start, a batch size of 0 reads nothing (and no store query).
func TestStreamsGetMessageDBEdges(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		r         service.StreamRead
		wantCount int
		wantQuery *ports.StreamQuery
	}{
		{"negative position", service.StreamRead{Stream: "a-1", Position: -1}, 10, &ports.StreamQuery{Stream: "a-1", Limit: 1000, ReadShape: ports.ReadShape{MaxBytes: 4 << 20}}},
		{"very negative position", service.StreamRead{Stream: "a-1", Position: -1 << 40}, 10, &ports.StreamQuery{Stream: "a-1", Limit: 1000, ReadShape: ports.ReadShape{MaxBytes: 4 << 20}}},
		{"negative global position", service.StreamRead{Stream: "a-1", GlobalPosition: -5}, 10, &ports.StreamQuery{Stream: "a-1", Limit: 1000, ReadShape: ports.ReadShape{MaxBytes: 4 << 20}}},
		{"batch size 0", service.StreamRead{Stream: "a-1", BatchSize: ptr[int64](0)}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			store := &fakeStore{msgs: streamMessages("a-1", 10, 1)}
			svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
			var got []stream.Message
			if err := svc.Get(context.Background(), "tenant", tt.r, collect(&got)); err != nil {
				t.Fatalf("Get = %v, want no error", err)
			}
			if len(got) != tt.wantCount {
				t.Errorf("got %d messages, want %d", len(got), tt.wantCount)
			}
			switch {
			case tt.wantQuery == nil && len(store.streamQs) != 0:
				t.Errorf("store queried %+v, want no query", store.streamQs)
			case tt.wantQuery != nil && (len(store.streamQs) != 1 || store.streamQs[0] != *tt.wantQuery):
				t.Errorf("store queries %+v, want [%+v]", store.streamQs, *tt.wantQuery)
			}
		})
	}
}

func TestStreamsLastAndVersion(t *testing.T) {
	t.Parallel()
	last := &stream.Message{ID: "x", Stream: "a-1", Position: 3}
	store := &fakeStore{last: last, version: 3}
	svc := service.NewStreams(store, &fakeIDs{}, nil, service.DefaultLimits())
	ctx := context.Background()
	if m, err := svc.Last(ctx, "tenant", "a-1", ""); err != nil || m != last {
		t.Errorf("Last = %v, %v", m, err)
	}
	if v, err := svc.Version(ctx, "tenant", "a-1"); err != nil || v != 3 {
		t.Errorf("Version = %d, %v", v, err)
	}
	var ve *stream.ValidationError
	if _, err := svc.Last(ctx, "tenant", "", ""); !errors.As(err, &ve) {
		t.Errorf("Last with empty name = %v, want ValidationError", err)
	}
	if _, err := svc.Version(ctx, "tenant", "a-\x00"); !errors.As(err, &ve) {
		t.Errorf("Version with control character = %v, want ValidationError", err)
	}
}

// Large messages are read in pages cut by bytes, so a read holds about
// MaxPageBytes at a time whatever its batch size; the rows asked of the store
// follow what fits.
func TestStreamsGetPagesByBytes(t *testing.T) {
	t.Parallel()
	msgs := streamMessages("big-1", 40, 1)
	for i := range msgs {
		msgs[i].Data = []byte(`{"pad":"` + strings.Repeat("x", 990) + `"}`) // 1000 bytes
	}
	store := &fakeStore{msgs: msgs}
	limits := service.DefaultLimits()
	limits.MaxPageBytes = 3500 // four messages reach it
	svc := service.NewStreams(store, &fakeIDs{}, nil, limits)
	var pages []int
	err := svc.Get(context.Background(), "tenant", service.StreamRead{Stream: "big-1", BatchSize: ptr[int64](-1)}, func(page []stream.Message) error {
		pages = append(pages, len(page))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, n := range pages {
		if n > 4 {
			t.Fatalf("a page of %d messages (%d bytes) went over the budget of 3500 bytes plus one message", n, n*1000)
		}
		total += n
	}
	if total != 40 {
		t.Fatalf("read %d messages in pages %v, want all 40", total, pages)
	}
	if got := store.streamQs[1].Limit; got != 4 {
		t.Errorf("after a page cut at 4 messages the next query asks for %d rows, want 4", got)
	}

	// A bounded batch stops at its size, across byte-cut pages.
	store.streamQs = nil
	var got []stream.Message
	if err := svc.Get(context.Background(), "tenant", service.StreamRead{Stream: "big-1", BatchSize: ptr[int64](10)}, collect(&got)); err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 || got[9].Position != 9 {
		t.Fatalf("batchSize 10 read %d messages, want positions 0-9", len(got))
	}
}
