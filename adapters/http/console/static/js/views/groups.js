// Durable consumer groups (group.list, SPEC §8): every group of the
// namespace with its total lag and each member's checkpoint, lag and last
// move, refreshed every few seconds while the view is shown. Figures are
// updated in place (and flash when they change), so a refresh neither
// flickers nor loses a selection. Servers without the group.* methods answer
// METHOD_NOT_FOUND, which is shown as such rather than as a failure.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { ago, count, time } from '../format.js';
import { href } from '../router.js';
import { codeLine, emptyState, errorState, loading, pageHeader, stat, table } from '../ui.js';

// EVERY is how often the figures are read again.
export const EVERY = 2000;

export function renderGroups(main, ctx) {
  const { ns } = ctx;
  const state = h('span.live-state', { id: 'groups-state', 'data-state': 'connecting' }, 'Loading…');
  const updated = h('span.muted', { id: 'groups-updated' });
  const pauseButton = h('button.btn', { type: 'button', id: 'groups-pause' }, 'Pause');
  const refreshButton = h('button.btn', { type: 'button', id: 'groups-refresh' }, 'Refresh now');
  const problem = h('div');
  const summary = h('div');
  const list = h('div.stack.groups', { id: 'groups' });
  const body = h('div.stack', {}, loading());
  replace(main,
    pageHeader('Consumer groups', `Namespace ${ns} · durable readers of a category, split into members, with their checkpoints and lag`),
    h('div.card.live-bar', {}, h('span.live-dot', { 'aria-hidden': 'true' }), state, updated,
      h('div.live-actions', {}, pauseButton, refreshButton)),
    problem,
    body);

  const cards = new Map(); // group name → its card
  let timer = null;
  let paused = false;
  let stopped = false; // a refusal a repeat would meet again: no more polling
  let shown = false; // the list (or its empty state) is on the page
  let running = null;

  const setState = (s, text) => {
    state.dataset.state = s;
    state.textContent = text;
  };
  const schedule = () => {
    clearTimeout(timer);
    if (!paused && !stopped && !ctx.signal.aborted) timer = setTimeout(refresh, EVERY);
  };

  async function refresh() {
    if (running) return running;
    clearTimeout(timer);
    running = (async () => {
      if (document.visibilityState === 'hidden') return; // nothing to see: skip this round
      try {
        const groups = await call(ctx.token, 'group.list', { definitions: true });
        if (ctx.signal.aborted) return;
        show(groups);
        replace(problem);
        updated.textContent = `updated ${time(new Date().toISOString()).slice(11, 19)}`;
        if (!paused) setState('live', `Live · every ${EVERY / 1000} s`);
      } catch (err) {
        if (ctx.signal.aborted) return;
        failed(err);
      }
    })();
    try {
      await running;
    } finally {
      running = null;
      schedule();
    }
  }

  function show(groups) {
    if (!shown) {
      replace(body, summary, list);
      shown = true;
    }
    replace(summary, groups.length ? overview(groups) : null);
    if (groups.length === 0) {
      cards.clear();
      replace(list, emptyState('No consumer groups yet',
        'A group keeps each member’s place in a category on the server. This page shows one as soon as it is created, for example with:',
        codeLine(`curl -X POST ${location.origin}/rpc -H "Authorization: Bearer $TOKEN" \\\n  -d '["group.create","billing",{"category":"account","size":2}]'`)));
      list.firstElementChild.id = 'groups-empty';
      return;
    }
    // Keep the cards of groups that are still the same group; build the rest.
    const next = groups.map((g) => {
      const old = cards.get(g.group);
      if (old && sameGroup(old, g)) {
        updateCard(old, g, true);
        return old;
      }
      return groupCard(ns, g);
    });
    cards.clear();
    for (const card of next) cards.set(card.dataset.group, card);
    if (next.some((card, i) => list.children[i] !== card) || list.children.length !== next.length) replace(list, next);
  }

  function failed(err) {
    if (err && err.code === 'METHOD_NOT_FOUND') {
      stopped = true;
      setState('error', 'Not available');
      replace(body, unavailable());
      return;
    }
    // A refusal (a bad token, a deleted namespace) stays one: stop until
    // asked again. Anything else may pass: keep trying.
    stopped = err && err.status >= 400 && err.status < 500 && err.status !== 429;
    setState(stopped ? 'error' : 'reconnecting', stopped ? 'Stopped' : 'Refresh failed, trying again');
    const title = shown ? 'The figures below could not be refreshed' : 'Consumer groups cannot be shown';
    replace(problem, errorState(err, { title, retry: stopped ? () => { stopped = false; refresh(); } : null }));
    if (!shown) replace(body);
  }

  pauseButton.addEventListener('click', () => {
    paused = !paused;
    pauseButton.textContent = paused ? 'Resume' : 'Pause';
    pauseButton.classList.toggle('btn-primary', paused);
    if (paused) {
      clearTimeout(timer);
      setState('paused', 'Paused');
    } else {
      refresh();
    }
  });
  refreshButton.addEventListener('click', () => {
    stopped = false;
    refresh();
  });
  const onVisible = () => {
    if (document.visibilityState === 'visible' && !paused && !stopped) refresh();
  };
  document.addEventListener('visibilitychange', onVisible);
  ctx.signal.addEventListener('abort', () => {
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisible);
  }, { once: true });
  refresh();
}

