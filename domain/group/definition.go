package group

import (
	"strconv"

	"github.com/eventodb/eventodb/domain/stream"
)

// MaxSize is the most members a group may have.
const MaxSize = 1000

// StartKind is where a new group's members start reading.
type StartKind int

// The places a group may start.
const (
	// Beginning: every message of the category (the default).
	Beginning StartKind = iota
	// End: only messages written after the group was created.
	End
	// Position: messages from a global position on.
	Position
)

// StartAt is where a new group's members start: group.create's startAt,
// "beginning", "end" or a global position.
type StartAt struct {
	Kind     StartKind
	Position int64 // Kind Position: the first global position delivered, >= 1
}

// String is startAt as the wire shows it: "beginning", "end" or the position.
func (s StartAt) String() string {
	switch s.Kind {
	case End:
		return "end"
	case Position:
		return strconv.FormatInt(s.Position, 10)
	default:
		return "beginning"
	}
}

// ParseStartAt reads "beginning", "end" or a decimal global position.
func ParseStartAt(s string) (StartAt, error) {
	switch s {
	case "", "beginning":
		return StartAt{}, nil
	case "end":
		return StartAt{Kind: End}, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return StartAt{}, stream.Invalidf("startAt", `must be "beginning", "end" or a global position, got %q`, s)
	}
	return AtPosition(n)
}

// AtPosition starts at global position n (n >= 1: positions start at 1).
func AtPosition(n int64) (StartAt, error) {
	if n < 1 || n > stream.MaxPosition {
		return StartAt{}, stream.Invalidf("startAt", "must be a global position from 1 to %d, got %d", stream.MaxPosition, n)
	}
	return StartAt{Kind: Position, Position: n}, nil
}

// Checkpoint is the checkpoint a member starting at s begins with, in a
// namespace whose last global position is head. A checkpoint is the global
// position processed up to, so: the beginning is 0, the end is head, and
// position N is N-1 (the first message delivered is at N). A position past
// head+1 is refused: a checkpoint never lies beyond what has been written.
func (s StartAt) Checkpoint(head int64) (int64, error) {
	switch s.Kind {
	case End:
		return head, nil
	case Position:
		if s.Position-1 > head {
			return 0, stream.Invalidf("startAt", "is %d, past the namespace's next global position %d", s.Position, head+1)
		}
		return s.Position - 1, nil
	default:
		return 0, nil
	}
}

// Definition is what a group reads: group.create's options.
type Definition struct {
	Category    string
	Size        int64  // members, 1..MaxSize
	Correlation string // "": no correlation filter
	StartAt     StartAt
}

// Validate checks the category and correlation (stream-name rules) and the size.
func (d Definition) Validate() error {
	if err := stream.ValidateName("category", d.Category); err != nil {
		return err
	}
	if d.Correlation != "" {
		if err := stream.ValidateName("correlation", d.Correlation); err != nil {
			return err
		}
	}
	if d.Size < 1 || d.Size > MaxSize {
		return stream.Invalidf("size", "must be from 1 to %d, got %d", MaxSize, d.Size)
	}
	if d.StartAt.Kind == Position && (d.StartAt.Position < 1 || d.StartAt.Position > stream.MaxPosition) {
		return stream.Invalidf("startAt", "must be a global position from 1 to %d, got %d", stream.MaxPosition, d.StartAt.Position)
	}
	return nil
}

// Same reports whether d and o define the same group: creating a group again
// with the same definition is idempotent; with another it is ErrExists.
// startAt is compared as asked ("end" equals "end", whatever it resolved to).
func (d Definition) Same(o Definition) bool { return d == o }

// ValidateName checks a group name: the stream-name rules.
func ValidateName(name string) error { return stream.ValidateName("groupName", name) }
