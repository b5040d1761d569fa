package sse

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/eventodb/eventodb/domain/group"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// GroupResolver finds a durable consumer group's member and its checkpoint,
// renewing the lease when one is given; *service.Groups implements it.
type GroupResolver interface {
	Resolve(ctx context.Context, ns, name string, c service.Caller) (group.Group, group.Member, error)
}

// A group subscription, GET /subscribe?group=NAME&member=M (PROTOCOL.md §8),
// is the category subscription of the member's share, starting after its
// checkpoint: the group's category, its consumer-group member and its
// correlation filter. It is turned into that category selector here, so it
// pokes, catches up and stays live exactly as category subscriptions do.

// groupParams are the query parameters of a group subscription.
var groupParams = []string{"group", "member", "lease"}

// otherParams may not be mixed with group=: the group says what and where.
var otherParams = []string{"stream", "category", "all", "position", "consumer", "size", "consumerGroupMember", "consumerGroupSize"}

// resolve returns what the request subscribes to.
func (h *Handler) resolve(r *http.Request, ns string) (service.Selector, error) {
	if !r.URL.Query().Has("group") {
		req, err := parseRequest(r)
		if err != nil {
			return service.Selector{}, err
		}
		return req.selector(), nil
	}
	return h.groupSelector(r, ns)
}

// groupSelector resolves ?group=NAME&member=M (and lease=L; with a lease
// the member may be left out) into a category selector from the member's
// checkpoint + 1, or from Last-Event-ID + 1 when a reconnecting client
// sends it.
func (h *Handler) groupSelector(r *http.Request, ns string) (service.Selector, error) {
	if h.deps.Groups == nil {
		return service.Selector{}, stream.Invalid("group", "subscriptions are not served by this server")
	}
	q := r.URL.Query()
	if err := checkGroupQuery(q); err != nil {
		return service.Selector{}, err
	}
	c := service.Caller{Lease: q.Get("lease")}
	if q.Has("member") {
		m, err := integer(q, "member")
		if err != nil {
			return service.Selector{}, err
		}
		c.Member = m
	} else if c.Lease == "" {
		return service.Selector{}, stream.Invalid("member", "is required with group (or a lease from group.join)")
	}
	g, m, err := h.deps.Groups.Resolve(r.Context(), ns, q.Get("group"), c)
	if err != nil {
		return service.Selector{}, err
	}
	start := m.Checkpoint + 1
	if raw := strings.TrimSpace(r.Header.Get(lastEventIDHeader)); raw != "" {
		last, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || last < 0 || last > stream.MaxPosition {
			return service.Selector{}, stream.Invalidf(lastEventIDHeader, "must be a global position (an integer from 0 to %d), got %q", stream.MaxPosition, raw)
		}
		start = last + 1
	}
	share := g.Share(m.Member)
	return service.Selector{Category: g.Category, Group: &share, Correlation: g.Correlation, Position: start}, nil
}

// checkGroupQuery refuses repeated group parameters and selectors that
// would contradict the group.
func checkGroupQuery(q url.Values) error {
	for _, key := range groupParams {
		if n := len(q[key]); n > 1 {
			return stream.Invalidf(key, "is given %d times; give it once", n)
		}
	}
	for _, key := range otherParams {
		if q.Has(key) {
			return stream.Invalidf(key, "cannot be combined with group: the group names the category, the member's share and where it starts")
		}
	}
	return stream.ValidateName("group", q.Get("group"))
}
