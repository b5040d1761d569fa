package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/client"
)

// fault is what faultyTransport does to one attempt.
type fault int

const (
	pass       fault = iota // forward it
	loseAnswer              // forward it, then drop the answer: the server acted, the client saw a broken connection
	answer503               // answer 503 BACKEND_ERROR without forwarding it
)

// faultyTransport forwards requests to the real transport, spoiling the
// attempts plan picks (plan gets the attempt's number from 1).
type faultyTransport struct {
	plan     func(attempt int) fault
	attempts atomic.Int32
}

func (f *faultyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	switch f.plan(int(f.attempts.Add(1))) {
	case loseAnswer:
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			return nil, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return nil, errors.New("connection reset by peer (injected)")
	case answer503:
		if req.Body != nil {
			_, _ = io.Copy(io.Discard, req.Body)
			_ = req.Body.Close()
		}
		return &http.Response{
			StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Content-Type": {"application/json"}}, Request: req,
			Body: io.NopCloser(strings.NewReader(`{"error":{"code":"BACKEND_ERROR","message":"the database is unavailable"}}`)),
		}, nil
	}
	return http.DefaultTransport.RoundTrip(req)
}

func firstAttempt(f fault) func(int) fault {
	return func(n int) fault {
		if n == 1 {
			return f
		}
		return pass
	}
}

func always(f fault) func(int) fault { return func(int) fault { return f } }

var fastRetries = client.RetryPolicy{MaxAttempts: 3, MinBackoff: time.Millisecond, MaxBackoff: 5 * time.Millisecond}

// Calls are repeated only when that cannot store anything twice.
func TestRetriesOnlyWhereSafe(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name         string
		plan         func(int) fault
		autoIDs      bool
		policy       client.RetryPolicy
		call         func(c *client.Client) error
		wantAttempts int32
		wantErr      error // nil: success; errAny: some error
		wantStored   int   // messages in stream "retry-1" afterwards
	}{
		{"a write with an id whose answer was lost", firstAttempt(loseAnswer), true, fastRetries, write, 2, nil, 1},
		{"a batch with ids whose answer was lost", firstAttempt(loseAnswer), true, fastRetries, writeBatch, 2, nil, 2},
		{"a write with an id after a 503", firstAttempt(answer503), true, fastRetries, write, 2, nil, 1},
		{"a write without an id whose answer was lost", firstAttempt(loseAnswer), false, fastRetries, write, 1, errAny, 1},
		{"a write without an id after a 503", firstAttempt(answer503), false, fastRetries, write, 1, client.ErrBackend, 0},
		{"a read whose answer was lost", firstAttempt(loseAnswer), true, fastRetries, read, 2, nil, 0},
		{"a read after a 503", firstAttempt(answer503), true, fastRetries, read, 2, nil, 0},
		{"a read that always meets 503", always(answer503), true, fastRetries, read, 3, client.ErrBackend, 0},
		{"a read without retries", firstAttempt(answer503), true, client.NoRetry, read, 1, client.ErrBackend, 0},
		{"a 409 is never repeated", always(pass), true, fastRetries, conflict, 1, client.ErrVersionConflict, 0},
		{"a namespace creation whose answer was lost", firstAttempt(loseAnswer), true, fastRetries, createNamespace, 1, errAny, 0},
		{"a raw call whose answer was lost", firstAttempt(loseAnswer), true, fastRetries, rawCall, 1, errAny, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, token := sqliteServer.newNamespace(t)
			ft := &faultyTransport{plan: tt.plan}
			c := newClient(t, sqliteServer.url, client.WithToken(token), client.WithHTTPClient(&http.Client{Transport: ft}),
				client.WithRetry(tt.policy), client.WithAutoIDs(tt.autoIDs))
			err := tt.call(c)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("call failed: %v", err)
			case tt.wantErr == errAny && err == nil, tt.wantErr != nil && tt.wantErr != errAny && !errors.Is(err, tt.wantErr):
				t.Fatalf("call = %v, want %v", err, tt.wantErr)
			}
			if n := ft.attempts.Load(); n != tt.wantAttempts {
				t.Errorf("%d attempts, want %d", n, tt.wantAttempts)
			}
			stored, err := newClient(t, sqliteServer.url, client.WithToken(token)).Read(ctx, "retry-1", nil)
			if err != nil || len(stored) != tt.wantStored {
				t.Errorf("retry-1 holds %d messages (%v), want %d", len(stored), err, tt.wantStored)
			}
		})
	}
}

