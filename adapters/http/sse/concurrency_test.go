package sse_test

import (
	"fmt"
	"sort"
	"sync"
	"testing"
)

// Many writers write while subscribers read: every subscriber receives every
// global position of what it follows exactly once, in ascending order.
func TestConcurrentWritersNothingSkipped(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOptions{pageSize: 50}) // catching up takes several pages while writes go on
	e.write(t, e.ns, "load-0", 30)           // some backlog
	subs := map[string]*client{
		"all":      e.subscribe(t, "all=true", nil),
		"category": e.subscribe(t, "category=load", nil),
		"stream":   e.subscribe(t, "stream=load-3", nil),
	}

	const writers, writes = 8, 60
	var mu sync.Mutex
	var all, stream3 []int64
	for gp := range int64(30) {
		all = append(all, gp+1)
	}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			name := fmt.Sprintf("load-%d", w)
			for i := range writes {
				n := 1 + i%3 // single and multi-message writes
				res, err := e.tryWrite(e.ns, name, n)
				if err != nil {
					t.Errorf("write to %s: %v", name, err)
					return
				}
				mu.Lock()
				for k := range n {
					all = append(all, res.GlobalPosition+int64(k))
					if name == "load-3" {
						stream3 = append(stream3, res.GlobalPosition+int64(k))
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })

	want := map[string][]int64{"all": all, "category": all, "stream": stream3}
	for name, c := range subs {
		got := c.pokes(t, len(want[name]))
		for i, p := range got {
			if p.GlobalPosition != want[name][i] {
				t.Fatalf("%s subscription: poke %d at global %d, want %d", name, i, p.GlobalPosition, want[name][i])
			}
		}
	}
}
