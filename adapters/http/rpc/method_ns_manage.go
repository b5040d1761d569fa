package rpc

import (
	"context"
	"encoding/json"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/ports"
)

type nsCreated struct {
	Namespace string `json:"namespace"`
	Token     string `json:"token"`
	CreatedAt string `json:"createdAt"`
}

type nsDeleted struct {
	Namespace       string `json:"namespace"`
	DeletedAt       string `json:"deletedAt"`
	MessagesDeleted int64  `json:"messagesDeleted"`
}

// nsCreate: ["ns.create", namespaceId, options?] with options {description?,
// token?}; admin only. The result carries the token, shown only this once.
func nsCreate(n NamespaceService) Method {
	return Method{Name: "ns.create", MinArgs: 1, MaxArgs: 2, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		if err := service.RequireAdmin(p); err != nil {
			return nil, err
		}
		r := readArgs(args)
		id := r.String(0, "namespaceId")
		opts := r.Options(1, "options")
		description, token := opts.String("description"), opts.String("token")
		if err := r.Err(); err != nil {
			return nil, err
		}
		created, err := n.Create(ctx, id, description, token)
		if err != nil {
			return nil, err
		}
		return nsCreated{Namespace: created.Record.ID, Token: created.Token, CreatedAt: httpapi.FormatTime(created.Record.CreatedAt)}, nil
	}}
}

// nsDelete: ["ns.delete", namespaceId]; admin only. The namespace's tokens
// stop working at once.
func nsDelete(n NamespaceService, tokens TokenCache, clock ports.Clock) Method {
	return Method{Name: "ns.delete", MinArgs: 1, MaxArgs: 1, Handle: func(ctx context.Context, p service.Principal, args []json.RawMessage) (any, error) {
		if err := service.RequireAdmin(p); err != nil {
			return nil, err
		}
		r := readArgs(args)
		id := r.String(0, "namespaceId")
		if err := r.Err(); err != nil {
			return nil, err
		}
		deleted, err := n.Delete(ctx, id)
		if err != nil {
			return nil, err
		}
		tokens.Forget(deleted.ID)
		return nsDeleted{Namespace: deleted.ID, DeletedAt: httpapi.FormatTime(clock.Now()), MessagesDeleted: deleted.MessagesDeleted}, nil
	}}
}
