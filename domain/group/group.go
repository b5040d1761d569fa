package group

import (
	"time"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/stream"
)

// Group is a stored group.
type Group struct {
	Name string
	Definition
	// Start is every member's first checkpoint, resolved from StartAt once,
	// when the group was created.
	Start     int64
	CreatedAt time.Time
}

// New is the group name defines, created at now in a namespace whose last
// global position is head.
func New(name string, d Definition, head int64, now time.Time) (Group, error) {
	if err := ValidateName(name); err != nil {
		return Group{}, err
	}
	if err := d.Validate(); err != nil {
		return Group{}, err
	}
	start, err := d.StartAt.Checkpoint(head)
	if err != nil {
		return Group{}, err
	}
	return Group{Name: name, Definition: d, Start: start, CreatedAt: now.UTC()}, nil
}

// ValidateMember refuses a member outside 0..Size-1.
func (g Group) ValidateMember(member int64) error {
	if member < 0 || member >= g.Size {
		return stream.Invalidf("member", "must be from 0 to %d (group %q has %d member(s)), got %d", g.Size-1, g.Name, g.Size, member)
	}
	return nil
}

// Share is member's part of the category: the consumer-group member of the
// §1 hash, as category.get's consumerGroup reads it.
func (g Group) Share(member int64) partition.Group {
	return partition.Group{Member: member, Size: g.Size}
}

// InShare reports whether m counts for member: a message of the group's
// category, matching its correlation filter, in member's share.
func (g Group) InShare(m *stream.Message, member int64) bool {
	if stream.Category(m.Stream) != g.Category {
		return false
	}
	if g.Correlation != "" && stream.CorrelationCategory(m.Metadata) != g.Correlation {
		return false
	}
	return g.Share(member).Contains(m.Stream)
}

// Member is one member of a group: where it is and who holds it.
type Member struct {
	Member int64
	// Checkpoint is the global position the member has processed up to:
	// it is handed the messages of its share above it.
	Checkpoint int64
	// UpdatedAt is when the checkpoint last changed (ack or reset); nil when
	// it has not changed since the group was created.
	UpdatedAt *time.Time
	// Lease is the member's latest lease; zero when it never had one. It
	// holds the member only until it expires.
	Lease Lease
	// Lag is the number of messages of the member's share with a global
	// position above Checkpoint, when it was counted (ports.GroupStore's
	// MembersLag); 0 otherwise.
	Lag int64
}

// Status is a group with its members, each with its lag.
type Status struct {
	Group
	Members []Member
}

// Lag is the group's total lag: the sum of its members'.
func (s Status) Lag() int64 {
	var n int64
	for _, m := range s.Members {
		n += m.Lag
	}
	return n
}
