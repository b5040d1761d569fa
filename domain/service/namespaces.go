package service

import (
	"context"
	"errors"
	"sort"

	"github.com/eventodb/eventodb/domain/namespace"
	"github.com/eventodb/eventodb/domain/stream"
	"github.com/eventodb/eventodb/ports"
)

// Namespaces creates, deletes and describes namespaces.
type Namespaces struct {
	registry ports.NamespaceRegistry
	catalog  ports.Catalog
	clock    ports.Clock
	events   ports.NamespaceEvents // nil: deletes are not announced
	groups   ports.GroupCounter    // nil: Info reports no groups
}

// CountGroupsWith makes Info report the namespace's durable consumer groups,
// counted by groups. It returns n.
func (n *Namespaces) CountGroupsWith(groups ports.GroupCounter) *Namespaces {
	n.groups = groups
	return n
}

// AnnounceTo makes Delete announce each deleted namespace on events, so every
// node ends what its tokens were granted. It returns n.
func (n *Namespaces) AnnounceTo(events ports.NamespaceEvents) *Namespaces {
	n.events = events
	return n
}

// NewNamespaces returns the namespace service.
func NewNamespaces(registry ports.NamespaceRegistry, catalog ports.Catalog, clock ports.Clock) *Namespaces {
	return &Namespaces{registry: registry, catalog: catalog, clock: clock}
}

// Created is a new namespace with its token, the only time the token is shown.
type Created struct {
	Record namespace.Record
	Token  string
}

// Create makes namespace id. token may be "" to generate one; a given token
// must be well formed and belong to id.
func (n *Namespaces) Create(ctx context.Context, id, description, token string) (Created, error) {
	if err := namespace.ValidateID(id); err != nil {
		return Created{}, err
	}
	if token == "" {
		var err error
		if token, err = namespace.NewToken(id); err != nil {
			return Created{}, err
		}
	} else if err := namespace.ValidateToken(id, token); err != nil {
		return Created{}, stream.Invalidf("token", "must be a token of the form ns_<base64url(%s)>_<64 hex digits>: %v", id, err)
	}
	rec := namespace.Record{
		ID:          id,
		Description: description,
		TokenHash:   namespace.HashToken(token),
		CreatedAt:   n.clock.Now().UTC(),
	}
	if err := n.registry.Create(ctx, rec); err != nil {
		return Created{}, err
	}
	return Created{Record: rec, Token: token}, nil
}

// EnsureDefault creates the default namespace if it does not exist, with token
// or, when token is "", a generated one. It returns the token when it created
// the namespace, and "" when the namespace already existed.
func (n *Namespaces) EnsureDefault(ctx context.Context, token string) (string, error) {
	rec, err := n.registry.Get(ctx, namespace.Default)
	if errors.Is(err, namespace.ErrNotFound) {
		created, cerr := n.Create(ctx, namespace.Default, "Default namespace", token)
		if cerr == nil {
			return created.Token, nil
		}
		if !errors.Is(cerr, namespace.ErrExists) {
			return "", cerr
		}
		// Another node sharing the database created it first.
		rec, err = n.registry.Get(ctx, namespace.Default)
	}
	if err != nil {
		return "", err
	}
	if token != "" && !namespace.TokenMatches(token, rec.TokenHash) {
		return "", errors.New("the configured token does not match the default namespace's stored token; " +
			"remove --token to keep the stored one, or use a fresh data directory")
	}
	return "", nil
}

// Deleted reports a deleted namespace.
type Deleted struct {
	ID              string
	MessagesDeleted int64
}

// Delete removes namespace id and all its messages. The default namespace
// holds the admin token and cannot be deleted.
func (n *Namespaces) Delete(ctx context.Context, id string) (Deleted, error) {
	if err := namespace.ValidateID(id); err != nil {
		return Deleted{}, err
	}
	if id == namespace.Default {
		return Deleted{}, stream.Invalid("namespaceId", "names the default namespace, which holds the admin token and cannot be deleted")
	}
	count, err := n.registry.Delete(ctx, id)
	if err != nil {
		return Deleted{}, err
	}
	if n.events != nil {
		// Deleted either way; a failed announcement only delays other nodes
		// until their cached checks expire.
		_ = n.events.PublishEnded(ctx, id)
	}
	return Deleted{ID: id, MessagesDeleted: count}, nil
}

// List returns every namespace, sorted by id, with its message count.
func (n *Namespaces) List(ctx context.Context) ([]namespace.Info, error) {
	recs, err := n.registry.List(ctx)
	if err != nil {
		return nil, err
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].ID < recs[j].ID })
	out := make([]namespace.Info, 0, len(recs))
	for _, rec := range recs {
		stats, err := n.catalog.Stats(ctx, rec.ID)
		if errors.Is(err, namespace.ErrNotFound) {
			continue // deleted while we listed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, info(rec, stats))
	}
	return out, nil
}

// Info describes namespace id.
func (n *Namespaces) Info(ctx context.Context, id string) (namespace.Info, error) {
	if err := namespace.ValidateID(id); err != nil {
		return namespace.Info{}, err
	}
	rec, err := n.registry.Get(ctx, id)
	if err != nil {
		return namespace.Info{}, err
	}
	stats, err := n.catalog.Stats(ctx, id)
	if err != nil {
		return namespace.Info{}, err
	}
	out := info(rec, stats)
	if n.groups != nil {
		if out.GroupCount, err = n.groups.CountGroups(ctx, id); err != nil {
			return namespace.Info{}, err
		}
	}
	return out, nil
}

func info(rec namespace.Record, s ports.NamespaceStats) namespace.Info {
	return namespace.Info{Record: rec, MessageCount: s.MessageCount, StreamCount: s.StreamCount, LastActivity: s.LastActivity}
}

// MaxStreamList is the most streams one ns.streams call returns.
const MaxStreamList = 1000

// StreamList is an ns.streams request.
type StreamList struct {
	Prefix string
	Cursor string
	Limit  *int64 // nil: 100
}

// Streams lists the namespace's streams sorted by name, after the cursor.
func (n *Namespaces) Streams(ctx context.Context, ns string, r StreamList) ([]ports.StreamInfo, error) {
	limit := int64(100)
	if r.Limit != nil {
		limit = *r.Limit
	}
	if limit < 1 || limit > MaxStreamList {
		return nil, stream.Invalidf("limit", "must be between 1 and %d, got %d", MaxStreamList, limit)
	}
	q := ports.StreamListQuery{Prefix: r.Prefix, After: r.Cursor, Limit: int(limit)}
	return n.catalog.ListStreams(ctx, ns, q)
}

// Categories lists the namespace's categories sorted by name.
func (n *Namespaces) Categories(ctx context.Context, ns string) ([]ports.CategoryInfo, error) {
	return n.catalog.Categories(ctx, ns)
}
