package rpc

import (
	"context"
	"encoding/json"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

// groupCreate: ["group.create", name, {category, size?, correlation?,
// startAt?}]. startAt is "beginning" (default), "end" or a global position
// (an integer, the first message delivered). The same definition again
// answers the stored group; another is GROUP_EXISTS.
func groupCreate(g GroupService) Method {
	return Method{Name: "group.create", MinArgs: 2, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "name")
		opts := r.Options(1, "options")
		d := group.Definition{Category: opts.String("category"), Size: 1, Correlation: opts.String("correlation")}
		if !opts.Has("category") {
			r.fail("category", "is required")
		}
		if size := opts.Int64("size"); size != nil {
			d.Size = *size
		}
		d.StartAt = startAtOption(r, opts)
		if err := r.Err(); err != nil {
			return nil, err
		}
		created, err := g.Create(ctx, p.Namespace, name, d)
		if err != nil {
			return nil, err
		}
		return toCreated(created), nil
	}}
}

// startAtOption reads startAt: "beginning", "end" or an integer position.
func startAtOption(r *argReader, opts options) group.StartAt {
	raw := opts.Raw("startAt")
	if raw == nil || r.Err() != nil {
		return group.StartAt{}
	}
	if n, ok := decodeInt(raw); ok {
		at, err := group.AtPosition(n)
		if err != nil && r.err == nil {
			r.err = err
		}
		return at
	}
	s, ok := decodeString(raw)
	if !ok || (s != "beginning" && s != "end") {
		r.fail("startAt", `must be "beginning", "end" or a global position (an integer)`)
		return group.StartAt{}
	}
	at, _ := group.ParseStartAt(s)
	return at
}

// groupInfo: ["group.info", name]: the group, its members' checkpoints and
// lag, and the total lag.
func groupInfo(g GroupService) Method {
	return Method{Name: "group.info", MinArgs: 1, MaxArgs: 1, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "name")
		if err := r.Err(); err != nil {
			return nil, err
		}
		st, err := g.Info(ctx, p.Namespace, name)
		if err != nil {
			return nil, err
		}
		return toInfo(st), nil
	}}
}

// groupList: ["group.list", options?]: every group of the namespace as
// group.info shows it, sorted by name. With options {definitions: true}
// each also carries correlation, startAt and start (export --groups).
func groupList(g GroupService) Method {
	return Method{Name: "group.list", MinArgs: 0, MaxArgs: 1, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		definitions := r.Options(0, "options").Bool("definitions")
		if err := r.Err(); err != nil {
			return nil, err
		}
		list, err := g.List(ctx, p.Namespace)
		if err != nil {
			return nil, err
		}
		out := make([]groupInfoResult, len(list))
		for i, st := range list {
			out[i] = toInfo(st)
			if definitions {
				out[i].groupDefinition = toDefinition(st.Group)
			}
		}
		return out, nil
	}}
}

// groupReset: ["group.reset", name, {member?, globalPosition}]: sets the
// checkpoint of one member, or of every member, to globalPosition (the
// member is then handed the messages after it); answers group.info.
func groupReset(g GroupService) Method {
	return Method{Name: "group.reset", MinArgs: 2, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "name")
		opts := r.Options(1, "options")
		member := opts.Int64("member")
		pos := opts.Int64("globalPosition")
		if r.Err() == nil && pos == nil {
			r.fail("globalPosition", "is required")
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
		st, err := g.Reset(ctx, p.Namespace, name, member, *pos)
		if err != nil {
			return nil, err
		}
		return toInfo(st), nil
	}}
}

// groupDelete: ["group.delete", name]: removes the group and its checkpoints.
func groupDelete(g GroupService, clock ports.Clock) Method {
	return Method{Name: "group.delete", MinArgs: 1, MaxArgs: 1, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "name")
		if err := r.Err(); err != nil {
			return nil, err
		}
		at, err := g.Delete(ctx, p.Namespace, name)
		if err != nil {
			return nil, err
		}
		if at.IsZero() {
			at = clock.Now()
		}
		return groupDeleted{Group: name, DeletedAt: httpapi.FormatTime(at)}, nil
	}}
}
