// The live tail: follows a stream, a category or a whole namespace over
// /subscribe and fetches the messages the pokes announce, in batches.
//
// Pokes are notifications only, so the tail reads the messages with
// stream.get or category.get. Pokes that arrive while a read is running are
// coalesced into the next one, and only the newest `max` are kept: at
// hundreds of messages a second the view shows the newest rows and counts
// the ones it skipped, instead of falling behind.

import { call, ApiError } from './api.js';
import { category } from './format.js';
import { fromCategoryRow, fromStreamRow } from './messages.js';
import { readEvents } from './sse.js';

const CONTEXT = 20; // messages already written, shown when the tail starts
// How many global positions back a category tail looks for its CONTEXT: the
// server pokes only the category's messages, so this costs one index scan.
const CATEGORY_WINDOW = 5000;
const CONTEXT_SETTLE = 200; // ms without backlog pokes before the context shows
const BATCH_DELAY = 60; // ms to wait for more pokes before a read
const PARALLEL = 4; // concurrent reads for one batch

// startTail follows target ({kind: 'stream'|'category'|'all', name}) in
// namespace ns. Callbacks: onMessages(msgs) with new messages in ascending
// global order, onState({state, error, retryIn}), onStats(stats).
export function startTail({ ns, token, target, max = 200, onMessages, onState, onStats }) {
  const abort = new AbortController();
  const stats = { received: 0, shown: 0, skipped: 0, rate: 0 };
  const ticks = []; // poke arrival times over the last seconds, for the rate
  let pending = [];
  let paused = false;
  let reading = false;
  let failing = false; // the last read failed
  let timer = null;
  let lastId = null; // the last event id (global position) seen
  let shownUpTo = 0; // the highest global position handed to onMessages
  // Pokes up to contextUntil were written before the tail started: only the
  // newest CONTEXT of them are shown.
  let contextUntil = 0;
  let context = [];
  let contextTimer = null;

  const report = () => {
    const now = performance.now();
    while (ticks.length && now - ticks[0] > 3000) ticks.shift();
    stats.rate = Math.round(ticks.length / 3);
    onStats({ ...stats, pending: pending.length });
  };
  const statsTimer = setInterval(report, 1000);

  const onEvent = (ev) => {
    if (ev.event !== 'poke') {
      if (ev.event === 'error') {
        let e = {};
        try { e = JSON.parse(ev.data); } catch { /* keep the defaults */ }
        onState({ state: 'error', error: new ApiError(e.code || 'SUBSCRIPTION_ENDED', e.message || ev.data) });
      }
      return;
    }
    let poke;
    try {
      poke = JSON.parse(ev.data);
    } catch {
      return;
    }
    lastId = ev.id !== null ? Number(ev.id) : poke.globalPosition;
    stats.received++;
    ticks.push(performance.now());
    if (poke.globalPosition <= contextUntil) {
      context.push(poke);
      if (context.length > CONTEXT) context.shift();
      clearTimeout(contextTimer);
      contextTimer = setTimeout(releaseContext, CONTEXT_SETTLE);
      return;
    }
    releaseContext();
    pending.push(poke);
    if (pending.length > max) {
      stats.skipped += pending.length - max;
      pending = pending.slice(pending.length - max);
    }
    schedule();
  };

  // releaseContext queues the backlog's newest pokes ahead of live ones.
  const releaseContext = () => {
    clearTimeout(contextTimer);
    contextTimer = null;
    if (context.length === 0) return;
    pending = context.concat(pending).slice(-max);
    context = [];
    schedule();
  };

  const schedule = () => {
    if (timer === null && !reading && !paused) timer = setTimeout(drain, BATCH_DELAY);
  };

  const drain = async () => {
    timer = null;
    if (reading || paused || pending.length === 0 || abort.signal.aborted) return;
    reading = true;
    const batch = pending;
    pending = [];
    try {
      const msgs = (await readBatch(token, target, batch, max)).filter((m) => m.globalPosition > shownUpTo);
      if (msgs.length && !abort.signal.aborted) {
        shownUpTo = msgs[msgs.length - 1].globalPosition;
        stats.shown += msgs.length;
        onMessages(msgs);
      }
      if (failing) {
        failing = false;
        onState({ state: paused ? 'paused' : 'live' });
      }
    } catch (err) {
      // The subscription goes on; the next pokes are read again.
      failing = true;
      if (!abort.signal.aborted) onState({ state: paused ? 'paused' : 'live', error: err, transient: true });
    } finally {
      reading = false;
    }
    report();
    schedule();
  };

  const run = async () => {
    let delay = 1000;
    let position;
    try {
      ({ position, contextUntil } = await startPosition(ns, token, target));
    } catch (err) {
      onState({ state: 'error', error: err });
      return;
    }
    while (!abort.signal.aborted) {
      onState({ state: 'connecting' });
      const query = new URLSearchParams(target.kind === 'all' ? { all: 'true' } : { [target.kind]: target.name });
      query.set('position', String(position));
      try {
        await readEvents(query.toString(), token, {
          signal: abort.signal,
          lastEventId: lastId,
          onOpen: () => { delay = 1000; onState({ state: paused ? 'paused' : 'live' }); },
          onEvent,
        });
      } catch (err) {
        if (abort.signal.aborted) return;
        // A refusal (bad token, bad name, too many subscriptions) will
        // not fix itself by retrying at once.
        if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 429) {
          onState({ state: 'error', error: err });
          return;
        }
        onState({ state: 'reconnecting', error: err, retryIn: delay });
      }
      if (abort.signal.aborted) return;
      await sleep(delay, abort.signal);
      delay = Math.min(delay * 2, 10000);
    }
  };
  run();

  return {
    pause() {
      paused = true;
      onState({ state: 'paused' });
    },
    resume() {
      paused = false;
      onState({ state: 'live' });
      schedule();
    },
    stop() {
      abort.abort();
      clearTimeout(timer);
      clearTimeout(contextTimer);
      clearInterval(statsTimer);
    },
  };
}

