// Server health and version, refreshed every few seconds while shown.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { count, time } from '../format.js';
import * as session from '../session.js';
import { errorState, load, pageHeader, stat } from '../ui.js';

const EVERY = 5000;

export function renderServer(main, ctx) {
  const body = h('div.stack');
  replace(main, pageHeader('Health & version', 'This server, as seen through its RPC methods sys.health and sys.version'), body);
  const refresh = () => load(body, () => figures(), (err) => errorState(err, { title: 'The server did not answer', retry: refresh }));
  refresh();
  const timer = setInterval(refresh, EVERY);
  ctx.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
}

async function figures() {
  const token = session.primaryToken();
  const [version, health] = await Promise.all([call(token, 'sys.version'), call(token, 'sys.health')]);
  const ok = health.status === 'ok';
  return [
    h('div.stats', {},
      stat('Status', h('span.status', { class: ok ? 'status-ok' : 'status-bad', id: 'health-status' }, health.status), ok ? 'the database answers' : 'the database does not answer'),
      stat('Version', h('span.mono', { id: 'server-version' }, version)),
      stat('Backend', health.backend, health.backend === 'postgres' ? 'PostgreSQL, one schema per namespace' : 'SQLite, one file per namespace'),
      stat('Connections', count(health.connections), 'open database connections')),
    h('section.card', {},
      h('h2', {}, 'This session'),
      h('dl.facts', {},
        h('dt', {}, 'Signed in as'), h('dd', {}, `namespace ${session.namespace()}`, session.isAdmin() ? ' (admin)' : ''),
        h('dt', {}, 'Namespaces browsable'), h('dd', {}, session.knownNamespaces().join(', ')),
        h('dt', {}, 'Server address'), h('dd.mono', {}, location.origin),
        h('dt', {}, 'Checked at'), h('dd', {}, time(new Date().toISOString())))),
  ];
}
