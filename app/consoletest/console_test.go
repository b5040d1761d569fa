package consoletest_test

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// TestConsoleInABrowser walks through the console as a person would: a wrong
// token, the admin's sign-in, a namespace created in the UI, messages written
// through the API and seen in every view, a live tail, and a namespace token
// that cannot see another namespace. It saves a screenshot of each view.
func TestConsoleInABrowser(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Token = "ns_ZGVmYXVsdA_" + randomHex(t)
	srv := apptest.Start(t, cfg)
	// Started after the server, the browser is closed before it at the end:
	// the server's drain would otherwise wait for Chromium's idle sockets.
	b := newBrowser(t)
	b.viewport(1280, 800, false)
	base, _ := url.Parse(srv.URL)
	start := time.Now()

	// A wrong token is refused with the server's error code.
	b.do("open /console", chromedp.Navigate(srv.URL+"/console"))
	b.waitFor("sign-in form", `document.querySelector('#token') !== null`)
	b.fill("#token", "ns_ZGVmYXVsdA_"+strings.Repeat("0", 64))
	b.click(`button[type=submit]`)
	b.waitFor("AUTH_INVALID shown", `document.querySelector('.signin-status [data-error-code="AUTH_INVALID"]') !== null`)
	b.shot("signin-error")

	// The admin signs in and sees the namespaces.
	b.fill("#token", cfg.Token)
	b.click(`button[type=submit]`)
	b.waitFor("namespaces table", `document.querySelector('tr[data-namespace="default"]') !== null`)
	if got := eval[string](b, `sessionStorage.getItem('eventodb.console.session') || ''`); !strings.Contains(got, cfg.Token) {
		t.Fatal("the token is not kept in sessionStorage after sign-in")
	}
	if strings.Contains(eval[string](b, `location.href`), cfg.Token[20:]) {
		t.Fatal("the token is in the page's URL")
	}

	// A namespace created in the UI; its token is shown once.
	b.click("#new-namespace")
	b.fill("#ns-id", "shop")
	b.fill("#ns-description", "Orders and payments")
	b.click(`dialog button[type=submit]`)
	b.waitFor("created token shown", `(document.querySelector('#created-token') || {}).value?.startsWith('ns_')`)
	shopToken := eval[string](b, `document.querySelector('#created-token').value`)
	b.shot("namespace-created")
	b.click(`dialog .btn-primary`)
	b.waitFor("shop listed", `document.querySelector('tr[data-namespace="shop"]') !== null`)

	// Deleting asks for the namespace's name first.
	b.click("#new-namespace")
	b.fill("#ns-id", "scratch")
	b.click(`dialog button[type=submit]`)
	b.waitFor("scratch created", `document.querySelector('#created-token') !== null`)
	b.click(`dialog .btn-primary`)
	b.click(`[data-delete="scratch"]`)
	b.waitFor("confirmation names the namespace", `document.querySelector('dialog h2')?.textContent === 'Delete namespace scratch?' && document.querySelector('dialog .btn-danger').disabled`)
	b.fill("#confirm-name", "scratc")
	if !eval[bool](b, `document.querySelector('dialog .btn-danger').disabled`) {
		t.Fatal("delete is enabled before the whole name is typed")
	}
	b.shot("namespace-delete")
	b.fill("#confirm-name", "scratch")
	b.click(`dialog .btn-danger`)
	b.waitFor("scratch deleted", `document.querySelector('tr[data-namespace="shop"]') && !document.querySelector('tr[data-namespace="scratch"]')`)
	if out := rpc(t, srv.URL, cfg.Token, `["ns.list"]`); strings.Contains(out, "scratch") {
		t.Fatalf("scratch is still listed by the server: %s", out)
	}
	b.waitFor("figures filled in", `![...document.querySelectorAll('.namespaces-table td')].some(td => td.textContent === '…')`)

	// Messages written through the API, as an application would.
	writeOrders(t, srv.URL, shopToken)
	b.do("reload", chromedp.Reload())
	b.waitFor("shop has 8 messages", `document.querySelector('tr[data-namespace="shop"]')?.textContent.includes('8')`)
	b.waitFor("figures filled in", `![...document.querySelectorAll('.namespaces-table td')].some(td => td.textContent === '…')`)
	b.shot("namespaces")

	// A namespace created elsewhere: the admin sees its figures, and browses
	// it once the namespace's token is pasted.
	created := rpc(t, srv.URL, cfg.Token, `["ns.create","billing",{"description":"made by a script"}]`)
	billingToken := created[strings.Index(created, `"token":"`)+9:]
	billingToken = billingToken[:strings.Index(billingToken, `"`)]
	rpc(t, srv.URL, billingToken, `["stream.write","invoice-1",{"type":"InvoiceIssued","data":{"total":99}}]`)
	b.do("reload", chromedp.Reload())
	b.click(`tr[data-namespace="billing"] a`)
	b.waitFor("token needed", `document.querySelector('.callout input') !== null && document.querySelector('.stats')?.textContent.includes('1')`)
	b.do("paste a wrong token", chromedp.SendKeys(chromedp.CSS(".callout input"), shopToken))
	b.click(`.callout button[type=submit]`)
	b.waitFor("token of another namespace refused", `document.querySelector('.callout [data-error-code]')?.textContent.includes('INVALID_REQUEST')`)
	b.fill(".callout input", billingToken)
	b.click(`.callout button[type=submit]`)
	b.waitFor("billing browsable", `document.querySelector('main table')?.textContent.includes('invoice')`)
	b.click(`.nav-item[href="#/namespaces"]`)
	b.waitFor("namespaces again", `document.querySelector('tr[data-namespace="shop"]') !== null`)

	// Namespace overview, reached by clicking.
	b.click(`tr[data-namespace="shop"] a`)
	b.waitFor("overview", `document.querySelector('.stats') && document.querySelector('main table')?.textContent.includes('order')`)
	b.shot("overview")

	// Streams, with prefix search.
	b.click(`.nav-item[href$="/streams"]`)
	b.waitFor("streams listed", `document.querySelectorAll('.streams-table tbody tr').length === 3`)
	b.shot("streams")
	b.fill("#stream-prefix", "order-")
	b.click(`form.toolbar button[type=submit]`)
	b.waitFor("prefix search", `document.querySelectorAll('.streams-table tbody tr').length === 2 && !document.querySelector('.streams-table').textContent.includes('payment')`)

	// A stream's messages, pretty-printed.
	b.click(`.streams-table a[href*="order-1"]`)
	b.waitFor("stream messages", `document.querySelectorAll('.message').length === 5`)
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

	// Categories, then a category with a consumer-group member filter.
	b.click(`.nav-item[href$="/categories"]`)
	b.waitFor("categories listed", `document.querySelector('.categories-table')?.textContent.includes('payment')`)
	b.shot("categories")
	b.click(`.categories-table a[href$="/categories/order"]`)
	b.waitFor("category messages", `document.querySelectorAll('.message').length === 7`)
	b.fill("#filter-member", "0")
	b.fill("#filter-size", "2")
	b.click("#apply-filters")
	b.waitFor("member filter", `location.hash.includes('member=0') && (document.querySelectorAll('.message').length > 0 || document.querySelector('.state-empty'))`)
	b.fill("#filter-member", "")
	b.fill("#filter-size", "")
	b.fill("#filter-correlation", "checkout")
	b.click("#apply-filters")
	b.waitFor("correlation filter", `location.hash.includes('correlation=checkout') && document.querySelectorAll('.message').length === 1`)
	b.shot("category")

	// Live tail of the whole namespace: a message written now shows up.
	b.click(`.nav-item[href$="/live"]`)
	b.waitFor("tail is live", `document.querySelector('#live-state')?.dataset.state === 'live'`)
	written := time.Now()
	rpc(t, srv.URL, shopToken, `["stream.write","order-3",{"type":"OrderShipped","data":{"carrier":"post","parcels":2}}]`)
	b.waitFor("tailed message", `document.querySelector('#live-rows')?.textContent.includes('OrderShipped')`)
	t.Logf("live tail showed a new message %s after it was written", time.Since(written).Round(time.Millisecond))
	for i := range 4 {
		rpc(t, srv.URL, shopToken, fmt.Sprintf(`["stream.write","payment-%d",{"type":"PaymentCaptured","data":{"amount":%d,"currency":"EUR"}}]`, 10+i, 1200+i*35))
	}
	b.waitFor("more tailed messages", `document.querySelectorAll('#live-rows tr').length >= 5`)
	b.click(`#live-rows tr`)
	b.shot("live")
	b.click("#live-pause")
	b.waitFor("paused", `document.querySelector('#live-state').dataset.state === 'paused'`)
	rpc(t, srv.URL, shopToken, `["stream.write","order-3",{"type":"OrderDelivered","data":{}}]`)
	time.Sleep(700 * time.Millisecond)
	if eval[bool](b, `document.querySelector('#live-rows').textContent.includes('OrderDelivered')`) {
		t.Fatal("a paused tail showed a new message")
	}
	b.click("#live-pause")
	b.waitFor("resumed tail catches up", `document.querySelector('#live-rows').textContent.includes('OrderDelivered')`)

	// 500 messages a second: the tail keeps the newest rows and the page
	// stays responsive.
	lastWritten := make(chan int64, 1)
	go func() { lastWritten <- burst(t, srv.URL, shopToken, 500, 3*time.Second) }()
	slowest := b.responsiveness(3 * time.Second)
	last := <-lastWritten
	b.waitFor("newest burst message on top", fmt.Sprintf(`document.querySelector('#live-rows tr')?.dataset.globalPosition === '%d'`, last))
	if rows := eval[int](b, `document.querySelectorAll('#live-rows tr').length`); rows != 200 {
		t.Fatalf("the tail keeps %d rows, want the newest 200", rows)
	}
	t.Logf("during 500 messages/s the page answered within %s at worst", slowest.Round(time.Millisecond))
	if slowest > 2*time.Second {
		t.Fatalf("the page stalled for %s under 500 messages/s", slowest)
	}

	// Consumer groups: listed, or said to be unavailable on this server.
	b.click(`.nav-item[href$="/groups"]`)
	b.waitFor("groups view", `document.querySelector('main .group, main .state-empty') !== null`)
	b.shot("groups")

	// Server health and version.
	b.click(`.nav-item[href="#/server"]`)
	b.waitFor("health", `document.querySelector('#health-status')?.textContent === 'ok'`)
	b.shot("server")

	// A phone-sized screen.
	b.viewport(390, 844, true)
	b.do("stream on a phone", chromedp.Navigate(srv.URL+"/console/#/ns/shop/streams/order-1"))
	b.waitFor("stream messages on a phone", `document.querySelectorAll('.message').length === 5`)
	b.shot("phone-stream")
	b.do("tail on a phone", chromedp.Navigate(srv.URL+"/console/#/ns/shop/live?category=payment"))
	// A category tail opens with the category's recent messages (five
	// payments among the last global positions), then shows new ones on top.
	b.waitFor("phone tail is live with context", `document.querySelector('#live-state')?.dataset.state === 'live' && document.querySelectorAll('#live-rows tr').length === 5`)
	for i := range 3 {
		rpc(t, srv.URL, shopToken, fmt.Sprintf(`["stream.write","payment-%d",{"type":"PaymentRefunded","data":{"amount":%d}}]`, 20+i, 300+i))
	}
	b.waitFor("tail on a phone", `document.querySelectorAll('#live-rows tr').length === 8 && document.querySelector('#live-rows tr').textContent.includes('PaymentRefunded')`)
	b.shot("phone-live")
	b.viewport(1280, 800, false)

	// Sign out, then in with the namespace token: only its own namespace.
	b.click(".signout")
	b.waitFor("signed out", `document.querySelector('#token') !== null && sessionStorage.length === 0`)
	b.fill("#token", shopToken)
	b.click(`button[type=submit]`)
	b.waitFor("own namespace", `location.hash === '#/ns/shop' && document.querySelector('.stats') !== null`)
	if eval[bool](b, `document.querySelector('.nav-item[href="#/namespaces"]') !== null`) {
		t.Fatal("a namespace token sees the Namespaces view")
	}
	b.do("another namespace", chromedp.Navigate(srv.URL+"/console/#/ns/default/streams"))
	b.waitFor("AUTH_FORBIDDEN shown", `document.querySelector('main [data-error-code="AUTH_FORBIDDEN"]') !== null`)
	b.shot("forbidden")
	b.do("another namespace's overview", chromedp.Navigate(srv.URL+"/console/#/ns/default"))
	b.waitFor("AUTH_FORBIDDEN on the overview", `document.querySelector('main [data-error-code="AUTH_FORBIDDEN"]') !== null`)
	if eval[bool](b, `document.querySelector('main .stats') !== null`) {
		t.Fatal("a namespace token sees another namespace's figures")
	}

	// Nothing went to another host, and the page logged no error of its own.
	for _, u := range foreign(b.requested(), base.Host) {
		t.Errorf("the page requested %s, outside the server", u)
	}
	if len(b.requested()) < 10 {
		t.Fatalf("saw only %d requests; network events are not recorded", len(b.requested()))
	}
	for _, m := range b.logged() {
		if expectedRefusal(m) {
			t.Logf("expected: %s (%s)", m, m.URL)
			continue
		}
		if m.Type == "error" || m.IsException() || m.Type == "warning" {
			t.Errorf("browser console: %s (%s:%d)", m, m.URL, m.Line+1)
		}
	}
	t.Logf("browser test took %s", time.Since(start).Round(time.Millisecond))
}

