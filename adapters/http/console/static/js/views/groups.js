// Durable consumer groups (group.list, SPEC §8): each group's members with
// their checkpoint and lag. Servers without the group.* methods answer
// METHOD_NOT_FOUND, which is shown as such rather than as a failure.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { ago, count, time } from '../format.js';
import { href } from '../router.js';
import { codeLine, emptyState, errorState, load, pageHeader, stat, table } from '../ui.js';

export function renderGroups(main, ctx) {
  const { ns } = ctx;
  const body = h('div.stack');
  const refresh = () => load(body, () => groups(ctx), (err) => unavailable(err, refresh));
  replace(main,
    pageHeader('Consumer groups', `Namespace ${ns} · durable readers of a category, split into members`,
      h('button.btn', { type: 'button', onclick: refresh }, 'Refresh')),
    body);
  refresh();
}

async function groups(ctx) {
  const list = await call(ctx.token, 'group.list');
  if (list.length === 0) {
    return emptyState('No consumer groups yet', 'A group keeps each member’s place in a category on the server. Create one with:',
      codeLine(`curl -X POST ${location.origin}/rpc -H "Authorization: Bearer $TOKEN" \\\n  -d '["group.create","billing",{"category":"account","size":2}]'`));
  }
  return list.map((g) => groupCard(ctx.ns, g));
}

// groupCard renders one group.info result:
// {group, category, size, createdAt, lag, members: [{member, globalPosition, lag, updatedAt}]}.
export function groupCard(ns, g) {
  const members = Array.isArray(g.members) ? g.members : [];
  const worst = Math.max(1, ...members.map((m) => m.lag || 0));
  return h('section.card.group', { 'data-group': g.group },
    h('div.section-header', {},
      h('h2.mono', {}, g.group),
      h('span.muted', {}, 'reads ', h('a', { href: href(['ns', ns, 'categories', g.category]) }, g.category))),
    h('div.stats.stats-small', {},
      stat('Members', count(g.size)),
      stat('Lag', count(g.lag), g.lag === 0 ? 'caught up' : 'messages behind'),
      stat('Created', time(g.createdAt).slice(0, 10))),
    table([['Member', 'num'], ['Checkpoint', 'num'], ['Lag', 'num'], [''], ['Updated']],
      members.map((m) => h('tr', {},
        h('td.num', {}, String(m.member)),
        h('td.num', { title: 'Global position processed up to' }, count(m.globalPosition)),
        h('td.num', {}, count(m.lag)),
        h('td.bar-cell', {}, h('progress.lag-bar', { max: worst, value: m.lag || 0, 'aria-label': `lag of member ${m.member}` })),
        h('td', { title: m.updatedAt ? time(m.updatedAt) : '' }, m.updatedAt ? ago(m.updatedAt) : 'never'))), 'members-table'));
}

function unavailable(err, retry) {
  if (err && err.code === 'METHOD_NOT_FOUND') {
    return emptyState('Consumer groups are not available on this server',
      'This server does not have the group.* methods (durable consumer groups) yet. Consumers keep their own positions; ' +
      'the Category view still reads one member’s share with its consumer group filter.');
  }
  return errorState(err, { retry });
}
