package pgnotify_test

import (
	"context"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/eventodb/eventodb/adapters/notify/pgnotify"
	"github.com/eventodb/eventodb/ports"
)

func TestModule(t *testing.T) {
	t.Parallel()
	channel := randomName("evt_")
	var n ports.Notifier
	app := fxtest.New(t,
		fx.Supply(pgnotify.Config{URL: testURL(t), Channel: channel}),
		pgnotify.Module,
		fx.Populate(&n),
	)
	app.RequireStart() // connects the listener
	other := node(t, channel, randomName("other-"))
	ch, cancel := n.Subscribe("orders")
	defer cancel()
	if err := other.Publish(context.Background(), "orders", 1); err != nil {
		t.Fatalf("publish: %v", err)
	}
	awaitSignal(t, ch, "a subscriber of the module's notifier")
	app.RequireStop() // stops its goroutines
}
