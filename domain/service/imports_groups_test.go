package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/eventodb/eventodb/adapters/storage/memory"
	"github.com/eventodb/eventodb/adapters/system"
	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// newGroupImports is the import use case over the memory store, restoring
// groups, with an empty namespace "ns".
func newGroupImports(t *testing.T) (*service.Imports, *memory.Store) {
	t.Helper()
	store := memory.New(memory.Options{})
	if err := store.Create(context.Background(), namespace.Record{ID: "ns", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	l, err := service.NewImports(store, system.UUIDs{}, nil, service.ImportConfig{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	groups := service.NewGroups(store, service.NewCategories(store, service.DefaultLimits()), store, system.Clock{}, system.UUIDs{})
	return l.RestoreGroupsWith(groups), store
}

const (
	billingLine = `{"group":"billing","category":"account","size":2,"correlation":null,"startAt":"end","start":2,"createdAt":"2026-01-15T10:30:00.000000Z"}`
	member0Line = `{"group":"billing","member":0,"globalPosition":2,"updatedAt":null}`
	member1Line = `{"group":"billing","member":1,"globalPosition":3,"updatedAt":"2026-01-16T10:30:00.000000Z"}`
)

func TestLoadRestoresGroupLines(t *testing.T) {
	t.Parallel()
	l, store := newGroupImports(t)
	ctx := context.Background()
	// A message record whose data mentions "group" is still a message.
	mentions := strings.Replace(record("account-3", 0, 3), `"data":{"n":`, `"data":{"group":"x","n":`, 1)
	body := lines(record("account-1", 0, 1), record("account-2", 0, 2), mentions, billingLine, member0Line, member1Line)
	n, err := l.LoadWithGroups(ctx, "ns", strings.NewReader(body), nil)
	if err != nil || n != 3 {
		t.Fatalf("LoadWithGroups = %d, %v; want 3 messages", n, err)
	}
	g, err := store.Group(ctx, "ns", "billing")
	if err != nil || g.Start != 2 || g.StartAt.Kind != group.End || g.Size != 2 || !g.CreatedAt.Equal(time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)) {
		t.Fatalf("restored group = %+v, %v", g, err)
	}
	members, err := store.Members(ctx, "ns", "billing")
	if err != nil || members[0].Checkpoint != 2 || members[0].UpdatedAt != nil || members[1].Checkpoint != 3 ||
		!members[1].UpdatedAt.Equal(time.Date(2026, 1, 16, 10, 30, 0, 0, time.UTC)) {
		t.Fatalf("restored members = %+v, %v", members, err)
	}

	// Load (without groups) skips group lines.
	l2, store2 := newGroupImports(t)
	if n, err := l2.Load(ctx, "ns", strings.NewReader(body), nil); err != nil || n != 3 {
		t.Fatalf("Load = %d, %v", n, err)
	}
	if n, _ := store2.CountGroups(ctx, "ns"); n != 0 {
		t.Fatalf("Load restored %d groups", n)
	}
}

func TestLoadGroupLineFailures(t *testing.T) {
	t.Parallel()
	invalid := func(err error) bool {
		var v *stream.ValidationError
		return errors.As(err, &v)
	}
	is := func(target error) func(error) bool { return func(err error) bool { return errors.Is(err, target) } }
	tests := []struct {
		name     string
		body     string
		want     func(error) bool // the failure's cause
		line     int64
		imported int64
	}{
		{"no category nor member", lines(record("account-1", 0, 1), `{"group":"x"}`), invalid, 2, 1},
		{"size of the wrong type", lines(`{"group":"x","category":"a","size":"2","startAt":"beginning","start":0,"createdAt":"2026-01-15T10:30:00Z"}`), invalid, 1, 0},
		{"bad startAt", lines(`{"group":"x","category":"a","size":1,"startAt":"later","start":0,"createdAt":"2026-01-15T10:30:00Z"}`), invalid, 1, 0},
		{"bad createdAt", lines(`{"group":"x","category":"a","size":1,"startAt":"end","start":0,"createdAt":"yesterday"}`), invalid, 1, 0},
		{"start past the messages", lines(record("account-1", 0, 1), strings.Replace(billingLine, `"start":2`, `"start":5`, 1)), invalid, 2, 1},
		{"checkpoint of a missing group", lines(member0Line), is(group.ErrNotFound), 1, 0},
		{"checkpoint past the messages", lines(record("account-1", 0, 1), record("account-1", 1, 2), billingLine, strings.Replace(member1Line, `:3,`, `:9,`, 1)), invalid, 4, 2},
		{"member out of range", lines(record("account-1", 0, 1), record("account-1", 1, 2), billingLine, strings.Replace(member1Line, `"member":1`, `"member":2`, 1)), invalid, 4, 2},
		{"another definition", lines(record("account-1", 0, 1), record("account-1", 1, 2), billingLine, strings.Replace(billingLine, `"size":2`, `"size":3`, 1)), is(group.ErrExists), 4, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, _ := newGroupImports(t)
			n, err := l.LoadWithGroups(context.Background(), "ns", strings.NewReader(tt.body), nil)
			var f *interchange.Failure
			if !errors.As(err, &f) || !tt.want(f.Err) || f.Line != tt.line || n != tt.imported {
				t.Fatalf("LoadWithGroups = %d, %v; want a failure at line %d after %d messages", n, err, tt.line, tt.imported)
			}
		})
	}
}
