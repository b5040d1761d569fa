// Sign-in: the token is checked with the server before it is kept.

import { h, replace } from '../dom.js';
import { call } from '../api.js';
import { go } from '../router.js';
import * as session from '../session.js';
import { tokenNamespace } from '../token.js';
import { errorState } from '../ui.js';

export function renderSignIn(app) {
  app.className = 'signin-page';
  document.title = 'Sign in · EventoDB console';
  // No name attribute: even if script failed and the form submitted, the
  // token would not be sent anywhere (form-action is 'none' as well).
  const input = h('input.input.token-input', {
    id: 'token', type: 'password', autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    placeholder: 'ns_ZGVmYXVsdA_…', required: true, 'aria-describedby': 'token-help',
  });
  const status = h('div.signin-status', { 'aria-live': 'polite' });
  const button = h('button.btn.btn-primary.btn-block', { type: 'submit' }, 'Sign in');

  const submit = async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      replace(status, errorState({ code: 'AUTH_REQUIRED', message: 'Paste a token first.' }, { title: 'No token' }));
      return;
    }
    button.disabled = true;
    button.textContent = 'Checking…';
    try {
      // Any call checks the token; the server says AUTH_INVALID when it is
      // wrong. sys.version is answered for every valid token.
      await call(token, 'sys.version');
      if (!tokenNamespace(token)) throw { code: 'AUTH_INVALID', message: 'The server accepted the token, but its namespace cannot be read from it.' };
      input.value = '';
      session.signIn(token);
      go([]);
    } catch (err) {
      replace(status, errorState(err, { title: 'Sign-in failed' }));
      button.disabled = false;
      button.textContent = 'Sign in';
      input.select();
    }
  };

  replace(app,
    h('div.signin', {},
      h('form.card.signin-card', { onsubmit: submit, method: 'post', action: '#', novalidate: true },
        h('div.signin-brand', {}, h('img.brand-logo.large', { src: 'favicon.svg', alt: '' }),
          h('div', {}, h('div.brand-name', {}, 'EventoDB'), h('div.brand-sub', {}, 'console'))),
        h('h1.signin-title', {}, 'Sign in'),
        h('label.field-label', { for: 'token' }, 'Token'),
        input,
        h('p.help', { id: 'token-help' },
          'The admin token printed when the server first started, or a namespace token. ',
          'It stays in this browser tab (session storage) and is sent only to this server, as an Authorization header.'),
        button,
        status)));
  input.focus();
}
