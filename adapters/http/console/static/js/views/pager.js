// The paging row under a list: First, Previous, a label, Next, Latest.
// A missing callback disables its button; with nothing to page to, only the
// label is shown.

import { h } from '../dom.js';

export function pager({ label, first, prev, next, last }) {
  if (!first && !prev && !next && !last) return h('div.pager.pager-single', {}, h('span.pager-label', {}, label));
  const button = (text, fn, cls) => h('button.btn.btn-small', { type: 'button', class: cls, disabled: !fn, onclick: fn || null }, text);
  return h('nav.pager', { 'aria-label': 'Pages' },
    h('div.pager-buttons', {},
      first !== undefined ? button('« First', first, 'pager-first') : null,
      button('‹ Previous', prev, 'pager-prev')),
    h('span.pager-label', {}, label),
    h('div.pager-buttons', {},
      button('Next ›', next, 'pager-next'),
      last !== undefined ? button('Latest »', last, 'pager-last') : null));
}
