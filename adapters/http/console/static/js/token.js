// Tokens are ns_<base64url(namespace), no padding>_<64 lowercase hex>; the
// namespace a token reaches can be read from it without asking the server.

const TOKEN = /^ns_([A-Za-z0-9_-]+)_([0-9a-f]{64})$/;

// ADMIN_NAMESPACE is the namespace whose token manages the others.
export const ADMIN_NAMESPACE = 'default';

// tokenNamespace returns the namespace a token names, or null when the text
// is not shaped like a token.
export function tokenNamespace(token) {
  const m = TOKEN.exec(token);
  if (!m) return null;
  try {
    const b64 = m[1].replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes) || null;
  } catch {
    return null;
  }
}
