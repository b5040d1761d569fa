package transfer

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"time"

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
	var list []struct {
		Group       string          `json:"group"`
		Category    string          `json:"category"`
		Size        int64           `json:"size"`
		CreatedAt   string          `json:"createdAt"`
		Correlation *string         `json:"correlation"`
		StartAt     json.RawMessage `json:"startAt"`
		Start       int64           `json:"start"`
		Members     []struct {
			Member         int64   `json:"member"`
			GlobalPosition int64   `json:"globalPosition"`
			UpdatedAt      *string `json:"updatedAt"`
		} `json:"members"`
	}
	if err := c.Call(ctx, &list, "group.list", map[string]any{"definitions": true}); err != nil {
		return nil, err
	}
	out := make([]group.Status, len(list))
	for i, g := range list {
		st := group.Status{Group: group.Group{
			Name: g.Group, Definition: group.Definition{Category: g.Category, Size: g.Size}, Start: g.Start,
		}}
		if g.Correlation != nil {
			st.Correlation = *g.Correlation
		}
		var startAt any
		if err := json.Unmarshal(g.StartAt, &startAt); err != nil {
			return nil, fmt.Errorf("group.list: group %q has startAt %s", g.Group, g.StartAt)
		}
		var err error
		switch v := startAt.(type) {
		case string:
			st.StartAt, err = group.ParseStartAt(v)
		case float64:
			st.StartAt, err = group.AtPosition(int64(v))
		}
		if err != nil {
			return nil, fmt.Errorf("group.list: group %q: %w", g.Group, err)
		}
		if st.CreatedAt, err = time.Parse(time.RFC3339Nano, g.CreatedAt); err != nil {
			return nil, fmt.Errorf("group.list: group %q has createdAt %q", g.Group, g.CreatedAt)
		}
		for _, m := range g.Members {
			member := group.Member{Member: m.Member, Checkpoint: m.GlobalPosition}
			if m.UpdatedAt != nil {
				at, err := time.Parse(time.RFC3339Nano, *m.UpdatedAt)
				if err != nil {
					return nil, fmt.Errorf("group.list: group %q member %d has updatedAt %q", g.Group, m.Member, *m.UpdatedAt)
				}
				member.UpdatedAt = &at
			}
			st.Members = append(st.Members, member)
		}
		out[i] = st
	}
	return out, nil
}
