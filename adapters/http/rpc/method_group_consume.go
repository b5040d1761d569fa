package rpc

import (
	"context"
	"encoding/json"
	"time"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// callerOptions reads who acts on a member: {member?, lease?}. With a lease
// the member may be left out.
func callerOptions(r *argReader, opts options) service.Caller {
	c := service.Caller{Member: opts.Int64("member"), Lease: opts.String("lease")}
	if r.Err() == nil && c.Member == nil && c.Lease == "" {
		r.fail("member", "is required (or a lease from group.join)")
	}
	return c
}

// groupFetch: ["group.fetch", name, {member, batchSize?, lease?}]: the
// member's next messages after its checkpoint (default 100), in
// category.get's format. It does not move the checkpoint; a lease is renewed.
func groupFetch(g GroupService, expensive httpapi.ExpensiveRequests) Method {
	return Method{Name: "group.fetch", MinArgs: 2, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "name")
		opts := r.Options(1, "options")
		f := service.Fetch{Caller: callerOptions(r, opts), BatchSize: opts.Int64("batchSize")}
		if err := r.Err(); err != nil {
			return nil, err
		}
		release, err := admitRead(expensive, p.Token, f.BatchSize)
		if err != nil {
			return nil, err
		}
		return Streamed{
			Run: func(visit func(*stream.Message) error) error {
				defer release()
				return g.Fetch(ctx, p.Namespace, name, f, visit)
			},
			Append: appendCategoryMessage,
		}, nil
	}}
}

// groupAck: ["group.ack", name, {member, globalPosition, lease?}]: moves the
// checkpoint forward (a lower value leaves it) and answers it, once durable.
func groupAck(g GroupService) Method {
	return Method{Name: "group.ack", MinArgs: 2, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "name")
		opts := r.Options(1, "options")
		a := service.Ack{Caller: callerOptions(r, opts)}
		pos := opts.Int64("globalPosition")
		if r.Err() == nil && pos == nil {
			r.fail("globalPosition", "is required")
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
		a.GlobalPosition = *pos
		m, err := g.Ack(ctx, p.Namespace, name, a)
		if err != nil {
			return nil, err
		}
		return ackResult{Member: m.Member, GlobalPosition: m.Checkpoint}, nil
	}}
}

// groupJoin: ["group.join", name, {ttl?}]: leases a free member for ttl (a
// duration such as "30s", or an integer of milliseconds; default 30s).
// Every member held: GROUP_FULL.
func groupJoin(g GroupService) Method {
	return Method{Name: "group.join", MinArgs: 1, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		name := r.String(0, "name")
		opts := r.Options(1, "options")
		ttl := ttlOption(r, opts)
		if err := r.Err(); err != nil {
			return nil, err
		}
		m, err := g.Join(ctx, p.Namespace, name, ttl)
		if err != nil {
			return nil, err
		}
		return joinResult{Member: m.Member, Lease: m.Lease.ID, ExpiresAt: httpapi.FormatTime(m.Lease.ExpiresAt)}, nil
	}}
}

// ttlOption reads ttl: a duration string or whole milliseconds.
func ttlOption(r *argReader, opts options) time.Duration {
	raw := opts.Raw("ttl")
	if raw == nil || r.Err() != nil {
		return group.DefaultTTL
	}
	if ms, ok := decodeInt(raw); ok {
		ttl := time.Duration(ms) * time.Millisecond
		if ttl < group.MinTTL || ttl > group.MaxTTL || ms > int64(group.MaxTTL/time.Millisecond) {
			r.fail("ttl", "must be from "+group.MinTTL.String()+" to "+group.MaxTTL.String())
		}
		return ttl
	}
	s, ok := decodeString(raw)
	if !ok {
		r.fail("ttl", `must be a duration such as "30s", or whole milliseconds`)
		return 0
	}
	ttl, err := group.ParseTTL(s)
	if err != nil && r.err == nil {
		r.err = err
	}
	return ttl
}
