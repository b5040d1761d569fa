package consoletest_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/eventodb/eventodb/app/apptest"
	"github.com/eventodb/eventodb/app/config"
)

// modulesCheck imports the console's modules in the page and checks the
// parts a whole-server walk-through cannot reach easily: the SSE parser fed
// awkward chunks, token parsing, routes with odd stream names, that server
// data never becomes markup, and the consumer-group card rendering SPEC §8's
// group.info and updating it in place. It evaluates to a list of failures.
const modulesCheck = `(async () => {
  const fails = [];
  const expect = (ok, what) => { if (!ok) fails.push(what); };
  const { eventParser } = await import('./js/sse.js');
  const { tokenNamespace } = await import('./js/token.js');
  const { href, current } = await import('./js/router.js');
  const { jsonBlock } = await import('./js/json.js');
  const { groupCard, updateCard } = await import('./js/views/groups.js');

  // SSE: comments skipped, events split across chunks, CRLF, multi-line data.
  const events = [];
  const feed = eventParser((e) => events.push(e));
  for (const chunk of [': ready\n\nid: 7\nevent: po', 'ke\ndata: {"stream":"a-1","position":0,"globalPosition":7}\n', '\n: heartbeat\n\n',
    'id: 8\r\nevent: poke\r\ndata: {"stream":"a-1",\r\ndata: "position":1,"globalPosition":8}\r\n\r\n', 'event: error\ndata: {"code":"X"}\n\n']) feed(chunk);
  expect(events.length === 3, 'three events, got ' + events.length);
  expect(events[0] && events[0].id === '7' && events[0].event === 'poke' && JSON.parse(events[0].data).globalPosition === 7, 'first poke');
  expect(events[1] && JSON.parse(events[1].data).position === 1, 'CRLF and two data lines: ' + (events[1] && events[1].data));
  expect(events[2] && events[2].event === 'error', 'error event');

  // Tokens: the namespace is read from the token; anything else is null.
  const hex = 'ab'.repeat(32);
  expect(tokenNamespace('ns_ZGVmYXVsdA_' + hex) === 'default', 'admin token');
  expect(tokenNamespace('ns_dGVuYW50LWE_' + hex) === 'tenant-a', 'tenant-a token');
  expect(tokenNamespace('ns_' + btoa('a?>b').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') + '_' + hex) === 'a?>b', 'base64url with - or _');
  expect(tokenNamespace('ns_ZGVmYXVsdA_' + hex.slice(2)) === null, 'short hex');
  expect(tokenNamespace('nope') === null, 'not a token');

  // Routes: any stream name survives the round trip through the hash.
  const odd = 'account-1/2?x=#y z+%';
  location.hash = href(['ns', 'tenant', 'streams', odd], { from: 3, empty: '' });
  const r = current();
  expect(r.segments.length === 4 && r.segments[3] === odd, 'odd stream name: ' + JSON.stringify(r.segments));
  expect(r.query.get('from') === '3' && !r.query.has('empty'), 'query');
  location.hash = '';

  // Data is text: markup in a message stays text.
  const pre = jsonBlock({ html: '<img src=x onerror=alert(1)>', n: 1, ok: true, none: null, list: [1, 'two'] });
  expect(pre.querySelector('img') === null && pre.textContent.includes('<img src=x'), 'markup stays text');
  expect(pre.querySelectorAll('.j-key').length === 5 && pre.querySelector('.j-null') !== null, 'colouring');

  // A consumer group as group.info describes it (SPEC §8).
  const card = groupCard('tenant', { group: 'billing', category: 'account', size: 2, createdAt: '2026-01-15T10:30:00.000000Z', lag: 7,
    members: [{ member: 0, globalPosition: 120, lag: 0, updatedAt: '2026-01-15T10:31:00.000000Z' },
      { member: 1, globalPosition: 95, lag: 7, updatedAt: null }] });
  const rows = card.querySelectorAll('.members-table tbody tr');
  expect(card.dataset.group === 'billing', 'group name');
  expect(rows.length === 2, 'one row per member');
  expect(rows[1] && rows[1].textContent.includes('95') && rows[1].textContent.includes('7') && rows[1].textContent.includes('never'), 'member 1: ' + (rows[1] && rows[1].textContent));
  expect(card.querySelectorAll('progress').length === 2 && card.querySelectorAll('progress')[1].value === 7, 'lag bars');
  expect(card.querySelector('a').getAttribute('href') === '#/ns/tenant/categories/account', 'category link');
  const next = rows[1] && rows[1].querySelector('[data-field="pending"]');
  expect(next && next.getAttribute('href') === '#/ns/tenant/categories/account?member=1&size=2&from=96', 'member 1’s next messages: ' + (next && next.getAttribute('href')));

  // A refresh updates the figures in place; only changed ones flash.
  const moved = { group: 'billing', category: 'account', size: 2, createdAt: '2026-01-15T10:30:00.000000Z', lag: 2,
    members: [{ member: 0, globalPosition: 120, lag: 0, updatedAt: '2026-01-15T10:31:00.000000Z' },
      { member: 1, globalPosition: 100, lag: 2, updatedAt: new Date().toISOString() }] };
  expect(updateCard(card, moved, true) === true, 'an ack changes the card');
  const cell = (m, f) => card.querySelector('tr[data-member="' + m + '"] [data-field="' + f + '"]');
  expect(cell(1, 'checkpoint').textContent === '100' && cell(1, 'checkpoint').classList.contains('changed'), 'checkpoint updated and flashed');
  expect(cell(1, 'lag').textContent === '2' && cell(1, 'updated').textContent === 'just now', 'lag and time updated');
  expect(!cell(0, 'checkpoint').classList.contains('changed'), 'an unchanged figure does not flash');
  expect(card.querySelector('[data-field="group-lag"]').textContent === '2', 'total lag');
  expect(updateCard(card, moved, true) === false, 'the same figures change nothing');

  // group.list {definitions: true} adds where the group started.
  const ended = groupCard('tenant', { group: 'audit', category: 'account', size: 1, createdAt: '2026-01-15T10:30:00.000000Z', lag: 0,
    correlation: 'workflow', startAt: 'end', start: 1523, members: [{ member: 0, globalPosition: 1523, lag: 0, updatedAt: null }] });
  expect(ended.textContent.includes('correlated with workflow') && ended.textContent.includes('from its end when created (after global position 1,523)'), 'definition: ' + ended.querySelector('.section-header').textContent);
  const only = ended.querySelector('[data-field="pending"]').getAttribute('href');
  expect(only === '#/ns/tenant/categories/account?correlation=workflow&from=1524', 'a member of one needs no member filter: ' + only);
  return fails;
})()`

func TestConsoleModules(t *testing.T) {
	t.Parallel()
	cfg := config.Default()
	cfg.TestMode = true
	srv := apptest.Start(t, cfg)
	b := newBrowser(t) // after the server, so it closes first
	b.do("open the console", chromedp.Navigate(srv.URL+"/console/"))
	b.waitFor("sign-in form", `document.querySelector('#token') !== null`)
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	fails, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](modulesCheck, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate the module checks: %v", err)
	}
	for _, f := range fails {
		t.Error(f)
	}
	for _, m := range b.logged() {
		if m.Type == "error" || m.IsException() {
			t.Errorf("browser console: %s", m)
		}
	}
}
