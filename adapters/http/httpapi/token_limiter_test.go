package httpapi_test

import (
	"sync"
	"testing"

	"github.com/eventodb/eventodb/adapters/http/httpapi"
)

func TestTokenLimiter(t *testing.T) {
	t.Parallel()
	l := httpapi.NewTokenLimiter(2)
	r1, ok1 := l.Acquire("a")
	r2, ok2 := l.Acquire("a")
	if !ok1 || !ok2 {
		t.Fatal("the first two slots must be granted")
	}
	if _, ok := l.Acquire("a"); ok {
		t.Fatal("a third slot for the same token must be refused")
	}
	if _, ok := l.Acquire("b"); !ok {
		t.Fatal("another token has its own slots")
	}
	r1()
	r1() // releasing twice gives back one slot only
	if got := l.Held("a"); got != 1 {
		t.Fatalf("after one release the token holds %d slots, want 1", got)
	}
	if _, ok := l.Acquire("a"); !ok {
		t.Fatal("a released slot must be granted again")
	}
	r2()
	if l.Max() != 2 {
		t.Fatalf("Max = %d", l.Max())
	}
}

func TestTokenLimiterOffAndConcurrent(t *testing.T) {
	t.Parallel()
	var off *httpapi.TokenLimiter
	if release, ok := off.Acquire("x"); !ok || release == nil {
		t.Fatal("a nil limiter allows everything")
	}
	unlimited := httpapi.NewTokenLimiter(0)
	l := httpapi.NewTokenLimiter(5)
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, ok := unlimited.Acquire("t"); !ok {
				t.Error("a limit of 0 refused a slot")
			}
			if release, ok := l.Acquire("t"); ok {
				if l.Held("t") > 5 {
					t.Error("more than 5 slots held at once")
				}
				release()
			}
		}()
	}
	wg.Wait()
	if l.Held("t") != 0 {
		t.Fatalf("%d slots left held after every release", l.Held("t"))
	}
}
