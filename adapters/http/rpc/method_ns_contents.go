package rpc

import (
	"context"
	"encoding/json"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
)

type streamItem struct {
	Stream       string `json:"stream"`
	Version      int64  `json:"version"`
	LastActivity string `json:"lastActivity"`
}

type categoryItem struct {
	Category     string `json:"category"`
	StreamCount  int64  `json:"streamCount"`
	MessageCount int64  `json:"messageCount"`
}

// nsStreams: ["ns.streams", options?] with options {prefix?, limit?, cursor?}:
// the principal's streams sorted by name, names after cursor.
func nsStreams(n NamespaceService) Method {
	return Method{Name: "ns.streams", MinArgs: 0, MaxArgs: 1, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		opts := r.Options(0, "options")
		list := service.StreamList{Prefix: opts.String("prefix"), Cursor: opts.String("cursor"), Limit: opts.Int64("limit")}
		if err := r.Err(); err != nil {
			return nil, err
		}
		streams, err := n.Streams(ctx, p.Namespace, list)
		if err != nil {
			return nil, err
		}
		out := make([]streamItem, len(streams))
		for i, s := range streams {
			out[i] = streamItem{Stream: s.Stream, Version: s.Version, LastActivity: httpapi.FormatTime(s.LastActivity)}
		}
		return out, nil
	}}
}

// nsCategories: ["ns.categories"]: the principal's categories sorted by name.
func nsCategories(n NamespaceService) Method {
	return Method{Name: "ns.categories", MinArgs: 0, MaxArgs: 0, Handle: func(ctx context.Context, p service.Principal, _ []json.RawMessage) (any, error) {
		cats, err := n.Categories(ctx, p.Namespace)
		if err != nil {
			return nil, err
		}
		out := make([]categoryItem, len(cats))
		for i, c := range cats {
			out[i] = categoryItem{Category: c.Category, StreamCount: c.StreamCount, MessageCount: c.MessageCount}
		}
		return out, nil
	}}
}
