// The RPC client: POST /rpc with a bearer token and the ["method", ...args]
// body of the EventoDB protocol. Failures become ApiError with the server's
// error code, so every view can show it as the server said it.

export class ApiError extends Error {
  constructor(code, message, status = 0, details = undefined) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

// call runs one RPC method as token's namespace.
export async function call(token, method, ...args) {
  const res = await send('/rpc', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify([method, ...args]),
  });
  const text = await res.text();
  let body;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) throw errorOf(res, body, text);
  if (body === undefined) {
    throw new ApiError('BAD_RESPONSE', `${method}: the server's answer is not JSON`, res.status);
  }
  return body;
}

// send is fetch with the console's fixed options; a network failure becomes
// an ApiError too.
export async function send(url, init) {
  try {
    return await fetch(url, { cache: 'no-store', credentials: 'omit', ...init });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError('NETWORK_ERROR', 'the server cannot be reached (is it running?)');
  }
}

// errorOf turns a failed response into an ApiError, using the protocol's
// error envelope when there is one.
export function errorOf(res, body, text = '') {
  const e = body && typeof body === 'object' ? body.error : null;
  if (e && e.code) return new ApiError(e.code, e.message || '', res.status, e.details);
  return new ApiError(`HTTP_${res.status}`, text.trim() || res.statusText || 'request failed', res.status);
}

// errorFromResponse reads a failed response's body first.
export async function errorFromResponse(res) {
  const text = await res.text().catch(() => '');
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not the envelope: errorOf falls back to the text
  }
  return errorOf(res, body, text);
}
