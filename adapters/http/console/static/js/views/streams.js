// The streams of a namespace (ns.streams): prefix search, paged by name.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { ago, count, time } from '../format.js';
import { go, href } from '../router.js';
import { codeLine, emptyState, load, pageHeader, table } from '../ui.js';
import { pager } from './pager.js';

const PAGE = 50;

// Cursors of the pages before the current one, per namespace and prefix, so
// "Previous" can go back (ns.streams only pages forward).
const trails = new Map();

export function renderStreams(main, ctx) {
  const { ns, query } = ctx;
  const prefix = query.get('prefix') || '';
  const after = query.get('after') || '';
  const trailKey = `${ns}\u0000${prefix}`;
  const trail = trails.get(trailKey) || [];
  if (!after) trail.length = 0;
  trails.set(trailKey, trail);

  const search = h('input.input', { type: 'search', id: 'stream-prefix', value: prefix, placeholder: 'Stream name prefix, e.g. account-', 'aria-label': 'Stream name prefix', autocomplete: 'off', spellcheck: 'false' });
  const form = h('form.toolbar', { method: 'post', action: '#', onsubmit: (e) => { e.preventDefault(); go(['ns', ns, 'streams'], { prefix: search.value.trim() }); } },
    search, h('button.btn', { type: 'submit' }, 'Search'),
    prefix ? h('a.btn.btn-ghost', { href: href(['ns', ns, 'streams']) }, 'Clear') : null);
  const body = h('div');
  replace(main, pageHeader('Streams', `Namespace ${ns}, sorted by name`), form, body);

  load(body, async () => {
    const page = await call(ctx.token, 'ns.streams', { prefix, limit: PAGE + 1, cursor: after });
    const more = page.length > PAGE;
    const rows = page.slice(0, PAGE);
    if (rows.length === 0) return empty(ns, prefix, after);
    const last = rows[rows.length - 1].stream;
    return [
      table([['Stream'], ['Messages', 'num'], ['Version', 'num'], ['Last activity']],
        rows.map((s) => h('tr', {},
          h('td', {}, h('a.strong.mono', { href: href(['ns', ns, 'streams', s.stream]) }, s.stream)),
          h('td.num', {}, count(s.version + 1)),
          h('td.num', {}, count(s.version)),
          h('td', { title: time(s.lastActivity) }, ago(s.lastActivity)))), 'streams-table'),
      pager({
        label: `${rows.length} stream${rows.length === 1 ? '' : 's'}${after ? ` after ${after}` : ''}`,
        first: after ? () => go(['ns', ns, 'streams'], { prefix }) : null,
        prev: after ? () => go(['ns', ns, 'streams'], { prefix, after: trail.pop() || '' }) : null,
        next: more ? () => { trail.push(after); go(['ns', ns, 'streams'], { prefix, after: last }); } : null,
      }),
    ];
  });
}

function empty(ns, prefix, after) {
  if (after) return emptyState('No more streams', 'This is past the last stream.', h('a.btn', { href: href(['ns', ns, 'streams'], { prefix }) }, 'First page'));
  if (prefix) return emptyState(`No stream name starts with “${prefix}”`, 'Names are matched from their first character, case-sensitively.');
  return emptyState('No streams yet', 'Streams appear when a message is first written to them, for example:',
    codeLine(`curl -X POST ${location.origin}/rpc -H "Authorization: Bearer $TOKEN" \\\n  -d '["stream.write","account-1",{"type":"Opened","data":{"owner":"ada"}}]'`));
}
