package interchange_test

import (
	"bufio"
	"bytes"
	"testing"
	"time"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/interchange"
)

// A group and its checkpoints written by the Encoder parse back to
// themselves, and are told apart from message records.
func TestGroupLinesRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 1, 16, 10, 30, 0, 5000, time.UTC)
	tests := []struct {
		name    string
		g       group.Group
		members []group.Member
	}{
		{"from the end, correlated", group.Group{Name: "billing",
			Definition: group.Definition{Category: "account", Size: 2, Correlation: "flow", StartAt: group.StartAt{Kind: group.End}},
			Start:      1523, CreatedAt: testTime},
			[]group.Member{{Member: 0, Checkpoint: 1523}, {Member: 1, Checkpoint: 1600, UpdatedAt: &at}}},
		{"from a position", group.Group{Name: "audit",
			Definition: group.Definition{Category: "account", Size: 1, StartAt: group.StartAt{Kind: group.Position, Position: 7}},
			Start:      6, CreatedAt: testTime},
			[]group.Member{{Member: 0, Checkpoint: 6}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := interchange.NewEncoder(&buf).EncodeGroup(tt.g, tt.members); err != nil {
				t.Fatal(err)
			}
			sc := bufio.NewScanner(&buf)
			var lines []interchange.GroupLine
			for sc.Scan() {
				if !interchange.IsGroupLine(sc.Bytes()) {
					t.Fatalf("%s is not a group line", sc.Text())
				}
				l, err := interchange.ParseGroupLine(sc.Bytes())
				if err != nil {
					t.Fatalf("parse %s: %v", sc.Text(), err)
				}
				lines = append(lines, l)
			}
			if len(lines) != 1+len(tt.members) || lines[0].Group == nil {
				t.Fatalf("%d lines, want the group and %d checkpoints", len(lines), len(tt.members))
			}
			if g := *lines[0].Group; g.Name != tt.g.Name || g.Definition != tt.g.Definition || g.Start != tt.g.Start || !g.CreatedAt.Equal(tt.g.CreatedAt) {
				t.Fatalf("group %+v, want %+v", g, tt.g)
			}
			for i, m := range tt.members {
				cp, at := lines[1+i].Checkpoint, lines[1+i].At
				if cp == nil || cp.Group != tt.g.Name || cp.Member != m.Member || cp.GlobalPosition != m.Checkpoint ||
					(m.UpdatedAt == nil) != at.IsZero() || (m.UpdatedAt != nil && !m.UpdatedAt.Truncate(time.Microsecond).Equal(at)) {
					t.Fatalf("checkpoint %+v at %v, want %+v", cp, at, m)
				}
			}
		})
	}
	if interchange.IsGroupLine([]byte(record("account-1", 0, 1))) {
		t.Fatal("a message record is taken for a group line")
	}
}
