package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
	"github.com/eventodb/eventodb/client"
)

func TestSubscribeEnds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("refused options and tokens fail Subscribe", func(t *testing.T) {
		t.Parallel()
		c, _ := sqliteServer.namespace(t)
		for _, tt := range []struct {
			c    *client.Client
			opts client.SubscribeOptions
			want error
		}{
			{c, client.SubscribeOptions{}, client.ErrInvalidRequest},
			{c, client.SubscribeOptions{Stream: "a-1", Category: "a"}, client.ErrInvalidRequest},
			{c, client.SubscribeOptions{Stream: "a-1", ConsumerGroup: &client.ConsumerGroup{Size: 2}}, client.ErrInvalidRequest},
			{newClient(t, sqliteServer.url), client.SubscribeOptions{All: true}, client.ErrAuthRequired},
		} {
			if sub, err := tt.c.Subscribe(ctx, tt.opts); !errors.Is(err, tt.want) || sub != nil {
				t.Errorf("Subscribe(%+v) = %v, want %v", tt.opts, err, tt.want)
			}
		}
	})
	t.Run("its context", func(t *testing.T) {
		t.Parallel()
		c, _ := sqliteServer.namespace(t)
		subCtx, cancel := context.WithCancel(ctx)
		sub, err := c.Subscribe(subCtx, client.SubscribeOptions{All: true})
		if err != nil {
			t.Fatal(err)
		}
		cancel()
		<-sub.Done()
		if _, open := <-sub.Pokes(); open || !errors.Is(sub.Err(), context.Canceled) {
			t.Fatalf("after the context ended: open %v, Err %v", open, sub.Err())
		}
	})
	t.Run("a deleted namespace", func(t *testing.T) {
		t.Parallel()
		id, token := sqliteServer.newNamespace(t)
		proxy, proxyURL := newDropProxy(t, sqliteServer.url)
		sub := subscribe(t, newClient(t, proxyURL, client.WithToken(token)), client.SubscribeOptions{All: true})
		if _, err := sqliteServer.adminClient(t).DeleteNamespace(ctx, id); err != nil {
			t.Fatal(err)
		}
		proxy.cut()
		select {
		case <-sub.Done():
		case <-time.After(10 * time.Second):
			t.Fatal("the subscription of a deleted namespace goes on")
		}
		// Two ends race, and either is right: the server ends the stream
		// with NAMESPACE_NOT_FOUND when it hears of the delete, or the cut
		// comes first and the reconnection's token is refused.
		if err := sub.Err(); !errors.Is(err, client.ErrAuthInvalid) && !errors.Is(err, client.ErrNamespaceNotFound) {
			t.Fatalf("Err = %v, want AUTH_INVALID or NAMESPACE_NOT_FOUND", err)
		}
	})
	t.Run("over the server's limit", func(t *testing.T) {
		t.Parallel()
		cfg := config.Default()
		cfg.TestMode, cfg.MaxSSEPerToken = true, 1
		c := newClient(t, apptest.Start(t, cfg).URL)
		subscribe(t, c, client.SubscribeOptions{All: true})
		var e *client.Error
		if _, err := c.Subscribe(ctx, client.SubscribeOptions{All: true}); !errors.Is(err, client.ErrRateLimited) || !errors.As(err, &e) || e.Status != 429 {
			t.Fatalf("a second subscription: %v, want RATE_LIMITED", err)
		}
	})
}
