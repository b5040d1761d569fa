// Namespaces (admin): every namespace with its figures; create and delete.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { ago, count, time } from '../format.js';
import { href } from '../router.js';
import * as session from '../session.js';
import { ADMIN_NAMESPACE } from '../token.js';
import { copyButton, dialog, emptyState, errorState, load, pageHeader, table, toast } from '../ui.js';
import { shell } from './shell.js';

export function renderNamespaces(main, ctx) {
  const body = h('div');
  const refresh = () => load(body, () => list(ctx, refresh));
  replace(main,
    pageHeader('Namespaces', 'Each namespace is a tenant with its own token and its own storage.',
      h('button.btn.btn-primary', { type: 'button', id: 'new-namespace', onclick: () => createNamespace(refresh) }, 'New namespace')),
    body);
  refresh();
}

async function list(ctx, refresh) {
  const admin = session.primaryToken();
  const items = await call(admin, 'ns.list');
  if (items.length === 0) return emptyState('No namespaces', 'Create one to get its token.');
  const rows = items.map((ns) => row(ns, refresh));
  const out = table([['Namespace'], ['Description'], ['Messages', 'num'], ['Streams', 'num'], ['Last activity'], ['Created'], ['', 'actions']],
    rows.map((r) => r.tr), 'namespaces-table');
  // ns.list has no stream count or last activity: ns.info fills them in,
  // a few at a time.
  fillDetails(admin, rows, ctx.signal);
  return out;
}

function row(ns, refresh) {
  const streams = h('td.num', {}, '…');
  const last = h('td', {}, '…');
  const canBrowse = session.tokenFor(ns.namespace) !== null;
  const tr = h('tr', { 'data-namespace': ns.namespace },
    h('td', {}, h('a.strong', { href: href(['ns', ns.namespace]) }, ns.namespace),
      ns.namespace === ADMIN_NAMESPACE ? h('span.badge', {}, 'admin') : null,
      canBrowse ? null : h('span.badge.badge-muted', { title: 'No token of this namespace in this session' }, 'token needed')),
    h('td.muted', {}, ns.description || '—'),
    h('td.num', {}, count(ns.messageCount)),
    streams,
    last,
    h('td.nowrap', { title: ns.createdAt }, time(ns.createdAt).slice(0, 16)),
    h('td.actions', {},
      ns.namespace === ADMIN_NAMESPACE ? null
        : h('button.btn.btn-small.btn-danger-ghost', { type: 'button', 'data-delete': ns.namespace, onclick: () => deleteNamespace(ns, refresh) }, 'Delete')));
  return { ns, tr, streams, last };
}

async function fillDetails(token, rows, signal) {
  const queue = [...rows];
  const worker = async () => {
    while (queue.length && !signal.aborted) {
      const r = queue.shift();
      try {
        const info = await call(token, 'ns.info', r.ns.namespace);
        r.streams.textContent = count(info.streamCount);
        r.last.textContent = info.lastActivity ? ago(info.lastActivity) : 'never';
        if (info.lastActivity) r.last.title = info.lastActivity;
      } catch (err) {
        r.streams.textContent = '—';
        r.last.textContent = err.code || 'error';
      }
    }
  };
  await Promise.all([worker(), worker(), worker()]);
}

async function createNamespace(refresh) {
  const created = await dialog((close) => {
    const id = h('input.input', { id: 'ns-id', required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'tenant-a' });
    const description = h('input.input', { id: 'ns-description', autocomplete: 'off', placeholder: 'optional' });
    const status = h('div');
    const submit = h('button.btn.btn-primary', { type: 'submit' }, 'Create');
    const onsubmit = async (event) => {
      event.preventDefault();
      submit.disabled = true;
      try {
        const opts = description.value.trim() ? { description: description.value.trim() } : {};
        close(await call(session.primaryToken(), 'ns.create', id.value.trim(), opts));
      } catch (err) {
        replace(status, errorState(err, { title: 'Not created' }));
        submit.disabled = false;
      }
    };
    setTimeout(() => id.focus(), 0);
    return h('form.dialog-body', { onsubmit, method: 'post', action: '#' },
      h('h2', {}, 'New namespace'),
      h('label.field-label', { for: 'ns-id' }, 'Namespace id'), id,
      h('label.field-label', { for: 'ns-description' }, 'Description'), description,
      status,
      h('div.dialog-actions', {}, h('button.btn', { type: 'button', onclick: () => close() }, 'Cancel'), submit));
  });
  if (!created) return;
  session.remember(created.token);
  shell.refreshNamespaces();
  refresh();
  await dialog((close) => {
    const field = h('input.input.mono', { readonly: true, value: created.token, 'aria-label': 'Token', id: 'created-token' });
    return h('div.dialog-body', {},
      h('h2', {}, `Namespace ${created.namespace} created`),
      h('p', {}, 'This is its token. The server keeps only a hash of it, so it is shown this once: store it now. ',
        'This session keeps it too, so you can browse the namespace until you sign out.'),
      h('div.inline-form', {}, field, copyButton(created.token, field)),
      h('div.dialog-actions', {},
        h('a.btn', { href: href(['ns', created.namespace]), onclick: () => close() }, 'Open namespace'),
        h('button.btn.btn-primary', { type: 'button', onclick: () => close() }, 'Done')));
  });
}

async function deleteNamespace(ns, refresh) {
  const confirmed = await dialog((close) => {
    const input = h('input.input', { id: 'confirm-name', autocomplete: 'off', spellcheck: 'false', 'aria-label': 'Namespace id to confirm' });
    const button = h('button.btn.btn-danger', { type: 'submit', disabled: true }, `Delete ${ns.namespace}`);
    input.addEventListener('input', () => { button.disabled = input.value !== ns.namespace; });
    setTimeout(() => input.focus(), 0);
    return h('form.dialog-body', { method: 'post', action: '#', onsubmit: (e) => { e.preventDefault(); if (input.value === ns.namespace) close(true); } },
      h('h2', {}, `Delete namespace ${ns.namespace}?`),
      h('p', {}, 'This deletes its ', h('strong', {}, `${count(ns.messageCount)} messages`),
        ' for good, and its token stops working at once.'),
      h('label.field-label', { for: 'confirm-name' }, 'Type ', h('code', {}, ns.namespace), ' to confirm'),
      input,
      h('div.dialog-actions', {}, h('button.btn', { type: 'button', onclick: () => close(false) }, 'Cancel'), button));
  });
  if (!confirmed) return;
  try {
    const res = await call(session.primaryToken(), 'ns.delete', ns.namespace);
    session.forget(ns.namespace);
    shell.refreshNamespaces();
    toast(`Deleted namespace ${res.namespace} (${count(res.messagesDeleted)} messages)`, 'ok');
  } catch (err) {
    toast(`${err.code}: ${err.message}`, 'error');
  }
  refresh();
}
