// Server-Sent Events over fetch: EventSource cannot send an Authorization
// header, and the token must never be put in a URL, so the console reads
// the event stream itself.

import { errorFromResponse, send } from './api.js';

// readEvents opens GET /subscribe?<query> as token and calls onEvent with
// every event ({id, event, data}) until the stream ends (it resolves) or
// signal aborts. A refused subscription rejects with the server's ApiError.
// lastEventId resumes after that global position.
export async function readEvents(query, token, { signal, lastEventId, onOpen, onEvent }) {
  const headers = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
  if (lastEventId !== null && lastEventId !== undefined) headers['Last-Event-ID'] = String(lastEventId);
  const res = await send(`/subscribe?${query}`, { headers, signal });
  if (!res.ok) throw await errorFromResponse(res);
  if (onOpen) onOpen();
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = eventParser(onEvent);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser(value);
    }
  } finally {
    reader.releaseLock();
  }
}

// eventParser returns a function fed with chunks of the stream's text; it
// calls onEvent for each complete event. Comment lines (": ready",
// ": heartbeat") are skipped.
export function eventParser(onEvent) {
  let buf = '';
  let event = blank();
  return (chunk) => {
    buf += chunk;
    let start = 0;
    for (let nl = buf.indexOf('\n', start); nl >= 0; nl = buf.indexOf('\n', start)) {
      let line = buf.slice(start, nl);
      start = nl + 1;
      if (line.endsWith('\r')) line = line.slice(0, -1);
      if (line === '') {
        if (event.data !== null) onEvent({ id: event.id, event: event.event || 'message', data: event.data });
        event = blank();
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') event.data = event.data === null ? value : `${event.data}\n${value}`;
      else if (field === 'event') event.event = value;
      else if (field === 'id') event.id = value;
    }
    buf = buf.slice(start);
  };
}

function blank() {
  return { id: null, event: null, data: null };
}
