package rpc

import (
	"context"
	"encoding/json"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
)

type nsListItem struct {
	Namespace    string `json:"namespace"`
	Description  string `json:"description"`
	CreatedAt    string `json:"createdAt"`
	MessageCount int64  `json:"messageCount"`
}

type nsInfoResult struct {
	Namespace    string  `json:"namespace"`
	Description  string  `json:"description"`
	CreatedAt    string  `json:"createdAt"`
	MessageCount int64   `json:"messageCount"`
	StreamCount  int64   `json:"streamCount"`
	LastActivity *string `json:"lastActivity"`
	GroupCount   int64   `json:"groupCount"`
}

// nsList: ["ns.list"]; admin only. Every namespace, sorted by id.
func nsList(n NamespaceService) Method {
	return Method{Name: "ns.list", MinArgs: 0, MaxArgs: 0, Handle: func(ctx context.Context, p service.Principal, _ []json.RawMessage) (any, error) {
		if err := service.RequireAdmin(p); err != nil {
			return nil, err
		}
		infos, err := n.List(ctx)
		if err != nil {
			return nil, err
		}
		out := make([]nsListItem, len(infos))
		for i, info := range infos {
			out[i] = nsListItem{
				Namespace:    info.ID,
				Description:  info.Description,
				CreatedAt:    httpapi.FormatTime(info.CreatedAt),
				MessageCount: info.MessageCount,
			}
		}
		return out, nil
	}}
}

// nsInfo: ["ns.info", namespaceId]. A namespace token may describe its own
// namespace; others need the admin token.
func nsInfo(n NamespaceService) Method {
	return Method{Name: "ns.info", MinArgs: 1, MaxArgs: 1, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		r := readArgs(args)
		id := r.String(0, "namespaceId")
		if err := r.Err(); err != nil {
			return nil, err
		}
		if err := service.RequireAccess(p, id); err != nil {
			return nil, err
		}
		info, err := n.Info(ctx, id)
		if err != nil {
			return nil, err
		}
		return nsInfoResult{
			Namespace:    info.ID,
			Description:  info.Description,
			CreatedAt:    httpapi.FormatTime(info.CreatedAt),
			MessageCount: info.MessageCount,
			StreamCount:  info.StreamCount,
			LastActivity: formatTimePtr(info.LastActivity),
			GroupCount:   info.GroupCount,
		}, nil
	}}
}
