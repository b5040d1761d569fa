package rpc

import (
	"context"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// GroupService runs durable consumer groups (PROTOCOL.md §8);
// *service.Groups implements it. Safe for concurrent use.
type GroupService interface {
	Create(ctx context.Context, ns, name string, d group.Definition) (group.Group, error)
	// Fetch hands the messages to page, possibly in several calls.
	Fetch(ctx context.Context, ns, name string, f service.Fetch, visit func(*stream.Message) error) error
	Ack(ctx context.Context, ns, name string, a service.Ack) (group.Member, error)
	Info(ctx context.Context, ns, name string) (group.Status, error)
	List(ctx context.Context, ns string) ([]group.Status, error)
	Reset(ctx context.Context, ns, name string, member *int64, pos int64) (group.Status, error)
	Delete(ctx context.Context, ns, name string) (time.Time, error)
	Join(ctx context.Context, ns, name string, ttl time.Duration) (group.Member, error)
}

var _ GroupService = (*service.Groups)(nil)

// groupMethods are the group.* methods of PROTOCOL.md §8.
func groupMethods(d Deps) []Method {
	return []Method{
		groupCreate(d.Groups),
		groupFetch(d.Groups, d.Expensive),
		groupAck(d.Groups),
		groupInfo(d.Groups),
		groupList(d.Groups),
		groupReset(d.Groups),
		groupDelete(d.Groups, d.Clock),
		groupJoin(d.Groups),
	}
}

// groupCreated answers group.create.
type groupCreated struct {
	Group     string `json:"group"`
	Category  string `json:"category"`
	Size      int64  `json:"size"`
	CreatedAt string `json:"createdAt"`
}

// groupInfoResult answers group.info and group.reset, and is an element of
// group.list.
type groupInfoResult struct {
	Group     string         `json:"group"`
	Category  string         `json:"category"`
	Size      int64          `json:"size"`
	CreatedAt string         `json:"createdAt"`
	Lag       int64          `json:"lag"`
	Members   []memberResult `json:"members"`
	// The rest of the definition, only for group.list {definitions: true}
	// (what export --groups needs to create the group again).
	*groupDefinition
}

// groupDefinition is what group.info leaves out of a group's definition:
// its correlation (null for none), startAt as created ("beginning", "end" or
// a global position) and start, the checkpoint every member started at.
type groupDefinition struct {
	Correlation *string `json:"correlation"`
	StartAt     any     `json:"startAt"`
	Start       int64   `json:"start"`
}

// memberResult is one member of a group.info: its checkpoint (the global
// position processed up to), its lag, and when the checkpoint last moved
// (null: not since the group was created).
type memberResult struct {
	Member         int64   `json:"member"`
	GlobalPosition int64   `json:"globalPosition"`
	Lag            int64   `json:"lag"`
	UpdatedAt      *string `json:"updatedAt"`
}

type ackResult struct {
	Member         int64 `json:"member"`
	GlobalPosition int64 `json:"globalPosition"`
}

type groupDeleted struct {
	Group     string `json:"group"`
	DeletedAt string `json:"deletedAt"`
}

type joinResult struct {
	Member    int64  `json:"member"`
	Lease     string `json:"lease"`
	ExpiresAt string `json:"expiresAt"`
}

func toCreated(g group.Group) groupCreated {
	return groupCreated{Group: g.Name, Category: g.Category, Size: g.Size, CreatedAt: httpapi.FormatTime(g.CreatedAt)}
}

func toDefinition(g group.Group) *groupDefinition {
	d := &groupDefinition{StartAt: g.StartAt.String(), Start: g.Start}
	if g.Correlation != "" {
		d.Correlation = &g.Correlation
	}
	if g.StartAt.Kind == group.Position {
		d.StartAt = g.StartAt.Position
	}
	return d
}

func toInfo(s group.Status) groupInfoResult {
	members := make([]memberResult, len(s.Members))
	for i, m := range s.Members {
		members[i] = memberResult{Member: m.Member, GlobalPosition: m.Checkpoint, Lag: m.Lag, UpdatedAt: formatTimePtr(m.UpdatedAt)}
	}
	return groupInfoResult{
		Group: s.Name, Category: s.Category, Size: s.Size,
		CreatedAt: httpapi.FormatTime(s.CreatedAt), Lag: s.Lag(), Members: members,
	}
}
