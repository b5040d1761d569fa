package transfer

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/eventodb/eventodb/client"
	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/interchange"
	"github.com/eventodb/eventodb/ports"
)

// GroupSource reads a namespace's durable consumer groups with their
// members' checkpoints, for export --groups.
type GroupSource interface {
	ExportGroups(ctx context.Context) ([]group.Status, error)
}

// ExportGroups writes src's groups (only those reading one of categories,
// when any are given) as group and checkpoint lines after an export's
// messages, and returns how many groups it wrote.
func ExportGroups(ctx context.Context, src GroupSource, categories []string, w io.Writer) (int, error) {
	groups, err := src.ExportGroups(ctx)
	if err != nil {
		return 0, fmt.Errorf("read the groups: %w", err)
	}
	bw := bufio.NewWriter(w)
	enc := interchange.NewEncoder(bw)
	n := 0
	for _, st := range groups {
		if len(categories) > 0 && !slices.Contains(categories, st.Category) {
			continue
		}
		if err := enc.EncodeGroup(st.Group, st.Members); err != nil {
			return n, err
		}
		n++
	}
	return n, bw.Flush()
}

// ExportGroups reads the store's groups and their members.
func (s StoreSource) ExportGroups(ctx context.Context) ([]group.Status, error) {
	if s.Groups == nil {
		return nil, fmt.Errorf("this store keeps no consumer groups")
	}
	return storeGroups(ctx, s.Groups, s.Namespace)
}

func storeGroups(ctx context.Context, gs ports.GroupStore, ns string) ([]group.Status, error) {
	list, err := gs.Groups(ctx, ns)
	if err != nil {
		return nil, err
	}
	out := make([]group.Status, 0, len(list))
	for _, g := range list {
		members, err := gs.Members(ctx, ns, g.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, group.Status{Group: g, Members: members})
	}
	return out, nil
}

// ExportGroups reads the token's namespace's groups with group.list
// {definitions: true}.
func (s RemoteSource) ExportGroups(ctx context.Context) ([]group.Status, error) {
	return remoteGroups(ctx, s.Client)
}

// remoteGroups lists the groups of c's token's namespace with their
// definitions and checkpoints.
func remoteGroups(ctx context.Context, c *client.Client) ([]group.Status, error) {
	list, err := c.ListGroups(ctx, &client.ListGroupsOptions{Definitions: true})
	if err != nil {
		return nil, err
	}
	out := make([]group.Status, len(list))
	for i, g := range list {
		d := g.Definition
		if d == nil {
			return nil, fmt.Errorf("group.list: group %q came without its definition", g.Group)
		}
		st := group.Status{Group: group.Group{
			Name:       g.Group,
			Definition: group.Definition{Category: d.Category, Size: d.Size, Correlation: d.Correlation},
			Start:      g.Start,
			CreatedAt:  g.CreatedAt,
		}}
		if pos, ok := d.StartAt.Position(); ok {
			if st.StartAt, err = group.AtPosition(pos); err != nil {
				return nil, fmt.Errorf("group.list: group %q: %w", g.Group, err)
			}
		} else if d.StartAt.IsEnd() {
			st.StartAt = group.StartAt{Kind: group.End}
		}
		for _, m := range g.Members {
			member := group.Member{Member: m.Member, Checkpoint: m.Checkpoint}
			if !m.UpdatedAt.IsZero() {
				at := m.UpdatedAt
				member.UpdatedAt = &at
			}
			st.Members = append(st.Members, member)
		}
		out[i] = st
	}
	return out, nil
}
