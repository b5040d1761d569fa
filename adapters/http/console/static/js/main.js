// Entry point: picks the view for the current hash route and gives it a
// fresh context; leaving a view aborts its requests and subscriptions.

import { h, replace } from './dom.js';
import { current, match } from './router.js';
import * as session from './session.js';
import { shell } from './views/shell.js';
import { renderSignIn } from './views/signin.js';
import { renderNamespaces } from './views/namespaces.js';
import { renderOverview } from './views/overview.js';
import { renderStreams } from './views/streams.js';
import { renderStream } from './views/stream.js';
import { renderCategories } from './views/categories.js';
import { renderCategory } from './views/category.js';
import { renderLive } from './views/live.js';
import { renderGroups } from './views/groups.js';
import { renderServer } from './views/server.js';
import { renderNoAccess } from './views/access.js';
import { emptyState } from './ui.js';

// needsToken: the view reads the namespace's data, so it needs that
// namespace's own token (the admin token reads only its own namespace).
const routes = [
  { path: '', view: renderHome },
  { path: 'namespaces', view: renderNamespaces, nav: 'namespaces', adminOnly: true },
  { path: 'server', view: renderServer, nav: 'server' },
  { path: 'ns/:ns', view: renderOverview, nav: 'overview' },
  { path: 'ns/:ns/streams', view: renderStreams, nav: 'streams', needsToken: true },
  { path: 'ns/:ns/streams/:stream', view: renderStream, nav: 'streams', needsToken: true },
  { path: 'ns/:ns/categories', view: renderCategories, nav: 'categories', needsToken: true },
  { path: 'ns/:ns/categories/:category', view: renderCategory, nav: 'categories', needsToken: true },
  { path: 'ns/:ns/live', view: renderLive, nav: 'live', needsToken: true },
  { path: 'ns/:ns/groups', view: renderGroups, nav: 'groups', needsToken: true },
];

const app = document.getElementById('app');
let active = null; // the AbortController of the view on screen

function render() {
  if (active) active.abort();
  active = new AbortController();
  const { signal } = active;
  app.className = '';
  if (!session.signedIn()) {
    shell.detach();
    renderSignIn(app, { signal });
    return;
  }
  const { segments, query } = current();
  const found = match(routes, segments);
  const ns = found && found.params.ns !== undefined ? found.params.ns : session.namespace();
  const main = shell.attach(app, { nav: found ? found.route.nav : null, ns });
  const ctx = { params: found ? found.params : {}, query, signal, ns, token: session.tokenFor(ns) };
  if (!found) {
    replace(main, emptyState('There is nothing here', 'The address does not name a view of the console.',
      h('a.btn', { href: '#/' }, 'Go to the start')));
  } else if (found.route.adminOnly && !session.isAdmin()) {
    renderNoAccess(main, ctx);
  } else if (found.route.needsToken && !ctx.token) {
    renderNoAccess(main, ctx);
  } else {
    found.route.view(main, ctx);
  }
  document.title = title(found, ctx);
  main.focus({ preventScroll: true });
}

const titles = {
  namespaces: 'Namespaces', server: 'Health & version', overview: 'Overview', streams: 'Streams',
  categories: 'Categories', live: 'Live tail', groups: 'Consumer groups',
};

// title names the view in the browser's tab: the stream or category shown,
// else the view, and the namespace.
function title(found, ctx) {
  const parts = [];
  if (found) {
    const { params, route } = found;
    parts.push(params.stream || params.category || titles[route.nav] || '');
    if (route.path.startsWith('ns/')) parts.push(ctx.ns);
  }
  return [...parts.filter(Boolean), 'EventoDB console'].join(' · ');
}

// renderHome sends the admin to the namespaces and anyone else to their own.
function renderHome() {
  location.replace(session.isAdmin() ? '#/namespaces' : `#/ns/${encodeURIComponent(session.namespace())}`);
}

window.addEventListener('hashchange', render);
session.onChange(() => {
  if (!session.signedIn()) render();
});
render();
