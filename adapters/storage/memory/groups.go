package memory

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/ports"
)

var _ ports.GroupStore = (*Store)(nil)

// groupState is one durable consumer group of a namespace and its members,
// guarded by the namespace's lock: changes under the write lock are atomic,
// as the SQL stores' conditional updates are.
type groupState struct {
	g       group.Group
	members []group.Member // by member number
}

// groupOf returns group name of sp.
func (sp *space) groupOf(name string) (*groupState, error) {
	gs := sp.groups[name]
	if gs == nil {
		return nil, group.NotFoundError(name)
	}
	return gs, nil
}

// CreateGroup adds g unless a group of its name exists.
func (s *Store) CreateGroup(ctx context.Context, ns string, g group.Group) (group.Group, bool, error) {
	var stored group.Group
	created := false
	err := s.write(ctx, ns, func(sp *space) error {
		if gs := sp.groups[g.Name]; gs != nil {
			stored = gs.g
			return nil
		}
		g.CreatedAt = microUTC(g.CreatedAt)
		members := make([]group.Member, g.Size)
		for i := range members {
			members[i] = group.Member{Member: int64(i), Checkpoint: g.Start}
		}
		sp.groups[g.Name] = &groupState{g: g, members: members}
		stored, created = g, true
		return nil
	})
	return stored, created, err
}

// Group returns group name.
func (s *Store) Group(ctx context.Context, ns, name string) (group.Group, error) {
	var g group.Group
	err := s.read(ctx, ns, func(sp *space) error {
		gs, err := sp.groupOf(name)
		if err == nil {
			g = gs.g
		}
		return err
	})
	return g, err
}