// overview sums the namespace's groups up.
function overview(groups) {
  const all = groups.flatMap((g) => members(g));
  const behind = all.filter((m) => m.lag > 0).length;
  const lag = groups.reduce((n, g) => n + (g.lag || 0), 0);
  const acked = lastAck(all);
  return h('div.stats', { id: 'groups-summary' },
    stat('Groups', count(groups.length)),
    stat('Total lag', h('span', { 'data-field': 'total-lag' }, count(lag)), lag === 0 ? 'every member caught up' : 'messages not yet acked'),
    stat('Members behind', count(behind), `of ${count(all.length)}`),
    stat('Last ack', acked ? ago(acked) : 'never', acked ? time(acked) : 'no checkpoint moved yet'));
}

function members(g) {
  return Array.isArray(g.members) ? g.members : [];
}

// lastAck is the latest updatedAt among members, or null.
function lastAck(ms) {
  let latest = null;
  for (const m of ms) {
    if (m.updatedAt && (!latest || new Date(m.updatedAt) > new Date(latest))) latest = m.updatedAt;
  }
  return latest;
}

// startText says where a group started: group.list {definitions: true}
// carries startAt as created and start, the checkpoint it resolved to.
function startText(g) {
  if (g.startAt === undefined) return null;
  if (g.startAt === 'end') return `from its end when created (after global position ${count(g.start)})`;
  if (typeof g.startAt === 'number') return `from global position ${count(g.startAt)}`;
  return 'from the beginning';
}

// sameGroup tells whether card shows the group g describes (a group deleted
// and created again under its name may differ in everything).
function sameGroup(card, g) {
  return card.dataset.category === g.category && card.dataset.size === String(g.size) && card.dataset.createdAt === g.createdAt;
}

