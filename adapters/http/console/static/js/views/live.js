// Live tail view: new messages of a stream, a category or the whole
// namespace as they are written, newest on top. Only the newest MAX rows
// stay on the page, so it keeps up with hundreds of messages a second.

import { h, replace } from '../dom.js';
import { ago, count, time } from '../format.js';
import { compact, jsonBlock } from '../json.js';
import { go, href } from '../router.js';
import { startTail } from '../tail.js';
import { codeLine, errorState, pageHeader } from '../ui.js';

const MAX = 200;

export function renderLive(main, ctx) {
  const { ns, query } = ctx;
  const target = query.has('stream') ? { kind: 'stream', name: query.get('stream') }
    : query.has('category') ? { kind: 'category', name: query.get('category') }
      : { kind: 'all', name: '' };

  const state = h('span.live-state', { id: 'live-state', 'data-state': 'connecting' }, 'Connecting…');
  const counters = h('span.live-counters.muted');
  const pauseButton = h('button.btn', { type: 'button', id: 'live-pause' }, 'Pause');
  const clearButton = h('button.btn.btn-ghost', { type: 'button' }, 'Clear');
  const problem = h('div');
  const rows = h('tbody', { id: 'live-rows' });
  const empty = h('div.state.state-empty.live-empty', {},
    h('span.pulse', { 'aria-hidden': 'true' }),
    h('p.state-title', {}, 'Waiting for messages…'),
    h('p.muted', {}, 'New messages appear here within a second of being written, for example with:'),
    codeLine(example(target)));
  const list = h('div.table-wrap.live-table', { hidden: true },
    h('table.table.table-compact', {},
      h('thead', {}, h('tr', {},
        h('th', {}, 'Time'), h('th.num', {}, 'Global'), h('th', {}, 'Stream'), h('th.num', {}, 'Pos'), h('th', {}, 'Type'), h('th', {}, 'Data'))),
      rows));

  replace(main,
    pageHeader('Live tail', `Namespace ${ns} · ${describe(target)} · newest first, the last ${MAX} kept`),
    targetForm(ns, target),
    h('div.card.live-bar', {}, h('span.live-dot', { 'aria-hidden': 'true' }), state, counters,
      h('div.live-actions', {}, pauseButton, clearButton)),
    problem,
    empty,
    list);

  let paused = false;
  const tail = startTail({
    ns, token: ctx.token, target, max: MAX,
    onMessages: (msgs) => {
      const frag = document.createDocumentFragment();
      for (let i = msgs.length - 1; i >= 0; i--) frag.append(row(ns, msgs[i]));
      rows.prepend(frag);
      while (rows.childElementCount > MAX) rows.lastElementChild.remove();
      list.hidden = false;
      empty.hidden = true;
    },
    onState: ({ state: s, error, retryIn, transient }) => {
      state.dataset.state = s;
      state.textContent = {
        connecting: 'Connecting…', live: 'Live', paused: 'Paused', error: 'Stopped',
        reconnecting: `Connection lost, retrying in ${Math.round((retryIn || 0) / 1000)} s`,
      }[s] || s;
      const title = transient ? 'A read failed; the tail goes on'
        : s === 'reconnecting' ? 'The subscription dropped; reconnecting' : 'The tail stopped';
      replace(problem, error ? errorState(error, { title }) : null);
    },
    onStats: (s) => {
      counters.textContent = `${count(s.received)} received · ${count(s.rate)}/s · ${count(Math.min(s.shown, MAX))} shown` +
        (s.skipped ? ` · ${count(s.skipped)} skipped to keep up` : '') + (paused && s.pending ? ` · ${count(s.pending)} waiting` : '');
    },
  });
  ctx.signal.addEventListener('abort', () => tail.stop(), { once: true });

  pauseButton.addEventListener('click', () => {
    paused = !paused;
    if (paused) tail.pause(); else tail.resume();
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    pauseButton.classList.toggle('btn-primary', paused);
  });
  clearButton.addEventListener('click', () => {
    rows.replaceChildren();
    list.hidden = true;
    empty.hidden = false;
  });
  rows.addEventListener('click', (e) => {
    const tr = e.target.closest('tr.live-row');
    if (tr && !e.target.closest('a')) toggle(tr);
  });
}

function row(ns, m) {
  const tr = h('tr.live-row', { 'data-global-position': m.globalPosition, title: 'Click to show the data and metadata' },
    h('td.nowrap', { title: `${m.time} (${ago(m.time)})` }, time(m.time).slice(11)),
    h('td.num', {}, String(m.globalPosition)),
    h('td', {}, h('a.mono', { href: href(['ns', ns, 'streams', m.stream], { from: m.position }) }, m.stream)),
    h('td.num', {}, String(m.position)),
    h('td.strong', {}, m.type),
    h('td.data-cell', {}, h('span.data-compact.mono', {}, compact(m.data))));
  tr.message = m;
  return tr;
}

// toggle shows or hides a row's pretty-printed data and metadata, built on
// first use so fast tails do not pay for it.
function toggle(tr) {
  const cell = tr.querySelector('.data-cell');
  tr.classList.toggle('expanded');
  if (!cell.querySelector('.data-full')) {
    cell.append(h('div.data-full', {},
      h('div.part-label', {}, 'data'), jsonBlock(tr.message.data),
      h('div.part-label', {}, 'metadata'), jsonBlock(tr.message.metadata)));
  }
}

function targetForm(ns, target) {
  const kind = h('select.input.input-auto', { id: 'live-kind', 'aria-label': 'What to follow' },
    h('option', { value: 'all', selected: target.kind === 'all' }, 'Whole namespace'),
    h('option', { value: 'category', selected: target.kind === 'category' }, 'Category'),
    h('option', { value: 'stream', selected: target.kind === 'stream' }, 'Stream'));
  const name = h('input.input', { id: 'live-name', value: target.name, placeholder: 'name', 'aria-label': 'Stream or category name', autocomplete: 'off', spellcheck: 'false', disabled: target.kind === 'all' });
  kind.addEventListener('change', () => { name.disabled = kind.value === 'all'; if (!name.disabled) name.focus(); });
  return h('form.toolbar', { method: 'post', action: '#', onsubmit: (e) => {
    e.preventDefault();
    const n = name.value.trim();
    go(['ns', ns, 'live'], kind.value === 'all' || !n ? {} : { [kind.value]: n });
  } }, kind, name, h('button.btn', { type: 'submit', id: 'live-follow' }, 'Follow'));
}

function describe(target) {
  return target.kind === 'all' ? 'every stream' : `${target.kind} ${target.name}`;
}

function example(target) {
  const stream = target.kind === 'stream' ? target.name : target.kind === 'category' ? `${target.name}-1` : 'account-1';
  return `curl -X POST ${location.origin}/rpc -H "Authorization: Bearer $TOKEN" \\\n  -d '${JSON.stringify(['stream.write', stream, { type: 'Pinged', data: { at: 'now' } }])}'`;
}
