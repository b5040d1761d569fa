package local_test

import (
	"context"
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/eventodb/eventodb/adapters/notify/local"
	"github.com/eventodb/eventodb/ports"
)

func TestModule(t *testing.T) {
	t.Parallel()
	var n ports.Notifier
	var concrete *local.Notifier
	app := fxtest.New(t, local.Module, fx.Populate(&n, &concrete))
	app.RequireStart()
	ch, cancel := n.Subscribe("a")
	defer cancel()
	_ = n.Publish(context.Background(), "a", 1)
	if !signalled(ch) || concrete.Subscribers("a") != 1 {
		t.Fatal("the module's notifier does not fan out")
	}
	app.RequireStop()
}
