package client

import (
	"context"
	"time"
)

// NamespaceOptions are the options of CreateNamespace; nil means none.
type NamespaceOptions struct {
	// Description is free text shown by ListNamespaces and NamespaceInfo.
	Description string `json:"description,omitempty"`
	// Token, when set, becomes the namespace's token instead of a random
	// one; it must be a well-formed token of that namespace.
	Token string `json:"token,omitempty"`
}

// CreatedNamespace is the answer of CreateNamespace.
type CreatedNamespace struct {
	// Namespace is the id of the new namespace.
	Namespace string `json:"namespace"`
	// Token is the namespace's token. The server keeps only its hash and
	// shows it only here: keep it.
	Token string `json:"token"`
	// CreatedAt is when it was created, in UTC.
	CreatedAt time.Time `json:"createdAt"`
}

// DeletedNamespace is the answer of DeleteNamespace.
type DeletedNamespace struct {
	// Namespace is the id of the deleted namespace.
	Namespace string `json:"namespace"`
	// DeletedAt is when it was deleted, in UTC.
	DeletedAt time.Time `json:"deletedAt"`
	// MessagesDeleted is how many messages went with it.
	MessagesDeleted int64 `json:"messagesDeleted"`
}

// Namespace is one namespace of ListNamespaces.
type Namespace struct {
	// Namespace is its id.
	Namespace string `json:"namespace"`
	// Description is the text given at its creation.
	Description string `json:"description"`
	// CreatedAt is when it was created, in UTC.
	CreatedAt time.Time `json:"createdAt"`
	// MessageCount is how many messages it holds.
	MessageCount int64 `json:"messageCount"`
}

// NamespaceInfo describes one namespace.
type NamespaceInfo struct {
	// Namespace is its id.
	Namespace string `json:"namespace"`
	// Description is the text given at its creation.
	Description string `json:"description"`
	// CreatedAt is when it was created, in UTC.
	CreatedAt time.Time `json:"createdAt"`
	// MessageCount is how many messages it holds.
	MessageCount int64 `json:"messageCount"`
	// StreamCount is how many streams it holds.
	StreamCount int64 `json:"streamCount"`
	// LastActivity is when the last message was written; zero when none was.
	LastActivity time.Time `json:"lastActivity"`
	// GroupCount is how many durable consumer groups it has.
	GroupCount int64 `json:"groupCount"`
}

// CreateNamespace creates namespace id (1-60 letters, digits, - and _) and
// returns its token. It needs the admin token; a taken id is
// ErrNamespaceExists. It is not retried: a repeat would find the id taken.
func (c *Client) CreateNamespace(ctx context.Context, id string, opts *NamespaceOptions) (*CreatedNamespace, error) {
	args := []any{id}
	if opts != nil {
		args = append(args, opts)
	}
	var out CreatedNamespace
	if err := c.call(ctx, false, &out, "ns.create", args...); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteNamespace deletes namespace id and every message in it; its tokens
// stop working at once. It needs the admin token.
func (c *Client) DeleteNamespace(ctx context.Context, id string) (*DeletedNamespace, error) {
	var out DeletedNamespace
	if err := c.call(ctx, false, &out, "ns.delete", id); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListNamespaces lists every namespace, sorted by id. It needs the admin
// token.
func (c *Client) ListNamespaces(ctx context.Context) ([]Namespace, error) {
	var out []Namespace
	if err := c.call(ctx, true, &out, "ns.list"); err != nil {
		return nil, err
	}
	return out, nil
}

// NamespaceInfo describes namespace id: the token's own, or any with the
// admin token.
func (c *Client) NamespaceInfo(ctx context.Context, id string) (*NamespaceInfo, error) {
	var out NamespaceInfo
	if err := c.call(ctx, true, &out, "ns.info", id); err != nil {
		return nil, err
	}
	return &out, nil
}
