package consoletest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/chromedp/chromedp"
)

// pasteNamespaceToken: for a namespace created elsewhere the admin sees its
// figures, and browses it once its token is pasted (the admin token reads
// only the default namespace).
func (w *walk) pasteNamespaceToken() {
	t, b := w.t, w.b
	var created struct{ Token string }
	if err := json.Unmarshal([]byte(rpc(t, w.url, w.admin, `["ns.create","billing",{"description":"made by a script"}]`)), &created); err != nil {
		t.Fatal(err)
	}
	rpc(t, w.url, created.Token, `["stream.write","invoice-1",{"type":"InvoiceIssued","data":{"total":99}}]`)
	b.do("reload", chromedp.Reload())
	b.click(`tr[data-namespace="billing"] a`)
	b.waitFor("token needed", `document.querySelector('.callout input') !== null && document.querySelector('.stats')?.textContent.includes('1')`)
	b.do("paste another namespace's token", chromedp.SendKeys(chromedp.CSS(".callout input"), w.shop))
	b.click(`.callout button[type=submit]`)
	b.waitFor("token of another namespace refused", `document.querySelector('.callout [data-error-code]')?.textContent.includes('INVALID_REQUEST')`)
	b.fill(".callout input", created.Token)
	b.click(`.callout button[type=submit]`)
	b.waitFor("billing browsable", `document.querySelector('main table')?.textContent.includes('invoice')`)
	b.click(`.nav-item[href="#/namespaces"]`)
	b.waitFor("namespaces again", `document.querySelector('tr[data-namespace="shop"]') !== null`)
}

// namespaceTokenSeesItsOwn signs out, then in with shop's token: no
// namespace management, and the server's AUTH_FORBIDDEN for the default
// namespace.
func (w *walk) namespaceTokenSeesItsOwn() {
	t, b := w.t, w.b
	b.click(".signout")
	b.waitFor("signed out", `document.querySelector('#token') !== null && sessionStorage.length === 0`)
	b.fill("#token", w.shop)
	b.click(`button[type=submit]`)
	b.waitFor("own namespace", `location.hash === '#/ns/shop' && document.querySelector('.stats') !== null`)
	if eval[bool](b, `document.querySelector('.nav-item[href="#/namespaces"]') !== null`) {
		t.Fatal("a namespace token sees the Namespaces view")
	}
	b.do("another namespace", chromedp.Navigate(w.url+"/console/#/ns/default/streams"))
	b.waitFor("AUTH_FORBIDDEN shown", `document.querySelector('main [data-error-code="AUTH_FORBIDDEN"]') !== null`)
	b.shot("forbidden")
	b.do("another namespace's overview", chromedp.Navigate(w.url+"/console/#/ns/default"))
	b.waitFor("AUTH_FORBIDDEN on the overview", `document.querySelector('main [data-error-code="AUTH_FORBIDDEN"]') !== null`)
	if eval[bool](b, `document.querySelector('main .stats') !== null`) {
		t.Fatal("a namespace token sees another namespace's figures")
	}
}

// checkHygiene: nothing went to another host, and the page logged no error
// or warning of its own.
func (w *walk) checkHygiene() {
	t, b := w.t, w.b
	server, err := url.Parse(w.url)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range foreign(b.requested(), server.Host) {
		t.Errorf("the page requested %s, outside the server", u)
	}
	if n := len(b.requested()); n < 10 {
		t.Fatalf("saw only %d requests; network events are not recorded", n)
	}
	for _, m := range b.logged() {
		if expectedRefusal(m) {
			t.Logf("expected: %s (%s)", m, m.URL)
			continue
		}
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
			t.Errorf("browser console: %s (%s:%d)", m, m.URL, m.Line+1)
		}
	}
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
