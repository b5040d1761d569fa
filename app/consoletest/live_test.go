package consoletest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// liveTail follows the whole namespace: a message written now shows up
// within a second, pause holds new rows back, and at 500 messages a second
// the tail keeps the newest rows while the page stays responsive.
func (w *walk) liveTail() {
	t, b := w.t, w.b
	b.click(`.nav-item[href$="/live"]`)
	b.waitFor("tail is live", `document.querySelector('#live-state')?.dataset.state === 'live'`)
	written := time.Now()
	rpc(t, w.url, w.shop, `["stream.write","order-3",{"type":"OrderShipped","data":{"carrier":"post","parcels":2}}]`)
	b.waitFor("tailed message", `document.querySelector('#live-rows')?.textContent.includes('OrderShipped')`)
	// The product promises a second; a busy CI machine gets some slack.
	d := time.Since(written)
	t.Logf("live tail showed a new message %s after it was written", d.Round(time.Millisecond))
	if d > 2*time.Second {
		t.Errorf("the tail showed a new message after %s, want within a second", d)
	}
	for i := range 4 {
		rpc(t, w.url, w.shop, fmt.Sprintf(`["stream.write","payment-%d",{"type":"PaymentCaptured","data":{"amount":%d,"currency":"EUR"}}]`, 10+i, 1200+i*35))
	}
	b.waitFor("more tailed messages", `document.querySelectorAll('#live-rows tr').length >= 5`)
	b.click(`#live-rows tr`)
	b.shot("live")
	b.colorScheme("dark")
	b.shot("live-dark")
	b.colorScheme("light")

	b.click("#live-pause")
	b.waitFor("paused", `document.querySelector('#live-state').dataset.state === 'paused'`)
	rpc(t, w.url, w.shop, `["stream.write","order-3",{"type":"OrderDelivered","data":{}}]`)
	time.Sleep(700 * time.Millisecond)
	if eval[bool](b, `document.querySelector('#live-rows').textContent.includes('OrderDelivered')`) {
		t.Fatal("a paused tail showed a new message")
	}
	b.click("#live-pause")
	b.waitFor("resumed tail catches up", `document.querySelector('#live-rows').textContent.includes('OrderDelivered')`)

	type result struct {
		last int64
		err  error
	}
	done := make(chan result, 1)
	go func() {
		last, err := burst(w.url, w.shop, 500, 3*time.Second)
		done <- result{last, err}
	}()
	slowest := b.responsiveness(3 * time.Second)
	res := <-done
	if res.err != nil {
		t.Fatalf("burst: %v", res.err)
	}
	b.waitFor("newest burst message on top", fmt.Sprintf(`document.querySelector('#live-rows tr')?.dataset.globalPosition === '%d'`, res.last))
	if rows := eval[int](b, `document.querySelectorAll('#live-rows tr').length`); rows != 200 {
		t.Fatalf("the tail keeps %d rows, want the newest 200", rows)
	}
	t.Logf("during 500 messages/s the page answered within %s at worst", slowest.Round(time.Millisecond))
	if slowest > 2*time.Second {
		t.Fatalf("the page stalled for %s under 500 messages/s", slowest)
	}
}

// burst writes perSecond messages a second for d, ten per request to three
// streams of the sensor category, and returns the last global position. It
// runs beside the test's goroutine, so it returns errors instead of failing.
func burst(base, token string, perSecond int, d time.Duration) (int64, error) {
	const batch = 10
	tick := time.NewTicker(time.Second * batch / time.Duration(perSecond))
	defer tick.Stop()
	var last int64
	for i, end := 0, time.Now().Add(d); time.Now().Before(end); i++ {
		<-tick.C
		msgs := make([]string, batch)
		for j := range msgs {
			msgs[j] = fmt.Sprintf(`{"type":"Measured","data":{"n":%d,"celsius":%d.5}}`, i*batch+j, 18+j)
		}
		out, err := post(base, token, fmt.Sprintf(`["stream.write","sensor-%d",[%s]]`, i%3, strings.Join(msgs, ",")))
		if err != nil {
			return 0, err
		}
		var res struct{ GlobalPosition, Count int64 }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			return 0, fmt.Errorf("write answer %s: %w", out, err)
		}
		last = res.GlobalPosition + res.Count - 1
	}
	return last, nil
}