// expectedRefusal is the browser's own note about an HTTP error response the
// test provoked on purpose: the wrong token (401), the other namespace (403)
// and, on servers without consumer groups, group.list (404). The page itself
// logs nothing.
func expectedRefusal(m chromedp.ConsoleMessage) bool {
	if m.Source != "network" || !strings.HasSuffix(m.URL, "/rpc") {
		return false
	}
	for _, status := range []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound} {
		if strings.Contains(m.Text, fmt.Sprintf("status of %d", status)) {
			return true
		}
	}
	return false
}

// writeOrders writes eight messages to three streams of two categories.
func writeOrders(t *testing.T, base, token string) {
	t.Helper()
	writes := []string{
		`["stream.write","order-1",{"type":"OrderPlaced","data":{"customer":"ada","lines":[{"sku":"tea-01","qty":2,"price":4.5}],"gift":false},"metadata":{"correlationStreamName":"checkout-7","causedBy":"web"}}]`,
		`["stream.write","order-1",{"type":"ItemAdded","data":{"sku":"mug-03","qty":1,"price":12}}]`,
		`["stream.write","order-1",{"type":"AddressChanged","data":{"street":"1 Analytical Way","city":"London","zip":"N1 9GU"}}]`,
		`["stream.write","order-1",{"type":"OrderConfirmed","data":{"total":21,"currency":"EUR"},"metadata":{"user":"ada"}}]`,
		`["stream.write","order-1",{"type":"OrderPaid","data":{"payment":"payment-9"}}]`,
		`["stream.write","order-2",{"type":"OrderPlaced","data":{"customer":"grace","lines":[]}}]`,
		`["stream.write","order-2",{"type":"OrderCancelled","data":{"reason":"changed mind"}}]`,
		`["stream.write","payment-9",{"type":"PaymentCaptured","data":{"amount":2100,"currency":"EUR"}}]`,
	}
	for _, w := range writes {
		rpc(t, base, token, w)
	}
}

// burst writes perSecond messages a second for d, ten per request to three
// streams of the sensor category, and returns the last global position.
func burst(t *testing.T, base, token string, perSecond int, d time.Duration) int64 {
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
		out := rpc(t, base, token, fmt.Sprintf(`["stream.write","sensor-%d",[%s]]`, i%3, strings.Join(msgs, ",")))
		var res struct{ GlobalPosition, Count int64 }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Errorf("burst write answer %s: %v", out, err)
			return 0
		}
		last = res.GlobalPosition + res.Count - 1
	}
	return last
}

func randomHex(t *testing.T) string {
	t.Helper()
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