// Groups returns every group sorted by name.
func (s *Store) Groups(ctx context.Context, ns string) ([]group.Group, error) {
	out := []group.Group{}
	err := s.read(ctx, ns, func(sp *space) error {
		for _, gs := range sp.groups {
			out = append(out, gs.g)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b group.Group) int { return strings.Compare(a.Name, b.Name) })
	return out, err
}

// CountGroups is the number of groups.
func (s *Store) CountGroups(ctx context.Context, ns string) (int64, error) {
	var n int64
	err := s.read(ctx, ns, func(sp *space) error {
		n = int64(len(sp.groups))
		return nil
	})
	return n, err
}

// DeleteGroup removes group name.
func (s *Store) DeleteGroup(ctx context.Context, ns, name string) error {
	return s.write(ctx, ns, func(sp *space) error {
		if _, err := sp.groupOf(name); err != nil {
			return err
		}
		delete(sp.groups, name)
		return nil
	})
}

// Member returns one member.
func (s *Store) Member(ctx context.Context, ns, name string, member int64) (group.Member, error) {
	var m group.Member
	err := s.read(ctx, ns, func(sp *space) error {
		gs, err := sp.groupOf(name)
		if err != nil {
			return err
		}
		if err := gs.g.ValidateMember(member); err != nil {
			return err
		}
		m = copyMember(gs.members[member])
		return nil
	})
	return m, err
}

// Members returns every member.
func (s *Store) Members(ctx context.Context, ns, name string) ([]group.Member, error) {
	var out []group.Member
	err := s.read(ctx, ns, func(sp *space) error {
		gs, err := sp.groupOf(name)
		if err != nil {
			return err
		}
		out = copyMembers(gs.members)
		return nil
	})
	return out, err
}

// MembersLag counts each member's share above its checkpoint: a binary
// search of the category's index for the lowest checkpoint, then one pass
// over what follows, each message counted for the member it belongs to.
func (s *Store) MembersLag(ctx context.Context, ns, name string) ([]group.Member, error) {
	var out []group.Member
	err := s.read(ctx, ns, func(sp *space) error {
		gs, err := sp.groupOf(name)
		if err != nil {
			return err
		}
		out = copyMembers(gs.members)
		cat := sp.categories[gs.g.Category]
		if cat == nil {
			return nil
		}
		low := out[0].Checkpoint
		for _, m := range out {
			low = min(low, m.Checkpoint)
		}
		for _, e := range cat.entries[fromGlobal(cat.entries, low+1):] {
			if gs.g.Correlation != "" && e.correlation != gs.g.Correlation {
				continue
			}
			m := &out[partition.MemberOf(e.hash, gs.g.Size)]
			if e.msg.GlobalPosition > m.Checkpoint {
				m.Lag++
			}
		}
		return nil
	})
	return out, err
}

// Ack moves the checkpoint forward, after checking and renewing the lease.
func (s *Store) Ack(ctx context.Context, ns, name string, a group.Ack) (group.Member, error) {
	var out group.Member
	err := s.write(ctx, ns, func(sp *space) error {
		m, err := sp.member(name, a.Member)
		if err != nil {
			return err
		}
		if a.Lease != "" {
			if !m.Lease.Holds(a.Lease, a.At) {
				return group.LeaseExpiredError(name, a.Lease)
			}
			m.Lease = m.Lease.Renewed(a.At)
			m.Lease.ExpiresAt = microUTC(m.Lease.ExpiresAt)
		}
		if next := group.Advance(m.Checkpoint, a.Position); next != m.Checkpoint {
			at := microUTC(a.At)
			m.Checkpoint, m.UpdatedAt = next, &at
		}
		out = copyMember(*m)
		return nil
	})
	return out, err
}

// Reset sets checkpoints to exactly r.Position.
func (s *Store) Reset(ctx context.Context, ns, name string, r group.Reset) error {
	return s.write(ctx, ns, func(sp *space) error {
		gs, err := sp.groupOf(name)
		if err != nil {
			return err
		}
		at := microUTC(r.At)
		for i := range gs.members {
			if r.Member == group.AllMembers || r.Member == int64(i) {
				gs.members[i].Checkpoint, gs.members[i].UpdatedAt = r.Position, &at
			}
		}
		return nil
	})
}

// Join leases the lowest-numbered member no live lease holds.
func (s *Store) Join(ctx context.Context, ns, name string, lease group.Lease, now time.Time) (group.Member, error) {
	var out group.Member
	err := s.write(ctx, ns, func(sp *space) error {
		gs, err := sp.groupOf(name)
		if err != nil {
			return err
		}
		for i := range gs.members {
			m := &gs.members[i]
			if !m.Lease.Live(now) {
				lease.ExpiresAt = microUTC(lease.ExpiresAt)
				m.Lease = lease
				out = copyMember(*m)
				return nil
			}
		}
		return group.FullError(name, gs.g.Size)
	})
	return out, err
}

// Renew extends member's lease when lease is its live lease.
func (s *Store) Renew(ctx context.Context, ns, name string, member int64, lease string, now time.Time) (group.Member, error) {
	var out group.Member
	err := s.write(ctx, ns, func(sp *space) error {
		m, err := sp.member(name, member)
		if err != nil {
			return err
		}
		if !m.Lease.Holds(lease, now) {
			return group.LeaseExpiredError(name, lease)
		}
		m.Lease = m.Lease.Renewed(now)
		m.Lease.ExpiresAt = microUTC(m.Lease.ExpiresAt)
		out = copyMember(*m)
		return nil
	})
	return out, err
}

// member returns member of group name, to change under the write lock.
func (sp *space) member(name string, member int64) (*group.Member, error) {
	gs, err := sp.groupOf(name)
	if err != nil {
		return nil, err
	}
	if err := gs.g.ValidateMember(member); err != nil {
		return nil, err
	}
	return &gs.members[member], nil
}

// copyMember is m with its own UpdatedAt, which the caller may keep.
func copyMember(m group.Member) group.Member {
	if m.UpdatedAt != nil {
		at := *m.UpdatedAt
		m.UpdatedAt = &at
	}
	return m
}

func copyMembers(ms []group.Member) []group.Member {
	out := make([]group.Member, len(ms))
	for i, m := range ms {
		out[i] = copyMember(m)
	}
	return out
}
