package sse

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/eventodb/eventodb/domain/stream"
)

// FuzzParseRequest feeds arbitrary /subscribe queries and Last-Event-ID
// headers to the parser: it never panics, refuses with validation errors
// only, and what it accepts names exactly one valid target and positions no
// store can overflow.
func FuzzParseRequest(f *testing.F) {
	for _, seed := range [][2]string{
		{"stream=account-1&position=3", ""}, {"category=account&consumer=0&size=2", "17"},
		{"all=true&position=9007199254740991", ""}, {"category=a&consumerGroupMember=1&consumerGroupSize=3", ""},
		{"stream=a-1", "9223372036854775807"}, {"stream=a-1&stream=b", ""}, {"all=yes", ""},
		{"category=a&consumer=-1&size=0", ""}, {"stream=%ff", "-3"}, {"", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, query, lastEventID string) {
		r := httptest.NewRequest(http.MethodGet, "/subscribe", nil)
		r.URL.RawQuery = query
		if lastEventID != "" {
			r.Header.Set(lastEventIDHeader, lastEventID)
		}
		req, err := parseRequest(r)
		if err != nil {
			var invalid *stream.ValidationError
			if !errors.As(err, &invalid) {
				t.Fatalf("parseRequest(%q, %q) = %T %v, want a validation error", query, lastEventID, err, err)
			}
			return
		}
		switch req.kind {
		case kindStream, kindCategory:
			if stream.ValidateName("name", req.name) != nil {
				t.Fatalf("accepted an invalid name %q", req.name)
			}
		case kindAll:
			if req.name != "" {
				t.Fatalf("all=true with a name %q", req.name)
			}
		default:
			t.Fatalf("accepted %q without a target", query)
		}
		if req.position < 0 || req.position > stream.MaxPosition+1 || req.minGlobal < 0 || req.minGlobal > stream.MaxPosition+1 {
			t.Fatalf("positions out of range: %+v", req)
		}
		if req.group != nil && (req.kind != kindCategory || req.group.Validate() != nil) {
			t.Fatalf("accepted a consumer group %+v on %v", req.group, req.kind)
		}
	})
}