var errAny = errors.New("any error")

func write(c *client.Client) error {
	res, err := c.Write(context.Background(), "retry-1", msg("T", `{"a":1}`), nil)
	if err == nil && (res.Position != 0 || res.GlobalPosition != 1) {
		return errors.New("the retried write answered other positions than the first")
	}
	return err
}

func writeBatch(c *client.Client) error {
	res, err := c.WriteBatch(context.Background(), "retry-1", []client.MessageData{msg("T", `{}`), msg("U", `{}`)}, nil)
	if err == nil && (res.Position != 0 || res.Count != 2) {
		return errors.New("the retried batch answered other positions than the first")
	}
	return err
}

func read(c *client.Client) error {
	_, err := c.Read(context.Background(), "retry-1", nil)
	return err
}

func conflict(c *client.Client) error {
	_, err := c.Write(context.Background(), "retry-1", msg("T", `{}`), &client.WriteOptions{ExpectedVersion: client.ExpectVersion(3)})
	return err
}

func createNamespace(c *client.Client) error {
	_, err := c.CreateNamespace(context.Background(), "x"+randomHex(4), nil)
	return err
}

func rawCall(c *client.Client) error {
	return c.Call(context.Background(), nil, "stream.write", "retry-2", msg("T", `{}`))
}

// RATE_LIMITED is waited out only when the policy says so, as long as
// Retry-After asks.
func TestRateLimitRetries(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.TestMode, cfg.RateLimit = true, 2
	srv := apptest.Start(t, cfg)
	ctx := context.Background()

	plain := newClient(t, srv.URL)
	var limited error
	for range 6 {
		if _, err := plain.ServerVersion(ctx); err != nil {
			limited = err
			break
		}
	}
	var e *client.Error
	if !errors.Is(limited, client.ErrRateLimited) || !errors.As(limited, &e) || e.Status != 429 || e.RetryAfter < time.Second {
		t.Fatalf("a burst without rate-limit retries: %v, want RATE_LIMITED with a Retry-After", limited)
	}

	patient := newClient(t, srv.URL, client.WithRetry(client.RetryPolicy{MaxAttempts: 5, RateLimited: true}))
	start := time.Now()
	for i := range 5 {
		if _, err := patient.ServerVersion(ctx); err != nil {
			t.Fatalf("call %d with rate-limit retries: %v", i, err)
		}
	}
	if time.Since(start) < 500*time.Millisecond {
		t.Errorf("5 calls at 2/s took %s: the limit was not met", time.Since(start))
	}
}

func TestContextCancellation(t *testing.T) {
	t.Parallel()
	c, _ := sqliteServer.namespace(t)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Read(canceled, "a-1", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a read with a canceled context: %v", err)
	}
	if _, err := c.Write(canceled, "a-1", msg("T", `{}`), nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a write with a canceled context: %v", err)
	}
	// A context that ends during the waits between retries ends the call.
	slow := newClient(t, sqliteServer.url, client.WithHTTPClient(&http.Client{Transport: &faultyTransport{plan: always(answer503)}}),
		client.WithRetry(client.RetryPolicy{MaxAttempts: 10, MinBackoff: time.Hour, MaxBackoff: time.Hour}))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := slow.Read(ctx, "a-1", nil)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, client.ErrBackend) || time.Since(start) > 5*time.Second {
		t.Errorf("a read whose context ends while it waits: %v after %s", err, time.Since(start))
	}
	// An import whose input stalls ends with its context.
	stalled := make(chan struct{})
	defer close(stalled)
	ctx, cancel = context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = c.Import(ctx, &stallingReader{stalled: stalled}, nil, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("an import whose context ends: %v", err)
	}
}

// stallingReader gives no input until stalled is closed, then ends.
type stallingReader struct{ stalled chan struct{} }

func (r *stallingReader) Read([]byte) (int, error) {
	<-r.stalled
	return 0, io.EOF
}
