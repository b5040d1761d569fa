package interchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/stream"
)

// Durable consumer groups travel in an export only when asked for (export
// --groups, PROTOCOL.md §8), after the messages, as lines with a top-level
// "group" key, which message records never have:
//
//	{"group":"billing","category":"account","size":2,"correlation":null,"startAt":"end","start":1523,"createdAt":"…"}
//	{"group":"billing","member":0,"globalPosition":1600,"updatedAt":"…"}
//
// one line per group, then one per member's checkpoint. An import restores
// them with import --groups (POST /import?groups=true) and skips them
// otherwise.

// GroupRecord is a group's line: its definition as created.
type GroupRecord struct {
	Group       string  `json:"group"`
	Category    string  `json:"category"`
	Size        int64   `json:"size"`
	Correlation *string `json:"correlation"`
	// StartAt is "beginning", "end" or a global position (a number).
	StartAt   any    `json:"startAt"`
	Start     int64  `json:"start"` // the checkpoint every member started at
	CreatedAt string `json:"createdAt"`
}

// CheckpointRecord is one member's checkpoint line.
type CheckpointRecord struct {
	Group          string  `json:"group"`
	Member         int64   `json:"member"`
	GlobalPosition int64   `json:"globalPosition"`
	UpdatedAt      *string `json:"updatedAt"`
}

// EncodeGroup writes g's line and one line per member's checkpoint.
func (e *Encoder) EncodeGroup(g group.Group, members []group.Member) error {
	rec := GroupRecord{
		Group: g.Name, Category: g.Category, Size: g.Size, StartAt: g.StartAt.String(), Start: g.Start,
		CreatedAt: g.CreatedAt.UTC().Format(TimeLayout),
	}
	if g.Correlation != "" {
		rec.Correlation = &g.Correlation
	}
	if g.StartAt.Kind == group.Position {
		rec.StartAt = g.StartAt.Position
	}
	if err := e.enc.Encode(rec); err != nil {
		return fmt.Errorf("encode group %q: %w", g.Name, err)
	}
	for _, m := range members {
		cp := CheckpointRecord{Group: g.Name, Member: m.Member, GlobalPosition: m.Checkpoint}
		if m.UpdatedAt != nil {
			at := m.UpdatedAt.UTC().Format(TimeLayout)
			cp.UpdatedAt = &at
		}
		if err := e.enc.Encode(cp); err != nil {
			return fmt.Errorf("encode group %q member %d: %w", g.Name, m.Member, err)
		}
	}
	return nil
}

// groupKey is how a group line starts to be told from a message record.
var groupKey = []byte(`"group"`)

// IsGroupLine reports whether line is a JSON object with a top-level
// "group" key. Only lines holding that text are decoded to find out.
func IsGroupLine(line []byte) bool {
	if !bytes.Contains(line, groupKey) {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(line, &top) != nil {
		return false
	}
	_, ok := top["group"]
	return ok
}

// GroupLine is a parsed group line: a group or one checkpoint.
type GroupLine struct {
	Group      *group.Group      // the group as exported, or nil
	Checkpoint *CheckpointRecord // one member's checkpoint, or nil
	At         time.Time         // the checkpoint's updatedAt; zero when null
}

// ParseGroupLine decodes a group line. A line with "member" is a
// checkpoint, one with "category" a group. Errors are
// *stream.ValidationError naming the field.
func ParseGroupLine(line []byte) (GroupLine, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(line, &top); err != nil {
		return GroupLine{}, stream.Invalid("line", "is not a JSON record")
	}
	if _, ok := top["member"]; ok {
		var cp CheckpointRecord
		if err := strictDecode(line, &cp); err != nil {
			return GroupLine{}, err
		}
		out := GroupLine{Checkpoint: &cp}
		if cp.UpdatedAt != nil {
			at, err := parseTime(*cp.UpdatedAt)
			if err != nil {
				return GroupLine{}, stream.Invalidf("updatedAt", "must be an RFC 3339 time or null, got %q", *cp.UpdatedAt)
			}
			out.At = at
		}
		return out, nil
	}
	if _, ok := top["category"]; !ok {
		return GroupLine{}, stream.Invalid("line", `has "group" but neither "category" (a group) nor "member" (a checkpoint)`)
	}
	var rec GroupRecord
	if err := strictDecode(line, &rec); err != nil {
		return GroupLine{}, err
	}
	g := group.Group{Name: rec.Group, Definition: group.Definition{Category: rec.Category, Size: rec.Size}, Start: rec.Start}
	if rec.Correlation != nil {
		g.Correlation = *rec.Correlation
	}
	switch v := rec.StartAt.(type) {
	case nil:
	case string:
		at, err := group.ParseStartAt(v)
		if err != nil {
			return GroupLine{}, err
		}
		g.StartAt = at
	case float64:
		at, err := group.AtPosition(int64(v))
		if err != nil || float64(int64(v)) != v {
			return GroupLine{}, stream.Invalidf("startAt", `must be "beginning", "end" or a global position, got %v`, v)
		}
		g.StartAt = at
	default:
		return GroupLine{}, stream.Invalid("startAt", `must be "beginning", "end" or a global position`)
	}
	created, err := parseTime(rec.CreatedAt)
	if err != nil {
		return GroupLine{}, stream.Invalidf("createdAt", "must be an RFC 3339 time, got %q", rec.CreatedAt)
	}
	g.CreatedAt = created
	return GroupLine{Group: &g}, nil
}

// strictDecode decodes line into v, naming a field of the wrong type.
func strictDecode(line []byte, v any) error {
	err := json.Unmarshal(line, v)
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typeErr) && typeErr.Field != "":
		kind := "a string"
		switch typeErr.Field {
		case "size", "start", "member", "globalPosition":
			kind = "an integer"
		case "startAt":
			kind = `"beginning", "end" or a global position`
		case "correlation", "updatedAt":
			kind = "a string or null"
		}
		return stream.Invalidf(typeErr.Field, "must be %s, got a JSON %s", kind, typeErr.Value)
	default:
		return stream.Invalid("line", "is not a JSON record")
	}
}
