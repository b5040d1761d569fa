package local_test

import (
	"context"
	"sync"
	"testing"

	"github.com/eventodb/eventodb/adapters/notify/local"
)

// signalled reports whether ch holds a signal, consuming it. Local signals are
// sent synchronously by Publish, so no waiting is needed.
func signalled(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestFanOut(t *testing.T) {
	t.Parallel()
	n := local.New()
	a1, cancelA1 := n.Subscribe("a")
	defer cancelA1()
	a2, cancelA2 := n.Subscribe("a")
	defer cancelA2()
	b, cancelB := n.Subscribe("b")
	defer cancelB()

	if err := n.Publish(context.Background(), "a", 7); err != nil {
		t.Fatalf("publish: %v", err)
	}
	tests := []struct {
		name string
		ch   <-chan struct{}
		want bool
	}{
		{"first subscriber of a", a1, true},
		{"second subscriber of a", a2, true},
		{"subscriber of b", b, false},
	}
	for _, tt := range tests {
		if got := signalled(tt.ch); got != tt.want {
			t.Errorf("%s signalled = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestBurstsCoalesce(t *testing.T) {
	t.Parallel()
	n := local.New()
	ch, cancel := n.Subscribe("a")
	defer cancel()
	for i := range 100 {
		_ = n.Publish(context.Background(), "a", int64(i)) // never blocks on the unread channel
	}
	if !signalled(ch) {
		t.Fatal("no signal after a burst")
	}
	if signalled(ch) {
		t.Fatal("a burst left more than one signal")
	}
}

func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	n := local.New()
	ch, cancel := n.Subscribe("a")
	other, cancelOther := n.Subscribe("a")
	defer cancelOther()
	cancel()
	cancel() // idempotent
	n.Signal("a")
	if signalled(ch) {
		t.Fatal("a cancelled subscription was signalled")
	}
	if !signalled(other) {
		t.Fatal("cancelling one subscription silenced another")
	}
	if got := n.Subscribers("a"); got != 1 {
		t.Fatalf("Subscribers = %d, want 1", got)
	}
}

func TestSignalAll(t *testing.T) {
	t.Parallel()
	n := local.New()
	a, cancelA := n.Subscribe("a")
	defer cancelA()
	b, cancelB := n.Subscribe("b")
	defer cancelB()
	n.SignalAll()
	if !signalled(a) || !signalled(b) {
		t.Fatal("SignalAll missed a subscriber")
	}
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	n := local.New()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				ch, cancel := n.Subscribe("a")
				_ = n.Publish(context.Background(), "a", int64(i))
				if !signalled(ch) {
					t.Error("a subscriber missed a publish made while it was subscribed")
				}
				cancel()
			}
		}()
	}
	wg.Wait()
	if got := n.Subscribers("a"); got != 0 {
		t.Fatalf("Subscribers = %d after every cancel, want 0", got)
	}
}
