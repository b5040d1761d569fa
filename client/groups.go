package client

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Durable consumer groups (PROTOCOL.md §8): a group is a named reader of a
// category that the server keeps, split into members like ConsumerGroup;
// each member has a checkpoint, the global position it has processed up to.

// StartAt says where the members of a new group start: at the beginning of
// its category (the zero value), at its end, or at a global position.
type StartAt struct {
	kind     startKind
	position int64
}

type startKind uint8

const (
	startBeginning startKind = iota
	startEnd
	startPosition
)

// StartAtBeginning starts a group at the first message of its category:
// every member's checkpoint is 0. It is the zero StartAt.
func StartAtBeginning() StartAt { return StartAt{} }

// StartAtEnd starts a group after the last message of the namespace when it
// is created: only messages written later are handed out.
func StartAtEnd() StartAt { return StartAt{kind: startEnd} }

// StartAtPosition starts a group at global position gpos (1 or more): the
// first message handed out is the first at or after it.
func StartAtPosition(gpos int64) StartAt { return StartAt{kind: startPosition, position: gpos} }

// Position returns the global position of a StartAtPosition, and false for
// the beginning and the end.
func (s StartAt) Position() (int64, bool) { return s.position, s.kind == startPosition }

// IsEnd reports whether s is StartAtEnd.
func (s StartAt) IsEnd() bool { return s.kind == startEnd }

// String is s as the wire writes it: "beginning", "end" or the position.
func (s StartAt) String() string {
	switch s.kind {
	case startEnd:
		return "end"
	case startPosition:
		return strconv.FormatInt(s.position, 10)
	default:
		return "beginning"
	}
}

// MarshalJSON writes "beginning", "end" or the position as a number.
func (s StartAt) MarshalJSON() ([]byte, error) {
	if s.kind == startPosition {
		return strconv.AppendInt(nil, s.position, 10), nil
	}
	return json.Marshal(s.String())
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *StartAt) UnmarshalJSON(b []byte) error {
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		*s = StartAtPosition(n)
		return nil
	}
	var v string
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("startAt %s is neither a position nor a string", b)
	}
	switch v {
	case "beginning":
		*s = StartAtBeginning()
	case "end":
		*s = StartAtEnd()
	default:
		return fmt.Errorf("startAt %q is not \"beginning\", \"end\" or a position", v)
	}
	return nil
}

// GroupDefinition is what a group reads: the arguments of CreateGroup.
type GroupDefinition struct {
	// Category is the category read (required).
	Category string
	// Size is the number of members, 1 to 1000; 0 means 1, one member that
	// reads the whole category in global order.
	Size int64
	// Correlation, when set, reads only the messages whose
	// metadata.correlationStreamName lies in this category.
	Correlation string
	// StartAt is where the members start; the zero value is the beginning.
	StartAt StartAt
}

// wireGroupDefinition is the options argument of group.create; what is
// left out takes the server's default.
type wireGroupDefinition struct {
	Category    string   `json:"category"`
	Size        int64    `json:"size,omitempty"`
	Correlation string   `json:"correlation,omitempty"`
	StartAt     *StartAt `json:"startAt,omitempty"`
}

func (d GroupDefinition) wire() wireGroupDefinition {
	w := wireGroupDefinition{Category: d.Category, Size: d.Size, Correlation: d.Correlation}
	if d.StartAt != StartAtBeginning() {
		w.StartAt = &d.StartAt
	}
	return w
}

// CreatedGroup is the answer of CreateGroup.
type CreatedGroup struct {
	// Group is the group's name.
	Group string `json:"group"`
	// Category is the category it reads.
	Category string `json:"category"`
	// Size is its number of members.
	Size int64 `json:"size"`
	// CreatedAt is when it was first created, in UTC.
	CreatedAt time.Time `json:"createdAt"`
}

// GroupInfo describes a group and its members, as GroupInfo, ListGroups and
// ResetGroup return it.
type GroupInfo struct {
	// Group is the group's name.
	Group string `json:"group"`
	// Category is the category it reads.
	Category string `json:"category"`
	// Size is its number of members.
	Size int64 `json:"size"`
	// CreatedAt is when it was created, in UTC.
	CreatedAt time.Time `json:"createdAt"`
	// Lag is the sum of the members' lags.
	Lag int64 `json:"lag"`
	// Members lists every member, in order.
	Members []GroupMember `json:"members"`
	// Definition is the group's whole definition, as CreateGroup takes it:
	// only ListGroups with Definitions fills it in (nil otherwise).
	Definition *GroupDefinition `json:"-"`
	// Start is the checkpoint every member started at, where the
	// definition's StartAt resolved to when the group was created; only
	// with Definition.
	Start int64 `json:"-"`
}

