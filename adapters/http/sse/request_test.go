package sse_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/sse"
)

// Bad queries are answered in the JSON error envelope, before any event.
func TestBadRequests(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	t.Cleanup(func() {
		if n := e.gauge.n.Load(); n != 0 {
			t.Errorf("refused requests left the gauge at %d", n)
		}
	})
	for _, tc := range []struct {
		name, query string
		header      http.Header
		inMessage   string
	}{
		{"nothing to subscribe to", "", nil, "exactly one of"},
		{"all=false alone", "all=false", nil, "exactly one of"},
		{"all not a boolean", "all=yes", nil, "all"},
		{"stream and category", "stream=a-1&category=a", nil, "stream and category"},
		{"stream and all", "stream=a-1&all=true", nil, "stream and all"},
		{"category and all", "category=a&all=true", nil, "category and all"},
		{"stream twice", "stream=a-1&stream=a-2", nil, "stream"},
		{"empty stream name", "stream=", nil, "stream"},
		{"empty category name", "category=", nil, "category"},
		{"a control character in the name", "stream=a%01b", nil, "control"},
		{"non-numeric position", "stream=a-1&position=abc", nil, "position"},
		{"fractional position", "category=a&position=1.5", nil, "position"},
		{"negative position", "all=true&position=-1", nil, "position"},
		{"consumer group on a stream", "stream=a-1&consumer=0&size=2", nil, "category"},
		{"consumer group on all", "all=true&consumerGroupMember=0&consumerGroupSize=2", nil, "category"},
		{"member without size", "category=a&consumer=0", nil, "size"},
		{"size without member", "category=a&consumerGroupSize=2", nil, "consumer"},
		{"member >= size", "category=a&consumer=2&size=2", nil, "member"},
		{"size 0", "category=a&consumer=0&size=0", nil, "size"},
		{"negative member", "category=a&consumer=-1&size=2", nil, "member"},
		{"non-numeric size", "category=a&consumer=0&size=x", nil, "size"},
		{"both spellings disagree", "category=a&consumer=0&consumerGroupMember=1&size=2", nil, "consumer"},
		{"non-numeric Last-Event-ID", "stream=a-1", http.Header{"Last-Event-Id": {"abc"}}, "Last-Event-ID"},
		{"negative Last-Event-ID", "stream=a-1", http.Header{"Last-Event-Id": {"-3"}}, "Last-Event-ID"},
		// The largest int64 used to overflow into an error event once streaming.
		{"Last-Event-ID at the largest int64", "stream=a-1", http.Header{"Last-Event-Id": {"9223372036854775807"}}, "Last-Event-ID"},
		{"Last-Event-ID past 2^53-1 on a category", "category=a", http.Header{"Last-Event-Id": {"9007199254740992"}}, "Last-Event-ID"},
		{"Last-Event-ID beyond int64", "all=true", http.Header{"Last-Event-Id": {"99999999999999999999"}}, "Last-Event-ID"},
		{"position past 2^53-1", "all=true&position=9223372036854775807", nil, "position"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sep := "&"
			if tc.query == "" {
				sep = ""
			}
			resp, _ := e.get(t, tc.query+sep+"token="+e.token, tc.header)
			got := wantError(t, resp, http.StatusBadRequest, "INVALID_REQUEST")
			if !strings.Contains(got.Error.Message, tc.inMessage) {
				t.Fatalf("message %q does not mention %q", got.Error.Message, tc.inMessage)
			}
		})
	}
}

// Both spellings of a consumer group are accepted, and agree when both given.
func TestConsumerGroupSpellingsAgree(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.subscribe(t, "category=a&consumer=1&consumerGroupMember=1&size=2&consumerGroupSize=2", nil)
}

func TestAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{})
	e.write(t, e.ns, "s-1", 1)

	resp, _ := e.get(t, "stream=s-1", nil)
	wantError(t, resp, http.StatusUnauthorized, "AUTH_REQUIRED")
	resp, _ = e.get(t, "stream=s-1&token=nonsense", nil)
	wantError(t, resp, http.StatusUnauthorized, "AUTH_INVALID")
	resp, _ = e.get(t, "stream=s-1", http.Header{"Authorization": {"Basic abc"}})
	wantError(t, resp, http.StatusUnauthorized, "AUTH_INVALID")

	// The Authorization header works as well as ?token=, and names the namespace.
	resp, cancel := e.get(t, "stream=s-1", http.Header{"Authorization": {"Bearer " + e.token}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("with the Authorization header: %d", resp.StatusCode)
	}
	c := newClient(resp.Request.Context(), resp, cancel)
	if f := c.next(t); f.comment != "ready" {
		t.Fatalf("first frame %+v", f)
	}
	if p := c.pokes(t, 1)[0]; p.Stream != "s-1" {
		t.Fatalf("poke %+v", p)
	}
}

// In test mode a request without a token subscribes to the default namespace.
func TestTestModeWithoutToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{testMode: true})
	e.write(t, "default", "s-1", 1)
	resp, cancel := e.get(t, "stream=s-1", nil)
	if resp.StatusCode != http.StatusOK || resp.Header.Get(rpcTokenHeader) != e.admin {
		t.Fatalf("test mode without token: %d, token header %q", resp.StatusCode, resp.Header.Get(rpcTokenHeader))
	}
	c := newClient(resp.Request.Context(), resp, cancel)
	c.next(t)
	if p := c.pokes(t, 1)[0]; p.Stream != "s-1" {
		t.Fatalf("poke %+v", p)
	}
}

const rpcTokenHeader = "X-EventoDB-Token"

// A token may hold MaxPerToken subscriptions; a closed one frees its slot.
func TestPerTokenLimit(t *testing.T) {
	t.Parallel()
	cfg := sse.DefaultConfig()
	cfg.MaxPerToken = 2
	e := newEnv(t, envOptions{cfg: &cfg})
	first := e.subscribe(t, "stream=s-1", nil)
	e.subscribe(t, "category=s", nil)
	resp, _ := e.get(t, "all=true&token="+e.token, nil)
	wantError(t, resp, http.StatusTooManyRequests, "RATE_LIMITED")

	// Another token has slots of its own.
	resp, _ = e.get(t, "stream=s-1&token="+e.admin, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("another token: %d", resp.StatusCode)
	}
	eventually(t, "three subscriptions counted", func() bool { return e.gauge.n.Load() == 3 })

	first.close()
	eventually(t, "the closed subscription uncounted", func() bool { return e.gauge.n.Load() == 2 })
	e.subscribe(t, "all=true", nil)
}
