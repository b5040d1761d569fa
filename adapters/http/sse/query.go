package sse

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/eventodb/eventodb/domain/partition"
	"github.com/eventodb/eventodb/domain/service"
	"github.com/eventodb/eventodb/domain/stream"
)

// kind is what a subscription follows.
type kind int

const (
	kindStream kind = iota + 1
	kindCategory
	kindAll
)

// request is a validated /subscribe query.
type request struct {
	kind  kind
	name  string           // stream or category name; "" for kindAll
	group *partition.Group // consumer-group member; category only
	// position is where the subscription starts, inclusive: a stream
	// position for kindStream, a global position otherwise.
	position int64
	// minGlobal, for kindStream, skips messages below this global position
	// (0: none); a Last-Event-ID resumes a stream subscription with it.
	minGlobal int64
}

// singleValued are the query parameters that may appear at most once.
var singleValued = []string{"stream", "category", "all", "position",
	"consumer", "size", "consumerGroupMember", "consumerGroupSize"}

// lastEventIDHeader is what an EventSource sends when it reconnects.
const lastEventIDHeader = "Last-Event-ID"

// parseRequest validates the query and the Last-Event-ID header. Errors are
// *stream.ValidationError, answered as INVALID_REQUEST.
func parseRequest(r *http.Request) (request, error) {
	q := r.URL.Query()
	for _, key := range singleValued {
		if n := len(q[key]); n > 1 {
			return request{}, stream.Invalidf(key, "is given %d times; give it once", n)
		}
	}
	req, err := parseSelector(q)
	if err != nil {
		return request{}, err
	}
	if req.position, err = nonNegative(q, "position"); err != nil {
		return request{}, err
	}
	if req.group, err = parseGroup(q, req.kind); err != nil {
		return request{}, err
	}
	if raw := strings.TrimSpace(r.Header.Get(lastEventIDHeader)); raw != "" {
		last, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || last < 0 || last > stream.MaxPosition {
			return request{}, stream.Invalidf(lastEventIDHeader, "must be a global position (an integer from 0 to %d), got %q", stream.MaxPosition, raw)
		}
		// The header wins over position: resume after the last poke seen.
		if req.kind == kindStream {
			req.position, req.minGlobal = 0, last+1
		} else {
			req.position = last + 1
		}
	}
	return req, nil
}

// parseSelector reads which of stream, category and all=true the query names;
// it must name exactly one.
func parseSelector(q url.Values) (request, error) {
	var req request
	var given []string
	if q.Has("stream") {
		given = append(given, "stream")
		req.kind, req.name = kindStream, q.Get("stream")
	}
	if q.Has("category") {
		given = append(given, "category")
		req.kind, req.name = kindCategory, q.Get("category")
	}
	if q.Has("all") {
		all, err := strconv.ParseBool(q.Get("all"))
		if err != nil {
			return request{}, stream.Invalidf("all", "must be true or false, got %q", q.Get("all"))
		}
		if all {
			given = append(given, "all")
			req.kind, req.name = kindAll, ""
		}
	}
	switch len(given) {
	case 0:
		return request{}, stream.Invalid("query", "must name what to subscribe to: exactly one of stream=NAME, category=NAME or all=true")
	case 1:
	default:
		return request{}, stream.Invalidf("query", "must have exactly one of stream=NAME, category=NAME or all=true, got %s",
			strings.Join(given, " and "))
	}
	switch req.kind {
	case kindStream:
		return req, stream.ValidateName("stream", req.name)
	case kindCategory:
		return req, stream.ValidateName("category", req.name)
	}
	return req, nil
}

// parseGroup reads the consumer-group member and size, each under either of
// its names (consumer/consumerGroupMember, size/consumerGroupSize).
func parseGroup(q url.Values, k kind) (*partition.Group, error) {
	member, err := alias(q, "consumer", "consumerGroupMember")
	if err != nil {
		return nil, err
	}
	size, err := alias(q, "size", "consumerGroupSize")
	if err != nil {
		return nil, err
	}
	switch {
	case member == nil && size == nil:
		return nil, nil
	case k != kindCategory:
		return nil, stream.Invalid("consumer", "(a consumer group) is only allowed with category=NAME")
	case member == nil:
		return nil, stream.Invalid("consumer", "is required with size")
	case size == nil:
		return nil, stream.Invalid("size", "is required with consumer")
	}
	g := &partition.Group{Member: *member, Size: *size}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	return g, nil
}

// alias reads an integer parameter that has two names; when both are given
// they must agree.
func alias(q url.Values, name, other string) (*int64, error) {
	a, err := integer(q, name)
	if err != nil {
		return nil, err
	}
	b, err := integer(q, other)
	switch {
	case err != nil:
		return nil, err
	case a == nil:
		return b, nil
	case b != nil && *a != *b:
		return nil, stream.Invalidf(name, "is %d but %s is %d; give one of them", *a, other, *b)
	}
	return a, nil
}

// integer reads an optional integer parameter.
func integer(q url.Values, name string) (*int64, error) {
	if !q.Has(name) {
		return nil, nil
	}
	raw := q.Get(name)
	v, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil {
		return nil, stream.Invalidf(name, "must be an integer, got %q", raw)
	}
	return &v, nil
}

// nonNegative reads an optional integer parameter that defaults to 0.
func nonNegative(q url.Values, name string) (int64, error) {
	v, err := integer(q, name)
	switch {
	case err != nil:
		return 0, err
	case v == nil:
		return 0, nil
	case *v < 0:
		return 0, stream.Invalidf(name, "must not be negative, got %d", *v)
	case *v > stream.MaxPosition:
		return 0, stream.Invalidf(name, "must be at most %d, got %d", stream.MaxPosition, *v)
	}
	return *v, nil
}

// selector is what the subscription service follows for req.
func (req request) selector() service.Selector {
	switch req.kind {
	case kindStream:
		return service.Selector{Stream: req.name, Position: req.position, MinGlobal: req.minGlobal}
	case kindCategory:
		return service.Selector{Category: req.name, Group: req.group, Position: req.position}
	default:
		return service.Selector{All: true, Position: req.position}
	}
}
