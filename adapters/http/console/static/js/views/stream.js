// One stream's messages (stream.get), a page at a time in either direction,
// with a jump to any position. Without ?from= it opens on the newest page.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { category, count } from '../format.js';
import { fromStreamRow, messageCard } from '../messages.js';
import { go, href } from '../router.js';
import { emptyState, load, pageHeader } from '../ui.js';
import { pager } from './pager.js';

const PAGE = 20;

export function renderStream(main, ctx) {
  const { ns, params, query } = ctx;
  const name = params.stream;
  const body = h('div');
  replace(main,
    pageHeader(h('span.mono.break', {}, name),
      ['Stream in category ', h('a', { href: href(['ns', ns, 'categories', category(name)]) }, category(name)), ` · namespace ${ns}`],
      h('a.btn', { href: href(['ns', ns, 'live'], { stream: name }) }, 'Live tail')),
    body);

  load(body, async () => {
    const version = await call(ctx.token, 'stream.version', name);
    if (version === null) {
      return emptyState(`Stream ${name} does not exist`, 'No message has been written to it yet.',
        h('a.btn', { href: href(['ns', ns, 'streams'], { prefix: category(name) }) }, 'Similar streams'));
    }
    const newest = Math.max(0, version - PAGE + 1);
    let from = parseInt(query.get('from') ?? '', 10);
    if (!Number.isFinite(from) || from < 0) from = newest;
    from = Math.min(from, version);
    const rows = await call(ctx.token, 'stream.get', name, { position: from, batchSize: PAGE });
    const msgs = rows.map((r) => fromStreamRow(name, r));
    const to = msgs.length ? msgs[msgs.length - 1].position : from;
    const at = (p) => () => go(['ns', ns, 'streams', name], { from: p });
    const paging = () => pager({
      label: `Positions ${count(from)}–${count(to)} of 0–${count(version)}`,
      first: from > 0 ? at(0) : null,
      prev: from > 0 ? at(Math.max(0, from - PAGE)) : null,
      next: to < version ? at(to + 1) : null,
      last: from < newest ? at(newest) : null,
    });
    return [
      h('div.toolbar.stream-toolbar', {},
        h('span.chip', {}, `${count(version + 1)} messages`),
        h('span.chip', {}, `version ${count(version)}`),
        jumpForm((p) => at(Math.max(0, Math.min(p, version)))(), 'Jump to position', version)),
      paging(),
      h('div.messages', {}, msgs.map((m) => messageCard(ns, m))),
      paging(),
    ];
  });
}

// jumpForm asks for a position and calls onJump with it.
export function jumpForm(onJump, label, max) {
  const input = h('input.input.input-narrow', { type: 'number', min: 0, max: max ?? null, placeholder: 'position', 'aria-label': label, id: 'jump-position' });
  return h('form.jump', { method: 'post', action: '#', onsubmit: (e) => {
    e.preventDefault();
    const p = parseInt(input.value, 10);
    if (Number.isFinite(p) && p >= 0) onJump(p);
  } }, h('label.muted', { for: 'jump-position' }, label), input, h('button.btn.btn-small', { type: 'submit' }, 'Go'));
}