// UnmarshalJSON reads a group.info result, with the definition keys that
// group.list {definitions: true} adds when they are there.
func (g *GroupInfo) UnmarshalJSON(b []byte) error {
	type plain GroupInfo
	var v struct {
		plain
		Correlation *string          `json:"correlation"`
		StartAt     *json.RawMessage `json:"startAt"`
		Start       int64            `json:"start"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*g = GroupInfo(v.plain)
	if v.StartAt == nil {
		return nil
	}
	d := &GroupDefinition{Category: g.Category, Size: g.Size}
	if v.Correlation != nil {
		d.Correlation = *v.Correlation
	}
	if err := d.StartAt.UnmarshalJSON(*v.StartAt); err != nil {
		return fmt.Errorf("group %q: %w", g.Group, err)
	}
	g.Definition, g.Start = d, v.Start
	return nil
}

// GroupMember is one member of a group.
type GroupMember struct {
	// Member is its number, 0 to Size-1.
	Member int64 `json:"member"`
	// Checkpoint is the global position it has processed up to: it is
	// handed the messages of its share after it.
	Checkpoint int64 `json:"globalPosition"`
	// Lag is how many messages of its share lie after its checkpoint.
	Lag int64 `json:"lag"`
	// UpdatedAt is when its checkpoint last moved, in UTC; zero when it has
	// not moved since the group was created.
	UpdatedAt time.Time `json:"updatedAt"`
}

// GroupAck is the answer of AckGroup.
type GroupAck struct {
	// Member is the member acked.
	Member int64 `json:"member"`
	// Checkpoint is its checkpoint after the ack: the position acked, or a
	// higher one it had already reached.
	Checkpoint int64 `json:"globalPosition"`
}

// GroupLease is the answer of JoinGroup: a member held for this worker.
type GroupLease struct {
	// Member is the member leased.
	Member int64 `json:"member"`
	// Lease identifies the hold: pass it as the Lease of FetchGroup,
	// AckGroup or a subscription, which renew it.
	Lease string `json:"lease"`
	// ExpiresAt is when it expires unless renewed, by the server's clock.
	ExpiresAt time.Time `json:"expiresAt"`
}

// DeletedGroup is the answer of DeleteGroup.
type DeletedGroup struct {
	// Group is the deleted group's name.
	Group string `json:"group"`
	// DeletedAt is when it was deleted, in UTC.
	DeletedAt time.Time `json:"deletedAt"`
}

// GroupFetchOptions say whose messages FetchGroup returns.
type GroupFetchOptions struct {
	// Member is the member, 0 to Size-1; ignored when Lease is set.
	Member int64
	// Lease, when set, fetches for the member this lease from JoinGroup
	// holds, and renews it; an expired one is ErrLeaseExpired.
	Lease string
	// BatchSize is the most messages to return: 0 is the server's default
	// (100), Unlimited is all of them, at most 10000 otherwise.
	BatchSize int
}

// GroupAckOptions say which checkpoint AckGroup moves, and where to.
type GroupAckOptions struct {
	// Member is the member, 0 to Size-1; ignored when Lease is set.
	Member int64
	// Lease, when set, acks for the member this lease holds, and renews it;
	// an expired one is ErrLeaseExpired and nothing changes.
	Lease string
	// GlobalPosition is the new checkpoint: normally the global position of
	// the last message handled.
	GlobalPosition int64
}

// wireCaller is the {member | lease} part of group.fetch and group.ack.
type wireCaller struct {
	Member *int64 `json:"member,omitempty"`
	Lease  string `json:"lease,omitempty"`
}

func caller(member int64, lease string) wireCaller {
	if lease != "" {
		return wireCaller{Lease: lease}
	}
	return wireCaller{Member: &member}
}

// JoinOptions are the options of JoinGroup; nil means the defaults.
type JoinOptions struct {
	// TTL is how long the lease holds its member unless a fetch or an ack
	// renews it: 100 ms to 24 h; 0 is the server's default, 30 s.
	TTL time.Duration
}

// ListGroupsOptions are the options of ListGroups; nil means none.
type ListGroupsOptions struct {
	// Definitions fills in each group's Definition and Start, what creating
	// it again elsewhere needs (an export with groups uses them).
	Definitions bool `json:"definitions,omitempty"`
}

// CreateGroup creates group name (a stream-like name) reading def.Category,
// or returns the group of that name when it has the same definition: safe to
// call at every start of a consumer, and retried like a read. A group of
// the name with another definition is ErrGroupExists. Its members start at
// def.StartAt.
func (c *Client) CreateGroup(ctx context.Context, name string, def GroupDefinition) (*CreatedGroup, error) {
	var out CreatedGroup
	if err := c.call(ctx, true, &out, "group.create", name, def.wire()); err != nil {
		return nil, err
	}
	return &out, nil
}

// FetchGroup returns a member's next messages after its checkpoint, in
// global order, as ReadCategory returns them. It does not move the
// checkpoint: fetching again returns the same messages until AckGroup. It
// is retried like a read (with a lease, a repeat only renews it again).
func (c *Client) FetchGroup(ctx context.Context, name string, opts GroupFetchOptions) ([]Message, error) {
	args := struct {
		wireCaller
		BatchSize int `json:"batchSize,omitempty"`
	}{caller(opts.Member, opts.Lease), opts.BatchSize}
	page := messagePage{category: true}
	if err := c.call(ctx, true, &page, "group.fetch", name, args); err != nil {
		return nil, err
	}
	return page.msgs, nil
}

// AckGroup moves a member's checkpoint forward to opts.GlobalPosition (a
// lower one leaves it: acks may arrive twice or out of order) and returns
// the checkpoint, durable once answered. Since a checkpoint only moves
// forward, acks are retried like reads. A position past the namespace's
// last one is ErrInvalidRequest.
func (c *Client) AckGroup(ctx context.Context, name string, opts GroupAckOptions) (*GroupAck, error) {
	args := struct {
		wireCaller
		GlobalPosition int64 `json:"globalPosition"`
	}{caller(opts.Member, opts.Lease), opts.GlobalPosition}
	var out GroupAck
	if err := c.call(ctx, true, &out, "group.ack", name, args); err != nil {
		return nil, err
	}
	return &out, nil
}

// JoinGroup leases the lowest-numbered member of group name that no live
// lease holds, so workers need no fixed member numbers; ErrGroupFull when
// every member is held (try again later). Fetches and acks with the lease
// renew it; once it expires, its member is free for the next join. A join
// is never retried after it may have reached the server: a lost answer
// would leave a member held until its lease expires.
func (c *Client) JoinGroup(ctx context.Context, name string, opts *JoinOptions) (*GroupLease, error) {
	args := []any{name}
	if opts != nil && opts.TTL != 0 {
		args = append(args, map[string]string{"ttl": opts.TTL.String()})
	}
	var out GroupLease
	if err := c.call(ctx, false, &out, "group.join", args...); err != nil {
		return nil, err
	}
	return &out, nil
}

// GroupInfo describes group name: its members' checkpoints and lag.
func (c *Client) GroupInfo(ctx context.Context, name string) (*GroupInfo, error) {
	var out GroupInfo
	if err := c.call(ctx, true, &out, "group.info", name); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListGroups returns every group of the token's namespace, sorted by name,
// as GroupInfo describes them.
func (c *Client) ListGroups(ctx context.Context, opts *ListGroupsOptions) ([]GroupInfo, error) {
	var args []any
	if opts != nil && opts.Definitions {
		args = append(args, opts)
	}
	var out []GroupInfo
	if err := c.call(ctx, true, &out, "group.list", args...); err != nil {
		return nil, err
	}
	return out, nil
}

// ResetGroup sets the checkpoint of every member of group name to exactly
// globalPosition, back (0 replays the whole category) or forward (the last
// global position skips everything written so far), and returns the group.
// Setting a checkpoint twice leaves it where once would, so it is retried
// like a read.
func (c *Client) ResetGroup(ctx context.Context, name string, globalPosition int64) (*GroupInfo, error) {
	return c.reset(ctx, name, nil, globalPosition)
}

// ResetGroupMember sets the checkpoint of one member of group name to
// exactly globalPosition, as ResetGroup does for all, and returns the group.
func (c *Client) ResetGroupMember(ctx context.Context, name string, member, globalPosition int64) (*GroupInfo, error) {
	return c.reset(ctx, name, &member, globalPosition)
}

func (c *Client) reset(ctx context.Context, name string, member *int64, globalPosition int64) (*GroupInfo, error) {
	args := struct {
		Member         *int64 `json:"member,omitempty"`
		GlobalPosition int64  `json:"globalPosition"`
	}{member, globalPosition}
	var out GroupInfo
	if err := c.call(ctx, true, &out, "group.reset", name, args); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteGroup deletes group name and its checkpoints. It is not retried: a
// repeat of a delete that went through would answer ErrGroupNotFound.
func (c *Client) DeleteGroup(ctx context.Context, name string) (*DeletedGroup, error) {
	var out DeletedGroup
	if err := c.call(ctx, false, &out, "group.delete", name); err != nil {
		return nil, err
	}
	return &out, nil
}
