// Shown when the session's tokens do not reach a namespace: a namespace
// token sees only its own namespace; the admin may paste the token of
// another namespace to browse it.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import * as session from '../session.js';
import { tokenNamespace } from '../token.js';
import { errorState, load, pageHeader } from '../ui.js';

export function renderNoAccess(main, ctx) {
  if (!session.isAdmin()) {
    renderForbidden(main, ctx);
    return;
  }
  replace(main, pageHeader(ctx.ns, 'Namespace'), tokenForm(ctx.ns, () => window.dispatchEvent(new HashChangeEvent('hashchange'))));
}

// renderForbidden asks the server about the namespace, so the refusal shown
// is the server's own (AUTH_FORBIDDEN for another tenant's namespace).
function renderForbidden(main, ctx) {
  const body = h('div');
  replace(main, pageHeader(ctx.ns, 'Namespace'), body);
  load(body, async () => {
    await call(session.primaryToken(), 'ns.info', ctx.ns);
    return errorState({ code: 'AUTH_FORBIDDEN', message: `This session's token reaches namespace ${session.namespace()} only.` },
      { title: 'Not allowed' });
  }, (err) => errorState(err, { title: `Namespace ${ctx.ns} is not visible with this token` }));
}

// tokenForm takes the token of namespace ns from the admin and keeps it for
// the session once the server accepted it.
export function tokenForm(ns, done) {
  const input = h('input.input', { type: 'password', autocomplete: 'off', spellcheck: 'false', placeholder: 'ns_…', 'aria-label': `Token of namespace ${ns}` });
  const status = h('div');
  const submit = async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    const owner = tokenNamespace(token);
    if (owner !== ns) {
      replace(status, errorState({ code: 'INVALID_REQUEST', message: owner ? `That token belongs to namespace ${owner}.` : 'That is not an EventoDB token.' }, { title: 'Wrong token' }));
      return;
    }
    try {
      await call(token, 'sys.version');
      session.remember(token);
      input.value = '';
      done();
    } catch (err) {
      replace(status, errorState(err, { title: 'The server refused the token' }));
    }
  };
  return h('section.card.callout', {},
    h('h2', {}, 'A token of this namespace is needed'),
    h('p', {}, 'The admin token manages namespaces, but reads and writes only the ', h('code', {}, session.namespace()),
      ' namespace. To browse ', h('code', {}, ns), ', paste its token (given when the namespace was created). ',
      'It is kept only in this tab until you sign out.'),
    h('form.inline-form', { onsubmit: submit, method: 'post', action: '#' }, input, h('button.btn.btn-primary', { type: 'submit' }, 'Use token')),
    status);
}
