// A namespace at a glance: its figures, its categories, and where to go.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { ago, count, time } from '../format.js';
import { href } from '../router.js';
import * as session from '../session.js';
import { emptyState, errorState, load, pageHeader, stat, table } from '../ui.js';
import { tokenForm } from './access.js';

export function renderOverview(main, ctx) {
  const { ns } = ctx;
  const body = h('div.stack');
  replace(main, pageHeader(ns, 'Namespace overview',
    ctx.token ? h('a.btn', { href: href(['ns', ns, 'live']) }, 'Live tail') : null,
    ctx.token ? h('a.btn.btn-primary', { href: href(['ns', ns, 'streams']) }, 'Browse streams') : null), body);
  load(body, async () => {
    // ns.info works with the admin token for any namespace, and with a
    // namespace token for its own; anything else is the server's refusal.
    const info = await call(ctx.token || session.primaryToken(), 'ns.info', ns);
    const parts = [
      h('div.stats', {},
        stat('Messages', count(info.messageCount)),
        stat('Streams', count(info.streamCount)),
        stat('Last activity', info.lastActivity ? ago(info.lastActivity) : 'never', info.lastActivity ? time(info.lastActivity) : 'no message yet'),
        stat('Created', time(info.createdAt).slice(0, 10), info.description || 'no description'),
        info.groupCount === undefined ? null : stat('Consumer groups',
          ctx.token ? h('a', { href: href(['ns', ns, 'groups']), id: 'overview-groups' }, count(info.groupCount)) : count(info.groupCount),
          info.groupCount === 1 ? 'durable reader' : 'durable readers')),
    ];
    if (!ctx.token) {
      parts.push(tokenForm(ns, () => window.dispatchEvent(new HashChangeEvent('hashchange'))));
      return parts;
    }
    const cats = h('section.card', {}, h('h2', {}, 'Categories'));
    parts.push(cats);
    load(cats, () => categories(ctx), (err) => errorState(err));
    return parts;
  }, (err) => errorState(err, { title: `Namespace ${ns} cannot be shown`, signIn: () => session.signOut() }));
}

async function categories(ctx) {
  const { ns } = ctx;
  const cats = await call(ctx.token, 'ns.categories');
  const header = h('div.section-header', {}, h('h2', {}, 'Categories'),
    cats.length > 8 ? h('a', { href: href(['ns', ns, 'categories']) }, `All ${cats.length} categories →`) : null);
  if (cats.length === 0) {
    return [header, emptyState('No messages yet', 'Write a message and its category shows up here.')];
  }
  return [header, table([['Category'], ['Streams', 'num'], ['Messages', 'num'], ['', 'actions']],
    cats.slice(0, 8).map((c) => h('tr', {},
      h('td', {}, h('a.strong', { href: href(['ns', ns, 'categories', c.category]) }, c.category)),
      h('td.num', {}, count(c.streamCount)),
      h('td.num', {}, count(c.messageCount)),
      h('td.actions', {}, h('a.btn.btn-small', { href: href(['ns', ns, 'live'], { category: c.category }) }, 'Tail'))))) ];
}
