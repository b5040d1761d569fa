// The frame around every view once signed in: top bar (namespace picker,
// server version, who is signed in, sign-out) and the navigation.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { href, go } from '../router.js';
import * as session from '../session.js';

let root = null; // the shell's element while attached
let parts = null;
let namespaces = null; // admin: ids from ns.list, loaded once per sign-in

export const shell = {
  // attach shows the shell in app (building it when needed) and returns the
  // element the view renders into.
  attach(app, { nav, ns }) {
    if (!root || !app.contains(root)) build(app);
    updateNav(nav, ns);
    updatePicker(ns);
    return parts.main;
  },
  detach() {
    root = null;
    parts = null;
    namespaces = null;
  },
  // refreshNamespaces reloads the picker after a namespace was created or
  // deleted.
  refreshNamespaces() {
    namespaces = null;
    if (parts) loadNamespaces();
  },
};

function build(app) {
  parts = {
    main: h('main.main', { id: 'main', tabindex: '-1' }),
    nav: h('nav.sidebar', { 'aria-label': 'Console' }),
    picker: h('select.ns-picker', { 'aria-label': 'Namespace', onchange: (e) => go(['ns', e.target.value]) }),
    server: h('span.server-badge', { title: 'Server version' }, '…'),
  };
  const who = session.isAdmin() ? `${session.namespace()} · admin` : `${session.namespace()} · namespace token`;
  root = h('div.shell', {},
    h('header.topbar', {},
      h('a.brand', { href: '#/' }, h('img.brand-logo', { src: 'favicon.svg', alt: '' }),
        h('span.brand-name', {}, 'EventoDB'), h('span.brand-sub', {}, 'console')),
      h('label.ns-picker-wrap', {}, h('span.label', {}, 'Namespace'), parts.picker),
      h('div.topbar-right', {},
        parts.server,
        h('span.who', { title: 'Signed in with the token of this namespace' }, who),
        h('button.btn.btn-ghost.signout', { type: 'button', onclick: () => session.signOut() }, 'Sign out'))),
    parts.nav,
    parts.main);
  replace(app, root);
  loadServerBadge();
  loadNamespaces();
}

async function loadServerBadge() {
  const badge = parts.server;
  try {
    const [version, health] = await Promise.all([
      call(session.primaryToken(), 'sys.version'),
      call(session.primaryToken(), 'sys.health'),
    ]);
    badge.textContent = `v${version} · ${health.backend}`;
    badge.classList.add(health.status === 'ok' ? 'ok' : 'bad');
  } catch (err) {
    badge.textContent = err.code || 'offline';
    badge.classList.add('bad');
  }
}

async function loadNamespaces() {
  if (!session.isAdmin()) {
    namespaces = [session.namespace()];
  } else {
    try {
      namespaces = (await call(session.primaryToken(), 'ns.list')).map((n) => n.namespace);
    } catch {
      namespaces = session.knownNamespaces();
    }
  }
  if (parts) updatePicker(currentNs);
}

let currentNs = null;

function updatePicker(ns) {
  currentNs = ns;
  const list = namespaces || [session.namespace()];
  const ids = list.includes(ns) || !ns ? list : [...list, ns];
  replace(parts.picker, ids.map((id) => h('option', { value: id, selected: id === ns }, id)));
}

function updateNav(active, ns) {
  const item = (key, label, target) =>
    h('a.nav-item', { href: target, class: key === active ? 'active' : '', 'aria-current': key === active ? 'page' : null },
      h('span.nav-icon', { class: `icon-${key}`, 'aria-hidden': 'true' }), h('span', {}, label));
  replace(parts.nav,
    h('div.nav-section', {}, h('div.nav-heading', {}, 'Server'),
      session.isAdmin() ? item('namespaces', 'Namespaces', href(['namespaces'])) : null,
      item('server', 'Health & version', href(['server']))),
    h('div.nav-section', {}, h('div.nav-heading', { title: ns }, `Namespace ${ns}`),
      item('overview', 'Overview', href(['ns', ns])),
      item('streams', 'Streams', href(['ns', ns, 'streams'])),
      item('categories', 'Categories', href(['ns', ns, 'categories'])),
      item('live', 'Live tail', href(['ns', ns, 'live'])),
      item('groups', 'Consumer groups', href(['ns', ns, 'groups']))));
}
