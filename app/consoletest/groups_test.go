package consoletest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// groupsAndServer: shop's consumer groups — none at first; a group created
// through the API appears without a reload, and an ack and a new message
// change its figures in place — then the server's health and version.
func (w *walk) groupsAndServer() {
	t, b := w.t, w.b
	b.click(`.nav-item[href$="/groups"]`)
	b.waitFor("no groups yet", `document.querySelector('#groups-empty') !== null && document.querySelector('#groups-state')?.dataset.state === 'live'`)
	b.shot("groups-empty")

	rpc(t, w.url, w.shop, `["group.create","fulfilment",{"category":"order","size":2}]`)
	info := groupInfo(t, w.url, w.shop, "fulfilment")
	if info.Lag == 0 {
		t.Fatalf("fulfilment starts without lag: %+v", info)
	}
	b.waitFor("the new group appears with its lag", groupShown("fulfilment", info))
	b.do("keep the card", chromedp.Evaluate[chromedp.Void](`window.fulfilmentCard = document.querySelector('[data-group="fulfilment"]')`))

	// A worker acks its member's messages.
	member := info.Members[0]
	if member.Lag == 0 {
		member = info.Members[1]
	}
	var rows [][]json.RawMessage
	out := rpc(t, w.url, w.shop, fmt.Sprintf(`["group.fetch","fulfilment",{"member":%d}]`, member.Member))
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != int(member.Lag) {
		t.Fatalf("group.fetch = %s (%v), want %d messages", out, err, member.Lag)
	}
	var last int64
	if err := json.Unmarshal(rows[len(rows)-1][4], &last); err != nil {
		t.Fatal(err)
	}
	rpc(t, w.url, w.shop, fmt.Sprintf(`["group.ack","fulfilment",{"member":%d,"globalPosition":%d}]`, member.Member, last))
	acked := groupInfo(t, w.url, w.shop, "fulfilment")
	if acked.Members[member.Member].GlobalPosition != last || acked.Lag != info.Lag-member.Lag {
		t.Fatalf("after the ack: %+v", acked)
	}
	b.waitFor("the ack shown", groupShown("fulfilment", acked)+fmt.Sprintf(` && (() => {
		const row = document.querySelector('[data-group="fulfilment"] tr[data-member="%d"]');
		return row.querySelector('[data-field="updated"]').textContent === 'just now' &&
			row.querySelector('[data-field="checkpoint"]').classList.contains('changed');
	})()`, member.Member))
	if !eval[bool](b, `document.querySelector('[data-group="fulfilment"]') === window.fulfilmentCard`) {
		t.Error("the group's card was rebuilt instead of updated in place")
	}
	b.shot("groups")

	// A new message of the category raises its member's lag.
	rpc(t, w.url, w.shop, `["stream.write","order-2",{"type":"OrderReturned","data":{}}]`)
	more := groupInfo(t, w.url, w.shop, "fulfilment")
	if more.Lag != acked.Lag+1 {
		t.Fatalf("after a new message: %+v", more)
	}
	b.waitFor("the new message's lag shown", groupShown("fulfilment", more))
	b.colorScheme("dark")
	b.shot("groups-dark")
	b.colorScheme("light")

	b.click(`.nav-item[href="#/server"]`)
	b.waitFor("health", `document.querySelector('#health-status')?.textContent === 'ok'`)
	b.shot("server")
}

// groupInfoResult is group.info's answer.
type groupInfoResult struct {
	Group   string
	Lag     int64
	Members []struct {
		Member         int64
		GlobalPosition int64
		Lag            int64
	}
}

func groupInfo(t *testing.T, base, token, name string) groupInfoResult {
	t.Helper()
	var info groupInfoResult
	out := rpc(t, base, token, fmt.Sprintf(`["group.info",%q]`, name))
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		t.Fatalf("group.info = %s: %v", out, err)
	}
	return info
}

// groupShown is a JavaScript condition: the page shows group info's total
// lag, in the card and the summary, and every member's checkpoint and lag.
func groupShown(name string, info groupInfoResult) string {
	var members []string
	for _, m := range info.Members {
		members = append(members, fmt.Sprintf("[%d,%d,%d]", m.Member, m.GlobalPosition, m.Lag))
	}
	return fmt.Sprintf(`(() => {
		const card = document.querySelector('[data-group=%q]');
		if (!card) return false;
		const n = (el) => el ? Number(el.textContent.replace(/,/g, '')) : NaN;
		if (n(card.querySelector('[data-field="group-lag"]')) !== %d) return false;
		if (n(document.querySelector('#groups-summary [data-field="total-lag"]')) !== %d) return false;
		return [%s].every(([m, checkpoint, lag]) => {
			const row = card.querySelector('tr[data-member="' + m + '"]');
			return row && n(row.querySelector('[data-field="checkpoint"]')) === checkpoint && n(row.querySelector('[data-field="lag"]')) === lag;
		});
	})()`, name, info.Lag, info.Lag, strings.Join(members, ","))
}

// When refreshing fails with a refusal (here the namespace was deleted, so
// its token is AUTH_INVALID), the groups view keeps the last figures, shows
// the server's code and message, and stops asking until told to.
func TestConsoleGroupsShowRefusals(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Token = "ns_ZGVmYXVsdA_" + randomHex(t)
	srv := apptest.Start(t, cfg)
	b := newBrowser(t) // after the server, so it closes first
	var created struct{ Token string }
	if err := json.Unmarshal([]byte(rpc(t, srv.URL, cfg.Token, `["ns.create","gone"]`)), &created); err != nil {
		t.Fatal(err)
	}
	rpc(t, srv.URL, created.Token, `["stream.write","job-1",{"type":"Queued","data":{}}]`)
	rpc(t, srv.URL, created.Token, `["group.create","workers",{"category":"job"}]`)

	b.do("open the console", chromedp.Navigate(srv.URL+"/console/"))
	b.fill("#token", created.Token)
	b.click(`button[type=submit]`)
	b.waitFor("signed in", `location.hash === '#/ns/gone' && document.querySelector('#overview-groups')?.textContent === '1'`)
	b.click("#overview-groups")
	b.waitFor("the group", `document.querySelector('[data-group="workers"] [data-field="group-lag"]')?.textContent === '1'`)

	rpc(t, srv.URL, cfg.Token, `["ns.delete","gone"]`)
	b.waitFor("the refusal shown", `document.querySelector('main [data-error-code="AUTH_INVALID"] .error-message')?.textContent !== '' &&
		document.querySelector('#groups-state').dataset.state === 'error'`)
	if !eval[bool](b, `document.querySelector('[data-group="workers"]') !== null`) {
		t.Error("the last figures went with the failed refresh")
	}
	b.shot("groups-refused")
	before := len(rpcRequests(b.requested()))
	time.Sleep(3 * time.Second) // more than one refresh interval
	if after := len(rpcRequests(b.requested())); after != before {
		t.Errorf("%d more requests after a refusal; the view should stop asking", after-before)
	}
	for _, m := range b.logged() {
		if !expectedRefusal(m) && (m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException()) {
			t.Errorf("browser console: %s (%s:%d)", m, m.URL, m.Line+1)
		}
	}
}

func rpcRequests(urls []string) []string {
	var out []string
	for _, u := range urls {
		if strings.HasSuffix(u, "/rpc") {
			out = append(out, u)
		}
	}
	return out
}
