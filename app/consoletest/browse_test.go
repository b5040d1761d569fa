package consoletest_test

import (
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// browse reaches every view of shop by clicking: overview, streams (with
// prefix search), a stream (light, dark, jump), categories and a category
// with its filters.
func (w *walk) browse() {
	t, b := w.t, w.b
	b.click(`tr[data-namespace="shop"] a`)
	b.waitFor("overview", `document.querySelector('.stats') && document.querySelector('main table')?.textContent.includes('order')`)
	b.shot("overview")

	b.click(`.nav-item[href$="/streams"]`)
	b.waitFor("streams listed", `document.querySelectorAll('.streams-table tbody tr').length === 3`)
	b.shot("streams")
	b.fill("#stream-prefix", "order-")
	b.click(`form.toolbar button[type=submit]`)
	b.waitFor("prefix search", `document.querySelectorAll('.streams-table tbody tr').length === 2 && !document.querySelector('.streams-table').textContent.includes('payment')`)

	b.click(`.streams-table a[href*="order-1"]`)
	b.waitFor("stream messages", `document.querySelectorAll('.message').length === 5`)
	if got := eval[string](b, `document.title`); got != "order-1 · shop · EventoDB console" {
		t.Errorf("stream view's title = %q", got)
	}
	if got := eval[string](b, `document.querySelector('.message .json').textContent`); !strings.Contains(got, `"sku": "tea-01"`) {
		t.Fatalf("first message's data is not pretty-printed: %q", got)
	}
	b.shot("stream")
	b.colorScheme("dark")
	b.shot("stream-dark")
	b.colorScheme("light")
	b.fill("#jump-position", "3")
	b.click(`form.jump button[type=submit]`)
	b.waitFor("jump to position 3", `document.querySelector('.message')?.dataset.position === '3' && document.querySelectorAll('.message').length === 2`)

	b.click(`.nav-item[href$="/categories"]`)
	b.waitFor("categories listed", `document.querySelector('.categories-table')?.textContent.includes('payment')`)
	b.shot("categories")
	b.click(`.categories-table a[href$="/categories/order"]`)
	b.waitFor("category messages", `document.querySelectorAll('.message').length === 7`)
	b.fill("#filter-member", "0")
	b.fill("#filter-size", "2")
	b.click("#apply-filters")
	// Member 0 of 2 gets order-1 only: abs(hash64("1")) mod 2 = 0, and
	// abs(hash64("2")) mod 2 = 1 (SPEC §1). The count also tells the new
	// page from the old one, whose form the next fills must not edit.
	b.waitFor("member filter", `location.hash.includes('member=0') && document.querySelectorAll('.message').length === 5 &&
		[...document.querySelectorAll('.message-stream')].every(a => a.textContent === 'order-1')`)
	b.fill("#filter-member", "")
	b.fill("#filter-size", "")
	b.fill("#filter-correlation", "checkout")
	b.click("#apply-filters")
	b.waitFor("correlation filter", `location.hash.includes('correlation=checkout') && document.querySelectorAll('.message').length === 1`)
	b.shot("category")
}

// phone shows a stream and a category tail on a phone-sized screen. A
// category tail opens with the category's recent messages (five payments),
// then shows new ones on top.
func (w *walk) phone() {
	t, b := w.t, w.b
	b.viewport(390, 844, true)
	b.do("stream on a phone", chromedp.Navigate(w.url+"/console/#/ns/shop/streams/order-1"))
	b.waitFor("stream messages on a phone", `document.querySelectorAll('.message').length === 5`)
	b.shot("phone-stream")
	b.do("groups on a phone", chromedp.Navigate(w.url+"/console/#/ns/shop/groups"))
	b.waitFor("groups on a phone", `document.querySelector('[data-group="fulfilment"] tr[data-member="1"]') !== null`)
	b.shot("phone-groups")
	b.do("tail on a phone", chromedp.Navigate(w.url+"/console/#/ns/shop/live?category=payment"))
	b.waitFor("phone tail is live with context", `document.querySelector('#live-state')?.dataset.state === 'live' && document.querySelectorAll('#live-rows tr').length === 5`)
	for i := range 3 {
		rpc(t, w.url, w.shop, fmt.Sprintf(`["stream.write","payment-%d",{"type":"PaymentRefunded","data":{"amount":%d}}]`, 20+i, 300+i))
	}
	b.waitFor("tail on a phone", `document.querySelectorAll('#live-rows tr').length === 8 && document.querySelector('#live-rows tr').textContent.includes('PaymentRefunded')`)
	b.shot("phone-live")
	b.viewport(1280, 800, false)
}
