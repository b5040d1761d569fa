// A category's messages (category.get) in global order, optionally one
// consumer-group member's share or one correlation, paged by global position.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { count } from '../format.js';
import { fromCategoryRow, messageCard } from '../messages.js';
import { go, href } from '../router.js';
import { emptyState, load, pageHeader } from '../ui.js';
import { pager } from './pager.js';
import { jumpForm } from './stream.js';

const PAGE = 20;

// Global positions where earlier pages started, per category view, so
// "Previous" can go back (category.get only reads forward).
const trails = new Map();

export function renderCategory(main, ctx) {
  const { ns, params, query } = ctx;
  const name = params.category;
  const filters = {
    member: query.get('member') ?? '',
    size: query.get('size') ?? '',
    correlation: query.get('correlation') ?? '',
  };
  const from = Math.max(0, parseInt(query.get('from') ?? '0', 10) || 0);
  const trailKey = JSON.stringify([ns, name, filters]);
  const trail = trails.get(trailKey) || [];
  if (from === 0) trail.length = 0;
  trails.set(trailKey, trail);
  const at = (p, f = filters) => go(['ns', ns, 'categories', name], { ...f, from: p || null });

  const body = h('div');
  replace(main,
    pageHeader(h('span.mono.break', {}, name), `Category · namespace ${ns} · messages in global order`,
      h('a.btn', { href: href(['ns', ns, 'streams'], { prefix: name }) }, 'Streams'),
      h('a.btn', { href: href(['ns', ns, 'live'], { category: name }) }, 'Live tail')),
    filterForm(filters, (f) => at(0, f)),
    body);

  load(body, async () => {
    const opts = { position: from, batchSize: PAGE };
    if (filters.member !== '' || filters.size !== '') {
      opts.consumerGroup = { member: Number(filters.member), size: Number(filters.size) };
    }
    if (filters.correlation) opts.correlation = filters.correlation;
    const msgs = (await call(ctx.token, 'category.get', name, opts)).map(fromCategoryRow);
    const filtered = opts.consumerGroup || opts.correlation;
    if (msgs.length === 0) {
      return from > 0
        ? emptyState('No more messages', `Nothing at or after global position ${count(from)}${filtered ? ' with these filters' : ''}.`,
          h('button.btn', { type: 'button', onclick: () => at(0) }, 'Back to the start'))
        : emptyState(filtered ? 'No message matches these filters' : `Category ${name} has no messages`,
          filtered ? 'A member gets the streams whose id hashes to it; a correlation matches metadata.correlationStreamName.' : null);
    }
    const last = msgs[msgs.length - 1].globalPosition;
    const paging = () => pager({
      label: `Global positions ${count(msgs[0].globalPosition)}–${count(last)}`,
      first: from > 0 ? () => at(0) : null,
      prev: from > 0 ? () => at(trail.pop() ?? 0) : null,
      next: msgs.length === PAGE ? () => { trail.push(from); at(last + 1); } : null,
    });
    return [
      h('div.toolbar', {}, jumpForm((p) => at(p), 'Jump to global position')),
      paging(),
      h('div.messages', {}, msgs.map((m) => messageCard(ns, m, { withStream: true }))),
      paging(),
    ];
  });
}

// filterForm edits the consumer-group member and correlation filters.
function filterForm(filters, apply) {
  const member = h('input.input.input-narrow', { type: 'number', min: 0, id: 'filter-member', value: filters.member, placeholder: '0' });
  const size = h('input.input.input-narrow', { type: 'number', min: 1, id: 'filter-size', value: filters.size, placeholder: '1' });
  const correlation = h('input.input', { id: 'filter-correlation', value: filters.correlation, placeholder: 'category, e.g. workflow', autocomplete: 'off', spellcheck: 'false' });
  return h('form.card.filters', { method: 'post', action: '#', onsubmit: (e) => {
    e.preventDefault();
    apply({ member: member.value.trim(), size: size.value.trim(), correlation: correlation.value.trim() });
  } },
  h('div.filter', {}, h('label.field-label', { for: 'filter-member' }, 'Consumer group member'),
    h('div.inline-form', {}, member, h('span.muted', {}, 'of'), size)),
  h('div.filter.grow', {}, h('label.field-label', { for: 'filter-correlation' }, 'Correlation'), correlation),
  h('div.filter-actions', {},
    h('button.btn.btn-primary', { type: 'submit', id: 'apply-filters' }, 'Apply'),
    h('button.btn.btn-ghost', { type: 'button', onclick: () => apply({ member: '', size: '', correlation: '' }) }, 'Reset')));
}
