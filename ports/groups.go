package ports

import (
	"context"
	"time"

	"github.com/eventodb/eventodb/domain/group"
)

// GroupStore keeps a namespace's durable consumer groups (PROTOCOL.md §8)
// beside its messages: the group definitions and each member's checkpoint
// and lease. Implementations are safe for concurrent use, also by several
// processes sharing one database: every change of a checkpoint or a lease is
// one atomic conditional write, so concurrent acks never move a checkpoint
// back and a member is never held by two live leases. A method returns only
// once what it changed is durable.
//
// Every method returns an error wrapping namespace.ErrNotFound when the
// namespace does not exist, and one wrapping group.ErrNotFound when a named
// group does not. Members are numbered 0..Size-1; the caller validates
// member numbers, positions and times (the group service does).
type GroupStore interface {
	// CreateGroup stores g, with every member at checkpoint g.Start and no
	// lease, unless the namespace has a group named g.Name: then it stores
	// nothing. It returns the group stored under the name and whether this
	// call created it.
	CreateGroup(ctx context.Context, ns string, g group.Group) (group.Group, bool, error)
	// Group returns the group named name.
	Group(ctx context.Context, ns, name string) (group.Group, error)
	// Groups returns every group of the namespace, sorted by name.
	Groups(ctx context.Context, ns string) ([]group.Group, error)
	GroupCounter
	// DeleteGroup removes the group and its members.
	DeleteGroup(ctx context.Context, ns, name string) error

	// Member returns one member (without lag).
	Member(ctx context.Context, ns, name string, member int64) (group.Member, error)
	// Members returns every member by number (without lag).
	Members(ctx context.Context, ns, name string) ([]group.Member, error)
	// MembersLag returns every member by number with its Lag: the number
	// of messages of its share (the group's category, correlation filter and
	// consumer-group member) with a global position above its checkpoint.
	MembersLag(ctx context.Context, ns, name string) ([]group.Member, error)

	// Ack moves a.Member's checkpoint to group.Advance(checkpoint,
	// a.Position) and returns the member. With a lease it first checks that
	// a.Lease is the member's live lease at a.At (else an error wrapping
	// group.ErrLeaseExpired, and nothing changes) and renews it from a.At.
	Ack(ctx context.Context, ns, name string, a group.Ack) (group.Member, error)
	// Reset sets the checkpoint of r.Member (every member for
	// group.AllMembers) to exactly r.Position.
	Reset(ctx context.Context, ns, name string, r group.Reset) error
	// Join gives lease (its ID, expiry and TTL) the lowest-numbered member
	// that no live lease holds at now, and returns that member. When every
	// member is held it returns an error wrapping group.ErrFull.
	Join(ctx context.Context, ns, name string, lease group.Lease, now time.Time) (group.Member, error)
	// Renew checks that lease is member's live lease at now and extends it
	// by its TTL from now; it returns the member. An invalid lease is an
	// error wrapping group.ErrLeaseExpired.
	Renew(ctx context.Context, ns, name string, member int64, lease string, now time.Time) (group.Member, error)
}

// GroupCounter counts a namespace's groups (ns.info's groupCount).
type GroupCounter interface {
	// CountGroups is how many groups the namespace has; an error wrapping
	// namespace.ErrNotFound when it does not exist.
	CountGroups(ctx context.Context, ns string) (int64, error)
}
