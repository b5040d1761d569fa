// The categories of a namespace (ns.categories).

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { count } from '../format.js';
import { href } from '../router.js';
import { emptyState, load, pageHeader, table } from '../ui.js';

export function renderCategories(main, ctx) {
  const { ns } = ctx;
  const body = h('div');
  replace(main, pageHeader('Categories', `Namespace ${ns}: a category is the part of a stream name before its first “-”`), body);
  load(body, async () => {
    const cats = await call(ctx.token, 'ns.categories');
    if (cats.length === 0) return emptyState('No categories yet', 'Writing a message to account-1 creates the category account.');
    return table([['Category'], ['Streams', 'num'], ['Messages', 'num'], ['', 'actions']],
      cats.map((c) => h('tr', {},
        h('td', {}, h('a.strong.mono', { href: href(['ns', ns, 'categories', c.category]) }, c.category)),
        h('td.num', {}, count(c.streamCount)),
        h('td.num', {}, count(c.messageCount)),
        h('td.actions', {},
          h('a.btn.btn-small', { href: href(['ns', ns, 'streams'], { prefix: c.category }) }, 'Streams'),
          h('a.btn.btn-small', { href: href(['ns', ns, 'live'], { category: c.category }) }, 'Tail')))), 'categories-table');
  });
}
