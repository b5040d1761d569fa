// Hash routes (#/ns/tenant/streams/account-1?from=20): the page is one file,
// so the server needs no routing, and reloading keeps the view. Every path
// segment is URI-encoded, so stream names may hold "/", "?" or "#".

// href builds a route link from path segments and optional query values
// (null, undefined and "" are left out).
export function href(segments, query = {}) {
  const path = segments.map((s) => encodeURIComponent(String(s))).join('/');
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  }
  const qs = q.toString();
  return `#/${path}${qs ? `?${qs}` : ''}`;
}

// go navigates to a route.
export function go(segments, query) {
  const target = href(segments, query);
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
  else location.hash = target;
}

// current parses location.hash into decoded segments and query values.
export function current() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs = ''] = splitOnce(raw, '?');
  const segments = path === '' ? [] : path.split('/').map(safeDecode);
  return { segments, query: new URLSearchParams(qs) };
}

// match finds the first route whose pattern fits the segments; ":name"
// captures a segment into params.
export function match(routes, segments) {
  for (const route of routes) {
    const parts = route.path === '' ? [] : route.path.split('/');
    if (parts.length !== segments.length) continue;
    const params = {};
    let ok = true;
    parts.forEach((part, i) => {
      if (part.startsWith(':')) params[part.slice(1)] = segments[i];
      else if (part !== segments[i]) ok = false;
    });
    if (ok) return { route, params };
  }
  return null;
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
