// The signed-in session lives in sessionStorage only: it ends with the tab,
// never reaches a URL or a log, and sign-out removes it.
//
// The admin token manages namespaces but reads and writes only its own
// (default) namespace, as the protocol says; to browse another namespace the
// console needs that namespace's token. Tokens the admin creates or pastes
// during the session are kept in a keyring next to the primary token.

import { ADMIN_NAMESPACE, tokenNamespace } from './token.js';

const KEY = 'eventodb.console.session';

let state = load();
const listeners = new Set();

function load() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (s && typeof s.token === 'string' && typeof s.namespace === 'string') {
      return { token: s.token, namespace: s.namespace, keys: s.keys && typeof s.keys === 'object' ? s.keys : {} };
    }
  } catch {
    // a damaged entry: start signed out
  }
  return null;
}

function save() {
  if (state) sessionStorage.setItem(KEY, JSON.stringify(state));
  else sessionStorage.removeItem(KEY);
  for (const fn of listeners) fn();
}

export function signedIn() {
  return state !== null;
}

// namespace is the one the signed-in token belongs to.
export function namespace() {
  return state ? state.namespace : null;
}

export function isAdmin() {
  return state !== null && state.namespace === ADMIN_NAMESPACE;
}

// primaryToken is the token signed in with.
export function primaryToken() {
  return state ? state.token : null;
}

// tokenFor returns a token that reads and writes ns, or null.
export function tokenFor(ns) {
  if (!state) return null;
  if (ns === state.namespace) return state.token;
  return isAdmin() ? state.keys[ns] || null : null;
}

export function signIn(token) {
  const ns = tokenNamespace(token);
  state = { token, namespace: ns, keys: {} };
  save();
}

// remember keeps a namespace token for this session (admin sessions only).
export function remember(token) {
  const ns = tokenNamespace(token);
  if (!state || !ns || !isAdmin() || ns === state.namespace) return;
  state.keys[ns] = token;
  save();
}

// forget drops the token of a deleted namespace.
export function forget(ns) {
  if (!state || !(ns in state.keys)) return;
  delete state.keys[ns];
  save();
}

// knownNamespaces are the namespaces this session can browse.
export function knownNamespaces() {
  if (!state) return [];
  return [state.namespace, ...Object.keys(state.keys)].sort();
}

export function signOut() {
  state = null;
  save();
}

// onChange calls fn after every sign-in, sign-out and keyring change.
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
