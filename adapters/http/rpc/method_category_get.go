package rpc

import (
	"context"
	"encoding/json"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// categoryGet: ["category.get", categoryName, options?] with options
// {position?, globalPosition?, batchSize?, correlation?, consumerGroup?
// {member, size}}. position is a global position here (inclusive);
// globalPosition, when given, wins. The result array is streamed page by page.
func categoryGet(c CategoryService, expensive httpapi.ExpensiveRequests) Method {
	return Method{Name: "category.get", MinArgs: 1, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		read := service.CategoryRead{Category: r.String(0, "categoryName")}
		opts := r.Options(1, "options")
		if v := opts.Int64("position"); v != nil {
			read.GlobalPosition = *v
		}
		if v := opts.Int64("globalPosition"); v != nil {
			read.GlobalPosition = *v
		}
		read.BatchSize = opts.Int64("batchSize")
		read.Correlation = opts.String("correlation")
		if group, ok := opts.Object("consumerGroup"); ok {
			member, size := group.Int64("member"), group.Int64("size")
			switch {
			case r.Err() != nil:
			case member == nil:
				r.fail("consumerGroup.member", "is required")
			case size == nil:
				r.fail("consumerGroup.size", "is required")
			default:
				read.Group = &partition.Group{Member: *member, Size: *size}
			}
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
		release, err := admitRead(expensive, p.Token, read.BatchSize)
		if err != nil {
			return nil, err
		}
		return Streamed{
			Run: func(visit func(*stream.Message) error) error {
				defer release()
				return c.Scan(ctx, p.Namespace, read, visit)
			},
			Append: appendCategoryMessage,
		}, nil
	}}
}
