package planner_test

import (
	"errors"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/planner"
	"github.com/eventodb/eventodb/domain/stream"
)

var now = time.Date(2026, 1, 15, 10, 30, 0, 0, time.UTC)

func msg(id, typ, data string) stream.Proposed {
	return stream.Proposed{ID: id, Type: typ, Data: []byte(data)}
}

func TestPlanAssignsPositionsInOrder(t *testing.T) {
	t.Parallel()
	p := planner.New(11, now, map[string]int64{"a-1": 4, "b-1": stream.NoStream}, nil)
	r1 := p.Add(stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("1", "T", `{}`), msg("2", "T", `{}`)}})
	r2 := p.Add(stream.Append{Stream: "b-1", Messages: []stream.Proposed{msg("3", "T", `{"m":{"correlationStreamName":"x"}}`)}})
	r3 := p.Add(stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("4", "T", `{}`)}, ExpectedVersion: stream.ExactVersion(6)})
	for i, r := range []planner.Result{r1, r2, r3} {
		if r.Err != nil {
			t.Fatalf("append %d: %v", i, r.Err)
		}
	}
	if r1.Appended != (stream.Appended{Position: 5, GlobalPosition: 11, Count: 2}) ||
		r2.Appended != (stream.Appended{Position: 0, GlobalPosition: 13, Count: 1}) ||
		r3.Appended != (stream.Appended{Position: 7, GlobalPosition: 14, Count: 1}) {
		t.Fatalf("results %+v %+v %+v", r1.Appended, r2.Appended, r3.Appended)
	}
	committed := p.Committed()
	if len(committed) != 4 || committed[0].GlobalPosition != 11 || committed[3].Position != 7 || committed[3].GlobalPosition != 14 ||
		committed[2].Stream != "b-1" || committed[2].Category != "b" || committed[0].Hash != partition.Hash64("1") {
		t.Fatalf("committed %+v", committed)
	}
	if p.Next() != 15 || len(p.Rows) != 4 {
		t.Fatalf("next %d, rows %d", p.Next(), len(p.Rows))
	}
	row := p.Rows[0]
	if row.Category != "a" || row.Hash != partition.Hash64("1") || !row.Message.Time.Equal(now) || row.Message.Position != 5 {
		t.Fatalf("row %+v", row)
	}
	if len(p.Streams) != 2 || p.Streams[0].Name != "a-1" || p.Streams[0].Version != 7 || p.Streams[0].Added != 3 ||
		p.Streams[1].Name != "b-1" || p.Streams[1].Version != 0 {
		t.Fatalf("stream rows %+v %+v", *p.Streams[0], *p.Streams[1])
	}
}

func TestPlanRefusals(t *testing.T) {
	t.Parallel()
	stored := &stream.Message{ID: "old", Stream: "a-1", Type: "T", Position: 0, GlobalPosition: 1, Data: []byte(`{"k":1}`)}
	tests := []struct {
		name    string
		a       stream.Append
		want    stream.Appended
		wantErr any
	}{
		{"retry of a stored write", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("old", "T", `{ "k" : 1 }`)}}, stream.Appended{Position: 0, GlobalPosition: 1, Count: 1}, nil},
		{"same id, other data", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("old", "T", `{"k":2}`)}}, stream.Appended{}, new(*stream.DuplicateIDError)},
		{"same id, other stream", stream.Append{Stream: "a-2", Messages: []stream.Proposed{msg("old", "T", `{"k":1}`)}}, stream.Appended{}, new(*stream.DuplicateIDError)},
		{"part of the write stored", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("old", "T", `{"k":1}`), msg("new", "T", `{}`)}}, stream.Appended{}, new(*stream.DuplicateIDError)},
		{"version conflict", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("n", "T", `{}`)}, ExpectedVersion: stream.ExactVersion(3)}, stream.Appended{}, new(*stream.VersionConflictError)},
		{"must not exist", stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("n", "T", `{}`)}, ExpectedVersion: stream.ExactVersion(stream.NoStream)}, stream.Appended{}, new(*stream.VersionConflictError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := planner.New(2, now, map[string]int64{"a-1": 0}, map[string]*stream.Message{"old": stored})
			r := p.Add(tt.a)
			switch target := tt.wantErr.(type) {
			case nil:
				if r.Err != nil || r.Appended != tt.want || len(p.Rows) != 0 {
					t.Fatalf("Add = %+v, want %+v and nothing committed", r, tt.want)
				}
			case **stream.DuplicateIDError:
				if !errors.As(r.Err, target) {
					t.Fatalf("Add = %v, want a duplicate id", r.Err)
				}
			case **stream.VersionConflictError:
				if !errors.As(r.Err, target) {
					t.Fatalf("Add = %v, want a version conflict", r.Err)
				}
			}
			if tt.wantErr != nil && (len(p.Rows) != 0 || p.Next() != 2) {
				t.Fatalf("a refused append planned %d rows, next %d", len(p.Rows), p.Next())
			}
		})
	}
}

// Ids repeated within one batch: the second write of the same message is a
// retry of the first (planned) one, other content is a duplicate.
func TestPlanSeesItsOwnIDs(t *testing.T) {
	t.Parallel()
	p := planner.New(1, now, map[string]int64{"a-1": stream.NoStream}, nil)
	first := p.Add(stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("x", "T", `{}`)}})
	again := p.Add(stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("x", "T", `{}`)}})
	other := p.Add(stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("x", "U", `{}`)}})
	if first.Err != nil || again.Err != nil || again.Appended != first.Appended || len(p.Rows) != 1 {
		t.Fatalf("first %+v, again %+v, rows %d", first, again, len(p.Rows))
	}
	var dup *stream.DuplicateIDError
	if !errors.As(other.Err, &dup) {
		t.Fatalf("other content under the same id = %v", other.Err)
	}
}

func TestPlanRefusesPositionsPastTheLimit(t *testing.T) {
	t.Parallel()
	p := planner.New(stream.MaxPosition, now, map[string]int64{"a-1": stream.NoStream}, nil)
	if r := p.Add(stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("1", "T", `{}`)}}); r.Err != nil {
		t.Fatalf("the last global position: %v", r.Err)
	}
	var invalid *stream.ValidationError
	if r := p.Add(stream.Append{Stream: "a-1", Messages: []stream.Proposed{msg("2", "T", `{}`)}}); !errors.As(r.Err, &invalid) {
		t.Fatalf("past the last global position: %v", r.Err)
	}
}
