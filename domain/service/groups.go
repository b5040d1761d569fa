package service

import (
	"context"
	"errors"
	"time"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// DefaultFetchSize is how many messages group.fetch returns when asked for
// no batchSize.
const DefaultFetchSize = 100

// HeadReader tells a namespace's last global position; ports.AllReader
// (every store) implements it.
type HeadReader interface {
	LastGlobalPosition(ctx context.Context, ns string) (int64, error)
}

// Groups runs durable consumer groups (PROTOCOL.md §8): it validates
// requests, resolves where groups start, reads members' shares through the
// category service (the same hash and filters as category.get), and keeps
// checkpoints and leases in a ports.GroupStore with times from the clock.
type Groups struct {
	store      ports.GroupStore
	categories *Categories
	head       HeadReader
	clock      ports.Clock
	ids        ports.IDGenerator // lease ids
}

// NewGroups returns the group service.
func NewGroups(store ports.GroupStore, categories *Categories, head HeadReader, clock ports.Clock, ids ports.IDGenerator) *Groups {
	return &Groups{store: store, categories: categories, head: head, clock: clock, ids: ids}
}

// Create makes group name reading d, or returns the group stored under name
// when its definition is d (idempotent); another definition is
// group.ErrExists. startAt "end" is resolved to a position once, here.
func (s *Groups) Create(ctx context.Context, ns, name string, d group.Definition) (group.Group, error) {
	if err := group.ValidateName(name); err != nil {
		return group.Group{}, err
	}
	if err := d.Validate(); err != nil {
		return group.Group{}, err
	}
	head, err := s.head.LastGlobalPosition(ctx, ns)
	if err != nil {
		return group.Group{}, err
	}
	g, err := group.New(name, d, head, s.clock.Now())
	if err != nil {
		return group.Group{}, err
	}
	stored, created, err := s.store.CreateGroup(ctx, ns, g)
	if err != nil {
		return group.Group{}, err
	}
	if !created && !stored.Definition.Same(d) {
		return group.Group{}, group.ExistsError(name, stored.Definition)
	}
	return stored, nil
}

// Restore stores g as it was exported (its start and creation time kept),
// for an import; a group of the same definition that exists already is kept.
func (s *Groups) Restore(ctx context.Context, ns string, g group.Group) error {
	if err := group.ValidateName(g.Name); err != nil {
		return err
	}
	if err := g.Validate(); err != nil {
		return err
	}
	head, err := s.head.LastGlobalPosition(ctx, ns)
	if err != nil {
		return err
	}
	if err := group.ValidatePosition(g.Start, head); err != nil {
		return err
	}
	stored, created, err := s.store.CreateGroup(ctx, ns, g)
	if err != nil {
		return err
	}
	if !created && !stored.Definition.Same(g.Definition) {
		return group.ExistsError(g.Name, stored.Definition)
	}
	return nil
}

// RestoreCheckpoint sets a member's checkpoint to pos as an import restores
// it, updated at at. A zero at is a checkpoint that never moved: it is left
// alone when it is at pos already, and updated now otherwise.
func (s *Groups) RestoreCheckpoint(ctx context.Context, ns, name string, member, pos int64, at time.Time) error {
	g, err := s.store.Group(ctx, ns, name)
	if err != nil {
		return err
	}
	if err := g.ValidateMember(member); err != nil {
		return err
	}
	if err := s.checkPosition(ctx, ns, pos); err != nil {
		return err
	}
	if at.IsZero() {
		m, err := s.store.Member(ctx, ns, name, member)
		if err != nil || m.Checkpoint == pos {
			return err
		}
		at = s.clock.Now()
	}
	return s.store.Reset(ctx, ns, name, group.Reset{Member: member, Position: pos, At: at})
}

// Caller is who acts on a member: a member number, a lease, or both. With a
// lease the member may be left out: it is the one the lease holds.
type Caller struct {
	Member *int64
	Lease  string
}

// Fetch is a group.fetch request.
type Fetch struct {
	Caller
	BatchSize *int64 // nil: DefaultFetchSize
}

// Fetch hands page the member's next messages after its checkpoint, as
// category.get reads them: the group's category and correlation, the
// member's share. It does not move the checkpoint; with a lease it renews it.
func (s *Groups) Fetch(ctx context.Context, ns, name string, f Fetch, visit func(*stream.Message) error) error {
	g, m, err := s.Resolve(ctx, ns, name, f.Caller)
	if err != nil {
		return err
	}
	size := f.BatchSize
	if size == nil {
		n := int64(DefaultFetchSize)
		size = &n
	}
	share := g.Share(m.Member)
	return s.categories.Scan(ctx, ns, CategoryRead{
		Category:       g.Category,
		GlobalPosition: m.Checkpoint + 1,
		BatchSize:      size,
		Correlation:    g.Correlation,
		Group:          &share,
	}, visit)
}

// Resolve returns the group and the member c acts as, with its checkpoint.
// With a lease it checks that the lease holds the member and renews it
// (group.ErrLeaseExpired otherwise). Subscriptions start from it.
func (s *Groups) Resolve(ctx context.Context, ns, name string, c Caller) (group.Group, group.Member, error) {
	g, member, err := s.caller(ctx, ns, name, c)
	if err != nil {
		return group.Group{}, group.Member{}, err
	}
	var m group.Member
	if c.Lease != "" {
		m, err = s.store.Renew(ctx, ns, name, member, c.Lease, s.clock.Now())
	} else {
		m, err = s.store.Member(ctx, ns, name, member)
	}
	return g, m, err
}

// caller reads the group and finds the member c names: its number, checked
// against the group's size, or, for a lease alone, the member holding it.
func (s *Groups) caller(ctx context.Context, ns, name string, c Caller) (group.Group, int64, error) {
	if err := group.ValidateName(name); err != nil {
		return group.Group{}, 0, err
	}
	g, err := s.store.Group(ctx, ns, name)
	if err != nil {
		return group.Group{}, 0, err
	}
	if c.Member != nil {
		return g, *c.Member, g.ValidateMember(*c.Member)
	}
	if c.Lease == "" {
		return group.Group{}, 0, stream.Invalid("member", "is required (or a lease from group.join)")
	}
	members, err := s.store.Members(ctx, ns, name)
	if err != nil {
		return group.Group{}, 0, err
	}
	for _, m := range members {
		if m.Lease.ID == c.Lease {
			return g, m.Member, nil
		}
	}
	return group.Group{}, 0, group.LeaseExpiredError(name, c.Lease)
}

// Ack is a group.ack request.
type Ack struct {
	Caller
	GlobalPosition int64
}

// Ack moves the member's checkpoint forward to a.GlobalPosition (a lower
// value leaves it) and returns the member; the checkpoint is durable when
// Ack returns. With a lease that is no longer valid it is
// group.ErrLeaseExpired and the checkpoint stays. A position past the
// namespace's last global position is refused.
func (s *Groups) Ack(ctx context.Context, ns, name string, a Ack) (group.Member, error) {
	_, member, err := s.caller(ctx, ns, name, a.Caller)
	if err != nil {
		return group.Member{}, err
	}
	if err := s.checkPosition(ctx, ns, a.GlobalPosition); err != nil {
		return group.Member{}, err
	}
	return s.store.Ack(ctx, ns, name, group.Ack{Member: member, Position: a.GlobalPosition, Lease: a.Lease, At: s.clock.Now()})
}

// checkPosition refuses a checkpoint past the namespace's last global position.
func (s *Groups) checkPosition(ctx context.Context, ns string, pos int64) error {
	if pos < 0 {
		return group.ValidatePosition(pos, 0)
	}
	head, err := s.head.LastGlobalPosition(ctx, ns)
	if err != nil {
		return err
	}
	return group.ValidatePosition(pos, head)
}

// Info returns the group with its members and their lag.
func (s *Groups) Info(ctx context.Context, ns, name string) (group.Status, error) {
	if err := group.ValidateName(name); err != nil {
		return group.Status{}, err
	}
	g, err := s.store.Group(ctx, ns, name)
	if err != nil {
		return group.Status{}, err
	}
	members, err := s.store.MembersLag(ctx, ns, name)
	if err != nil {
		return group.Status{}, err
	}
	return group.Status{Group: g, Members: members}, nil
}

// List returns every group of the namespace, sorted by name, as Info does.
func (s *Groups) List(ctx context.Context, ns string) ([]group.Status, error) {
	groups, err := s.store.Groups(ctx, ns)
	if err != nil {
		return nil, err
	}
	out := make([]group.Status, 0, len(groups))
	for _, g := range groups {
		members, err := s.store.MembersLag(ctx, ns, g.Name)
		if errors.Is(err, group.ErrNotFound) {
			continue // deleted while we listed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, group.Status{Group: g, Members: members})
	}
	return out, nil
}

// Reset sets the checkpoint of one member, or of all when member is nil, to
// exactly pos (a replay from pos+1, or a skip), and returns the group as
// Info does.
func (s *Groups) Reset(ctx context.Context, ns, name string, member *int64, pos int64) (group.Status, error) {
	if err := group.ValidateName(name); err != nil {
		return group.Status{}, err
	}
	g, err := s.store.Group(ctx, ns, name)
	if err != nil {
		return group.Status{}, err
	}
	target := int64(group.AllMembers)
	if member != nil {
		if err := g.ValidateMember(*member); err != nil {
			return group.Status{}, err
		}
		target = *member
	}
	if err := s.checkPosition(ctx, ns, pos); err != nil {
		return group.Status{}, err
	}
	if err := s.store.Reset(ctx, ns, name, group.Reset{Member: target, Position: pos, At: s.clock.Now()}); err != nil {
		return group.Status{}, err
	}
	return s.Info(ctx, ns, name)
}

// Delete removes the group and its members' checkpoints and returns when.
func (s *Groups) Delete(ctx context.Context, ns, name string) (time.Time, error) {
	if err := group.ValidateName(name); err != nil {
		return time.Time{}, err
	}
	if err := s.store.DeleteGroup(ctx, ns, name); err != nil {
		return time.Time{}, err
	}
	return s.clock.Now(), nil
}

// Join leases a free member for ttl (group.DefaultTTL when 0) and returns
// it with its lease; when every member is held, group.ErrFull.
func (s *Groups) Join(ctx context.Context, ns, name string, ttl time.Duration) (group.Member, error) {
	if err := group.ValidateName(name); err != nil {
		return group.Member{}, err
	}
	if ttl == 0 {
		ttl = group.DefaultTTL
	}
	if ttl < group.MinTTL || ttl > group.MaxTTL {
		return group.Member{}, stream.Invalidf("ttl", "must be from %s to %s, got %s", group.MinTTL, group.MaxTTL, ttl)
	}
	now := s.clock.Now()
	return s.store.Join(ctx, ns, name, group.NewLease(s.ids.NewID(), now, ttl), now)
}

// Count is how many groups the namespace has.
func (s *Groups) Count(ctx context.Context, ns string) (int64, error) {
	return s.store.CountGroups(ctx, ns)
}