// groupCard renders one group.info result (with group.list's definition
// keys when present): {group, category, size, createdAt, lag, members:
// [{member, globalPosition, lag, updatedAt}], correlation?, startAt?, start?}.
export function groupCard(ns, g) {
  const ms = members(g);
  const start = startText(g);
  const rows = ms.map((m) => h('tr', { 'data-member': m.member },
    h('td.num', {}, String(m.member)),
    h('td.num', { 'data-field': 'checkpoint', title: 'Global position processed up to' }),
    h('td.num', { 'data-field': 'lag' }),
    h('td.bar-cell', {}, h('progress.lag-bar', { 'aria-label': `lag of member ${m.member}` })),
    h('td', { 'data-field': 'updated' }),
    h('td.actions', {}, h('a.btn.btn-small', { 'data-field': 'pending' }, 'Next messages'))));
  const card = h('section.card.group', {
    'data-group': g.group, 'data-category': g.category, 'data-size': String(g.size), 'data-created-at': g.createdAt, 'data-ns': ns,
  },
  h('div.section-header', {},
    h('h2.mono.break', {}, g.group),
    h('span.muted', {}, 'reads ', h('a', { href: href(['ns', ns, 'categories', g.category]) }, g.category),
      g.correlation ? [' correlated with ', h('span.mono', {}, g.correlation)] : null,
      start ? `, ${start}` : null)),
  h('div.stats.stats-small', {},
    stat('Members', count(g.size)),
    stat('Lag', h('span', { 'data-field': 'group-lag' }), h('span', { 'data-field': 'group-lag-hint' })),
    stat('Last ack', h('span', { 'data-field': 'group-acked' }), h('span', { 'data-field': 'group-acked-at' })),
    stat('Created', time(g.createdAt).slice(0, 10), time(g.createdAt).slice(11, 19))),
  table([['Member', 'num'], ['Checkpoint', 'num'], ['Lag', 'num'], [''], ['Updated'], ['', 'actions']], rows, 'members-table'));
  updateCard(card, g, false);
  return card;
}

// updateCard writes g's figures into card, flashing those that changed when
// flash is set, and reports whether any did.
export function updateCard(card, g, flash) {
  let changed = false;
  const set = (el, text, title) => {
    if (!el) return;
    if (title !== undefined) el.title = title;
    if (el.textContent === text) return;
    el.textContent = text;
    changed = true;
    if (flash) {
      el.classList.remove('changed');
      void el.offsetWidth; // restart the animation
      el.classList.add('changed');
    }
  };
  const field = (root, name) => root.querySelector(`[data-field="${name}"]`);
  const ms = members(g);
  const acked = lastAck(ms);
  set(field(card, 'group-lag'), count(g.lag));
  set(field(card, 'group-lag-hint'), g.lag === 0 ? 'caught up' : 'messages behind');
  set(field(card, 'group-acked'), acked ? ago(acked) : 'never', acked ? time(acked) : '');
  set(field(card, 'group-acked-at'), acked ? time(acked).slice(11, 19) : 'no checkpoint moved yet');
  const worst = Math.max(1, ...ms.map((m) => m.lag || 0));
  for (const m of ms) {
    const row = card.querySelector(`tr[data-member="${m.member}"]`);
    if (!row) continue;
    row.classList.toggle('behind', m.lag > 0);
    set(field(row, 'checkpoint'), count(m.globalPosition));
    set(field(row, 'lag'), count(m.lag));
    set(field(row, 'updated'), m.updatedAt ? ago(m.updatedAt) : 'never', m.updatedAt ? time(m.updatedAt) : 'not moved since the group was created');
    const bar = row.querySelector('progress');
    bar.max = worst;
    bar.value = m.lag || 0;
    // The member's next messages: its share of the category after its
    // checkpoint, as the category view's filters read them.
    const next = field(row, 'pending');
    next.href = href(['ns', card.dataset.ns, 'categories', g.category],
      { member: g.size > 1 ? m.member : null, size: g.size > 1 ? g.size : null, correlation: g.correlation || null, from: m.globalPosition + 1 });
    next.title = `Messages of member ${m.member} after global position ${count(m.globalPosition)}`;
    next.classList.toggle('btn-ghost', !m.lag);
  }
  return changed;
}

function unavailable() {
  return emptyState('Consumer groups are not available on this server',
    'This server does not have the group.* methods (durable consumer groups). Consumers keep their own positions; ' +
    'the Category view still reads one member’s share with its consumer group filter.');
}
