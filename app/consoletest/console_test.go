package consoletest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// TestConsoleInABrowser walks through the console as a person would: a wrong
// token, the admin's sign-in, namespaces created and deleted in the UI,
// messages written through the API and seen in every view, a live tail, and
// a namespace token that cannot see another namespace. It saves a screenshot
// of each view, and fails on any error the page logs or any request it sends
// outside the server.
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
	w := &walk{t: t, b: b, url: srv.URL, admin: cfg.Token}
	start := time.Now()

	w.signInAsAdmin()
	w.manageNamespaces()
	w.pasteNamespaceToken()
	w.browse()
	w.liveTail()
	w.groupsAndServer()
	w.phone()
	w.namespaceTokenSeesItsOwn()
	w.checkHygiene()
	t.Logf("browser walk-through took %s", time.Since(start).Round(time.Millisecond))
}

// walk is one pass through the console: the browser, the server and the
// tokens learnt on the way.
type walk struct {
	t     *testing.T
	b     *browser
	url   string // the server's base URL
	admin string // the admin token
	shop  string // the token of the namespace created in the UI
}

// signInAsAdmin tries a wrong token first, then the admin's.
func (w *walk) signInAsAdmin() {
	t, b := w.t, w.b
	b.do("open /console", chromedp.Navigate(w.url+"/console"))
	b.waitFor("sign-in form", `document.querySelector('#token') !== null`)
	b.fill("#token", "ns_ZGVmYXVsdA_"+strings.Repeat("0", 64))
	b.click(`button[type=submit]`)
	b.waitFor("AUTH_INVALID shown", `document.querySelector('.signin-status [data-error-code="AUTH_INVALID"]') !== null`)
	b.shot("signin-error")

	b.fill("#token", w.admin)
	b.click(`button[type=submit]`)
	b.waitFor("namespaces table", `document.querySelector('tr[data-namespace="default"]') !== null`)
	if got := eval[string](b, `sessionStorage.getItem('eventodb.console.session') || ''`); !strings.Contains(got, w.admin) {
		t.Fatal("the token is not kept in sessionStorage after sign-in")
	}
	if strings.Contains(eval[string](b, `location.href`), w.admin[20:]) {
		t.Fatal("the token is in the page's URL")
	}
}

// manageNamespaces creates shop in the UI (keeping the token shown once),
// creates and deletes scratch, and writes shop's messages through the API.
func (w *walk) manageNamespaces() {
	t, b := w.t, w.b
	b.click("#new-namespace")
	b.fill("#ns-id", "shop")
	b.fill("#ns-description", "Orders and payments")
	b.click(`dialog button[type=submit]`)
	b.waitFor("created token shown", `(document.querySelector('#created-token') || {}).value?.startsWith('ns_')`)
	w.shop = eval[string](b, `document.querySelector('#created-token').value`)
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
	if out := rpc(t, w.url, w.admin, `["ns.list"]`); strings.Contains(out, "scratch") {
		t.Fatalf("scratch is still listed by the server: %s", out)
	}

	// Messages written through the API, as an application would.
	writeOrders(t, w.url, w.shop)
	b.do("reload", chromedp.Reload())
	b.waitFor("shop has 8 messages", `document.querySelector('tr[data-namespace="shop"]')?.textContent.includes('8')`)
	b.waitFor("figures filled in", `![...document.querySelectorAll('.namespaces-table td')].some(td => td.textContent === '…')`)
	b.shot("namespaces")
}