// startPosition is where the subscription begins, a little back so the tail
// opens with some context, and up to which global position pokes are that
// context. The namespace's message count is a lower bound of its last global
// position (they start at 1; gaps only make it larger), so starting near it
// never replays much.
async function startPosition(ns, token, target) {
  if (target.kind === 'stream') {
    const version = await call(token, 'stream.version', target.name);
    return { position: version === null ? 0 : Math.max(0, version + 1 - CONTEXT), contextUntil: 0 };
  }
  const { messageCount } = await call(token, 'ns.info', ns);
  const back = target.kind === 'category' ? CATEGORY_WINDOW : CONTEXT;
  return { position: Math.max(0, messageCount + 1 - back), contextUntil: messageCount };
}

// readBatch reads the messages a batch of pokes announced, newest `max`.
async function readBatch(token, target, pokes, max) {
  const groups = new Map();
  for (const p of pokes) {
    const key = target.kind === 'all' ? category(p.stream) : target.name;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(p);
  }
  const jobs = [...groups].map(([key, list]) => () =>
    target.kind === 'stream' ? readStream(token, key, list, max) : readCategory(token, key, list, max));
  const parts = await inParallel(jobs, PARALLEL);
  const msgs = parts.flat().sort((a, b) => a.globalPosition - b.globalPosition);
  return msgs.slice(Math.max(0, msgs.length - max));
}

// readStream reads the stream positions from the first poke to the last.
async function readStream(token, name, pokes, max) {
  const to = pokes[pokes.length - 1].position;
  const from = Math.max(pokes[0].position, to - max + 1);
  const rows = await call(token, 'stream.get', name, { position: from, batchSize: to - from + 1 });
  return rows.map((r) => fromStreamRow(name, r));
}

// readCategory reads a category's messages between the first and the last
// poked global position. A server that coalesced pokes announced fewer
// messages than there are, so it reads on until it reaches the last one.
async function readCategory(token, name, pokes, max) {
  const until = pokes[pokes.length - 1].globalPosition;
  let from = pokes[0].globalPosition;
  const batchSize = Math.min(Math.max(pokes.length, 1), max);
  let out = [];
  for (let round = 0; round < 5; round++) {
    const rows = (await call(token, 'category.get', name, { position: from, batchSize })).map(fromCategoryRow);
    out = out.concat(rows.filter((m) => m.globalPosition <= until));
    const last = rows.length ? rows[rows.length - 1].globalPosition : until;
    if (rows.length < batchSize || last >= until) break;
    from = last + 1;
  }
  return out.slice(Math.max(0, out.length - max));
}

async function inParallel(jobs, limit) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}
