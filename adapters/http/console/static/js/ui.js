// Shared pieces of every view: headers, loading, error and empty states,
// stat cards, tables, dialogs and toasts.

import { h, replace } from './dom.js';

// pageHeader is a view's title row: title, an optional subtitle line and
// actions on the right.
export function pageHeader(title, subtitle, ...actions) {
  return h('header.page-header', {},
    h('div.page-title', {}, h('h1', {}, title), subtitle ? h('p.subtitle', {}, subtitle) : null),
    actions.length ? h('div.page-actions', {}, actions) : null);
}

// loading is the placeholder shown while a view waits for the server.
export function loading(text = 'Loading…') {
  return h('div.state.state-loading', { role: 'status', 'aria-live': 'polite' },
    h('span.spinner', { 'aria-hidden': 'true' }), h('span', {}, text));
}

// errorState shows a failure with the server's error code and message.
export function errorState(err, { title = 'The server refused this', retry, signIn } = {}) {
  const code = err && err.code ? err.code : 'ERROR';
  const message = err && err.message ? err.message : String(err);
  const auth = code === 'AUTH_INVALID' || code === 'AUTH_REQUIRED';
  return h('div.state.state-error', { role: 'alert', 'data-error-code': code },
    h('div.state-title', {}, h('span.badge.badge-danger.error-code', {}, code), h('span', {}, title)),
    h('p.error-message', {}, message),
    h('div.state-actions', {},
      retry ? h('button.btn', { type: 'button', onclick: retry }, 'Try again') : null,
      auth && signIn ? h('button.btn.btn-primary', { type: 'button', onclick: signIn }, 'Sign in again') : null));
}

// emptyState says there is nothing to show, and what to do about it.
export function emptyState(title, text, ...extra) {
  return h('div.state.state-empty', {},
    h('div.empty-icon', { 'aria-hidden': 'true' }),
    h('p.state-title', {}, title),
    text ? h('p.muted', {}, text) : null,
    extra);
}

// stat is one figure in a row of cards.
export function stat(label, value, hint) {
  return h('div.stat', {}, h('div.stat-label', {}, label), h('div.stat-value', {}, value),
    hint ? h('div.stat-hint', {}, hint) : null);
}

// table renders rows under a header; columns are [label, className?].
export function table(columns, rows, cls = '') {
  return h('div.table-wrap', {},
    h('table.table', { class: cls },
      h('thead', {}, h('tr', {}, columns.map(([label, c]) => h('th', { class: c }, label)))),
      h('tbody', {}, rows)));
}

// codeLine is a copyable one-line example.
export function codeLine(text) {
  return h('pre.code-line', {}, text);
}

// load shows loading in container while fn runs (only if it takes a moment,
// so fast answers do not flicker), then whatever fn returned, or the error.
export async function load(container, fn, onError) {
  const timer = setTimeout(() => replace(container, loading()), 150);
  try {
    const content = await fn();
    clearTimeout(timer);
    if (content !== undefined) replace(container, content);
  } catch (err) {
    clearTimeout(timer);
    if (err && err.name === 'AbortError') return;
    replace(container, onError ? onError(err) : errorState(err, { retry: () => load(container, fn, onError) }));
  }
}

// dialog shows a modal <dialog> built by build(close) and resolves with what
// close was called with (undefined when dismissed with Escape).
export function dialog(build) {
  return new Promise((resolve) => {
    const el = h('dialog.dialog');
    let result;
    const close = (value) => {
      result = value;
      el.close();
    };
    el.addEventListener('close', () => {
      el.remove();
      resolve(result);
    });
    el.append(build(close));
    document.body.append(el);
    el.showModal();
  });
}

// toast shows a short message at the bottom of the screen.
export function toast(message, kind = 'info') {
  let host = document.querySelector('.toasts');
  if (!host) {
    host = h('div.toasts', { role: 'status', 'aria-live': 'polite' });
    document.body.append(host);
  }
  const t = h('div.toast', { class: `toast-${kind}` }, message);
  host.append(t);
  setTimeout(() => t.remove(), 4000);
}

// copyButton copies text to the clipboard; where the browser refuses (plain
// http on another host), it selects the field so the user can copy by hand.
export function copyButton(text, field) {
  return h('button.btn', {
    type: 'button',
    onclick: async () => {
      try {
        await navigator.clipboard.writeText(text);
        toast('Copied to the clipboard', 'ok');
      } catch {
        if (field) field.select();
        toast('Select and copy the text by hand', 'info');
      }
    },
  }, 'Copy');
}
