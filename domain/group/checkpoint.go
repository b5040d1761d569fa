package group

import (
	"time"

	"github.com/eventodb/eventodb/domain/stream"
)

// Advance is the checkpoint rule of an ack: it moves forward, never back.
func Advance(checkpoint, to int64) int64 { return max(checkpoint, to) }

// Ack moves a member's checkpoint forward to Position (Advance): a lower
// position leaves it where it is.
type Ack struct {
	Member   int64
	Position int64
	// Lease, when not "", must be the member's live lease at At; it is
	// renewed with the ack. When it is not, the ack is ErrLeaseExpired and
	// the checkpoint stays.
	Lease string
	At    time.Time
}

// AllMembers is Reset.Member for every member of the group.
const AllMembers = -1

// Reset sets checkpoints to exactly Position, back or forward: a replay, or
// skipping ahead.
type Reset struct {
	Member   int64 // AllMembers: every member
	Position int64
	At       time.Time
}

// ValidatePosition checks a position an ack or a reset moves a checkpoint
// to: from 0 (nothing processed) to head, the namespace's last global
// position, so a checkpoint never lies past what has been written.
func ValidatePosition(pos, head int64) error {
	switch {
	case pos < 0:
		return stream.Invalidf("globalPosition", "must not be negative, got %d", pos)
	case pos > head:
		return stream.Invalidf("globalPosition", "is %d, past the namespace's last global position %d", pos, head)
	}
	return nil
}
