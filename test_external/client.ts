// A small typed EventoDB client over fetch (PROTOCOL.md §2, §3, §5).
//
// Every RPC goes to POST /rpc as ["method", ...args]. A failure is thrown as an
// EventoDBError whose message is the wire error code (so `error.message ===
// 'STREAM_VERSION_CONFLICT'` works as in the performance guide), with the HTTP
// status, the server's human text and the optional details attached.

/** A message as a writer proposes it. */
export interface MessageInput {
  type: string;
  data: Record<string, unknown>;
  metadata?: Record<string, unknown> | null;
}

export interface WriteOptions {
  id?: string;
  expectedVersion?: number;
}

export interface WriteResult {
  position: number;
  globalPosition: number;
  /** Present for the array form (stream.write with several messages). */
  count?: number;
}

/** [id, type, position, globalPosition, data, metadata, time] */
export type StreamMessage = [
  string,
  string,
  number,
  number,
  Record<string, unknown>,
  Record<string, unknown> | null,
  string,
];

/** [id, streamName, type, position, globalPosition, data, metadata, time] */
export type CategoryMessage = [
  string,
  string,
  string,
  number,
  number,
  Record<string, unknown>,
  Record<string, unknown> | null,
  string,
];

export interface GetStreamOptions {
  position?: number;
  globalPosition?: number;
  batchSize?: number;
}

export interface GetLastOptions {
  type?: string;
}

export interface ConsumerGroup {
  member: number;
  size: number;
}

export interface GetCategoryOptions {
  /** A global position (inclusive). */
  position?: number;
  globalPosition?: number;
  batchSize?: number;
  correlation?: string;
  consumerGroup?: ConsumerGroup;
}

export interface NamespaceCreated {
  namespace: string;
  token: string;
  createdAt: string;
}

export interface NamespaceDeleted {
  namespace: string;
  deletedAt: string;
  messagesDeleted: number;
}

export interface NamespaceSummary {
  namespace: string;
  description: string;
  createdAt: string;
  messageCount: number;
}

export interface NamespaceInfo extends NamespaceSummary {
  streamCount: number;
  lastActivity: string | null;
}

export interface StreamSummary {
  stream: string;
  version: number;
  lastActivity: string;
}

export interface CategorySummary {
  category: string;
  streamCount: number;
  messageCount: number;
}

export interface ListStreamsOptions {
  prefix?: string;
  limit?: number;
  cursor?: string;
}

export interface SysHealth {
  status: string;
  backend: "sqlite" | "postgres";
  connections: number;
}

export interface Poke {
  stream: string;
  position: number;
  globalPosition: number;
}

export interface SubscribeOptions {
  /** Stream position for stream subscriptions, global position otherwise. */
  position?: number;
  consumerGroup?: ConsumerGroup;
  lastEventId?: string;
  onPoke: (poke: Poke, eventId: string | undefined) => void | Promise<void>;
  onReady?: () => void;
  onError?: (error: unknown) => void;
}

export interface Subscription {
  /** Resolves once the server sent its `: ready` comment. */
  ready: Promise<void>;
  close(): void;
}

// --- durable consumer groups (PROTOCOL.md §8) -------------------------------

export interface GroupCreateOptions {
  category: string;
  /** Members, 1 to 1000; default 1 (one member reads everything in order). */
  size?: number;
  /** Only messages whose metadata.correlationStreamName is in this category. */
  correlation?: string;
  /** "beginning" (default), "end", or the first global position to deliver. */
  startAt?: "beginning" | "end" | number;
}

export interface GroupCreated {
  group: string;
  category: string;
  size: number;
  createdAt: string;
}

export interface GroupMemberInfo {
  member: number;
  /** The checkpoint: the global position the member has processed up to. */
  globalPosition: number;
  /** Messages of the member's share after its checkpoint. */
  lag: number;
  /** When the checkpoint last moved; null when it has not since creation. */
  updatedAt: string | null;
}

export interface GroupInfo {
  group: string;
  category: string;
  size: number;
  createdAt: string;
  lag: number;
  members: GroupMemberInfo[];
}

/** Who acts on a member: its number, a lease from joinGroup, or both. */
export interface GroupCaller {
  member?: number;
  lease?: string;
}

export interface GroupFetchOptions extends GroupCaller {
  /** Default 100. */
  batchSize?: number;
}

export interface GroupAckOptions extends GroupCaller {
  globalPosition: number;
}

export interface GroupAckResult {
  member: number;
  globalPosition: number;
}

export interface GroupJoined {
  member: number;
  lease: string;
  expiresAt: string;
}

export interface GroupDeleted {
  group: string;
  deletedAt: string;
}

export interface GroupSubscribeOptions extends GroupCaller {
  lastEventId?: string;
  onPoke: (poke: Poke, eventId: string | undefined) => void | Promise<void>;
  onReady?: () => void;
  onError?: (error: unknown) => void;
}

/** What a consume() handler is told besides the message. */
export interface ConsumeContext {
  group: string;
  member: number;
  lease: string;
}

export interface ConsumeOptions {
  /** Lease time-to-live, renewed by every fetch and ack; default "30s". */
  ttl?: string;
  /** Messages per fetch; default 100. */
  batchSize?: number;
  /** How long to wait when caught up before fetching again, ms; default 1000 (a poke wakes it sooner). */
  idleWait?: number;
  /** How long to wait when every member is leased before joining again, ms; default 1000. */
  joinRetry?: number;
  /** How long to wait after a failed handler or request before going on, ms; default 1000. */
  retryDelay?: number;
  /** Wake up on pokes of the member's share (GET /subscribe?group=…); default true. */
  live?: boolean;
  /** Stops the loop, like Consumer.stop(). */
  signal?: AbortSignal;
  /** Told about handler failures and failed requests; the loop goes on. */
  onError?: (error: unknown) => void;
  /** Told when a member was leased (again). */
  onJoin?: (joined: GroupJoined) => void;
}

export interface Consumer {
  /** Finishes the message in hand, acks what was handled and ends the loop. */
  stop(): Promise<void>;
  /** Resolves when the loop has ended. */
  done: Promise<void>;
}

/** A wire error: message is the code. */
export class EventoDBError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  readonly serverMessage: string;

  constructor(code: string, status: number, serverMessage: string, details?: Record<string, unknown>) {
    super(code);
    this.name = "EventoDBError";
    this.code = code;
    this.status = status;
    this.serverMessage = serverMessage;
    this.details = details;
  }
}

/** A raw HTTP exchange, for tests that look at statuses and headers. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

export interface ClientOptions {
  token?: string;
  /** Retry RPCs answered 429 RATE_LIMITED after a short pause (raw() never retries). */
  retryRateLimited?: boolean;
}

export class EventoDBClient {
  readonly baseUrl: string;
  token: string | undefined;
  /** The X-EventoDB-Token header of the last response (test mode). */
  lastResponseToken: string | undefined;

  readonly retryRateLimited: boolean;

  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    this.retryRateLimited = options.retryRateLimited ?? false;
  }

  /** Returns a client for the same server with another token. */
  withToken(token: string | undefined): EventoDBClient {
    return new EventoDBClient(this.baseUrl, { token, retryRateLimited: this.retryRateLimited });
  }

  // --- transport -----------------------------------------------------------

  /** POSTs body (a string or bytes are sent as they are, anything else as JSON) to /rpc. */
  async raw(body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    const h: Record<string, string> = { "Content-Type": "application/json", ...headers };
    if (this.token !== undefined && !("Authorization" in headers)) {
      h.Authorization = `Bearer ${this.token}`;
    }
    const res = await fetch(`${this.baseUrl}/rpc`, {
      method: "POST",
      headers: h,
      body: typeof body === "string" || body instanceof Uint8Array ? (body as BodyInit) : JSON.stringify(body),
    });
    return toRaw(res);
  }

  /** Calls an RPC method; trailing undefined arguments are dropped. */
  async rpc<T>(method: string, ...args: unknown[]): Promise<T> {
    while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
    let res = await this.raw([method, ...args]);
    for (let retries = 0; this.retryRateLimited && res.status === 429 && retries < 2000; retries++) {
      await new Promise((r) => setTimeout(r, 5));
      res = await this.raw([method, ...args]);
    }
    const token = res.headers.get("X-EventoDB-Token");
    if (token) this.lastResponseToken = token;
    if (res.status === 200) return res.json as T;
    throw toError(res);
  }

  async get(path: string): Promise<RawResponse> {
    const headers: Record<string, string> = {};
    if (this.token !== undefined) headers.Authorization = `Bearer ${this.token}`;
    return toRaw(await fetch(`${this.baseUrl}${path}`, { headers }));
  }

  // --- streams -------------------------------------------------------------

  writeMessage(streamName: string, message: MessageInput, options?: WriteOptions): Promise<WriteResult> {
    return this.rpc("stream.write", streamName, message, options);
  }

  /** The array form: appended atomically with one expectedVersion check. */
  writeMessages(
    streamName: string,
    messages: (MessageInput & { id?: string })[],
    options?: Omit<WriteOptions, "id">,
  ): Promise<WriteResult> {
    return this.rpc("stream.write", streamName, messages, options);
  }

  getStream(streamName: string, options?: GetStreamOptions): Promise<StreamMessage[]> {
    return this.rpc("stream.get", streamName, options);
  }

  getLastMessage(streamName: string, options?: GetLastOptions): Promise<StreamMessage | null> {
    return this.rpc("stream.last", streamName, options);
  }

  getStreamVersion(streamName: string): Promise<number | null> {
    return this.rpc("stream.version", streamName);
  }

  getCategory(categoryName: string, options?: GetCategoryOptions): Promise<CategoryMessage[]> {
    return this.rpc("category.get", categoryName, options);
  }

  // --- namespaces ----------------------------------------------------------

  createNamespace(id: string, options?: { description?: string; token?: string }): Promise<NamespaceCreated> {
    return this.rpc("ns.create", id, options);
  }

  deleteNamespace(id: string): Promise<NamespaceDeleted> {
    return this.rpc("ns.delete", id);
  }

  listNamespaces(): Promise<NamespaceSummary[]> {
    return this.rpc("ns.list");
  }

  getNamespaceInfo(id: string): Promise<NamespaceInfo> {
    return this.rpc("ns.info", id);
  }

  listStreams(options?: ListStreamsOptions): Promise<StreamSummary[]> {
    return this.rpc("ns.streams", options);
  }

  listCategories(): Promise<CategorySummary[]> {
    return this.rpc("ns.categories");
  }

  // --- durable consumer groups (PROTOCOL.md §8) ------------------------------

  createGroup(name: string, options: GroupCreateOptions): Promise<GroupCreated> {
    return this.rpc("group.create", name, options);
  }

  /** The member's next messages after its checkpoint; does not move it. */
  fetchGroup(name: string, options: GroupFetchOptions): Promise<CategoryMessage[]> {
    return this.rpc("group.fetch", name, options);
  }

  /** Moves the checkpoint forward (never back); durable when it resolves. */
  ackGroup(name: string, options: GroupAckOptions): Promise<GroupAckResult> {
    return this.rpc("group.ack", name, options);
  }

  getGroupInfo(name: string): Promise<GroupInfo> {
    return this.rpc("group.info", name);
  }

  listGroups(): Promise<GroupInfo[]> {
    return this.rpc("group.list");
  }

  /** Sets one member's checkpoint (or every member's) to globalPosition. */
  resetGroup(name: string, options: { member?: number; globalPosition: number }): Promise<GroupInfo> {
    return this.rpc("group.reset", name, options);
  }

  deleteGroup(name: string): Promise<GroupDeleted> {
    return this.rpc("group.delete", name);
  }

  /** Leases a free member (GROUP_FULL when every member is held). */
  joinGroup(name: string, options?: { ttl?: string | number }): Promise<GroupJoined> {
    return this.rpc("group.join", name, options);
  }

  /** Pokes for the member's share, from its checkpoint on, then live. */
  subscribeToGroup(name: string, options: GroupSubscribeOptions): Subscription {
    const q = new URLSearchParams({ group: name });
    if (options.member !== undefined) q.set("member", String(options.member));
    if (options.lease !== undefined) q.set("lease", options.lease);
    return this.subscribe(q, options);
  }

  /**
   * Runs a consumer of group: it joins (leasing a free member, retrying while
   * the group is full), fetches the member's next batch after its checkpoint,
   * calls handler for each message in order, and acks the batch's last
   * position, which also renews the lease; a long batch acks its progress
   * every third of the lease's time. When caught up it waits for a poke (or
   * idleWait) and fetches again. A lost lease (LEASE_EXPIRED) makes it join
   * again and resume from the checkpoint, as a new process does after a
   * crash: a message is handled at least once, and one handled but not yet
   * acked when a consumer dies is handled again. A handler that throws is
   * retried from that message after retryDelay.
   */
  consume(
    group: string,
    handler: (message: CategoryMessage, context: ConsumeContext) => void | Promise<void>,
    options: ConsumeOptions = {},
  ): Consumer {
    return runConsumer(this, group, handler, options);
  }

  // --- system --------------------------------------------------------------

  version(): Promise<string> {
    return this.rpc("sys.version");
  }

  health(): Promise<SysHealth> {
    return this.rpc("sys.health");
  }

  // --- subscriptions (SSE) -------------------------------------------------

  subscribeToStream(streamName: string, options: SubscribeOptions): Subscription {
    const q = new URLSearchParams({ stream: streamName });
    if (options.position !== undefined) q.set("position", String(options.position));
    return this.subscribe(q, options);
  }

  subscribeToCategory(categoryName: string, options: SubscribeOptions): Subscription {
    const q = new URLSearchParams({ category: categoryName });
    if (options.position !== undefined) q.set("position", String(options.position));
    if (options.consumerGroup) {
      q.set("consumer", String(options.consumerGroup.member));
      q.set("size", String(options.consumerGroup.size));
    }
    return this.subscribe(q, options);
  }

  subscribeToAll(options: SubscribeOptions): Subscription {
    const q = new URLSearchParams({ all: "true" });
    if (options.position !== undefined) q.set("position", String(options.position));
    return this.subscribe(q, options);
  }

  private subscribe(query: URLSearchParams, options: Omit<SubscribeOptions, "position" | "consumerGroup">): Subscription {
    if (this.token !== undefined) query.set("token", this.token);
    const controller = new AbortController();
    let markReady!: () => void;
    let failReady!: (e: unknown) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    ready.catch(() => {}); // a caller that never awaits ready must not see an unhandled rejection
    const headers: Record<string, string> = { Accept: "text/event-stream" };
    if (options.lastEventId !== undefined) headers["Last-Event-ID"] = options.lastEventId;

    const run = async () => {
      const res = await fetch(`${this.baseUrl}/subscribe?${query}`, { headers, signal: controller.signal });
      if (res.status !== 200 || !res.body) {
        throw toError(await toRaw(res));
      }
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let event: { id?: string; event?: string; data: string[] } = { data: [] };
      let isReady = false;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let nl: number;
        while ((nl = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, "");
          buffer = buffer.slice(nl + 1);
          if (line === "") {
            if (event.data.length > 0 && (event.event === undefined || event.event === "poke")) {
              await options.onPoke(JSON.parse(event.data.join("\n")) as Poke, event.id);
            }
            event = { data: [] };
          } else if (line.startsWith(":")) {
            if (!isReady && line.slice(1).trim() === "ready") {
              isReady = true;
              options.onReady?.();
              markReady();
            }
          } else {
            const i = line.indexOf(":");
            const field = i < 0 ? line : line.slice(0, i);
            const value = i < 0 ? "" : line.slice(i + 1).replace(/^ /, "");
            if (field === "id") event.id = value;
            else if (field === "event") event.event = value;
            else if (field === "data") event.data.push(value);
          }
        }
      }
    };
    run().catch((e) => {
      failReady(e);
      if (!controller.signal.aborted) options.onError?.(e);
    });
    return { ready, close: () => controller.abort() };
  }
}

/** The loop behind EventoDBClient.consume. */
function runConsumer(
  client: EventoDBClient,
  group: string,
  handler: (message: CategoryMessage, context: ConsumeContext) => void | Promise<void>,
  options: ConsumeOptions,
): Consumer {
  const ttl = options.ttl ?? "30s";
  const batchSize = options.batchSize ?? 100;
  const idleWait = options.idleWait ?? 1000;
  const joinRetry = options.joinRetry ?? 1000;
  const retryDelay = options.retryDelay ?? 1000;
  const renewEvery = Math.max(50, parseDurationMs(ttl) / 3);
  let stopped = false;
  let wake: () => void = () => {};
  const stop = () => {
    stopped = true;
    wake();
  };
  options.signal?.addEventListener("abort", stop);
  if (options.signal?.aborted) stopped = true;
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const report = (e: unknown) => options.onError?.(e);
  const isCode = (e: unknown, code: string) => e instanceof EventoDBError && e.code === code;

  const run = async () => {
    let held: GroupJoined | undefined;
    let sub: Subscription | undefined;
    const drop = () => {
      held = undefined;
      sub?.close();
      sub = undefined;
    };
    try {
      while (!stopped) {
        if (!held) {
          try {
            held = await client.joinGroup(group, { ttl });
          } catch (e) {
            if (!isCode(e, "GROUP_FULL")) report(e);
            await pause(isCode(e, "GROUP_FULL") ? joinRetry : retryDelay);
            continue;
          }
          options.onJoin?.(held);
          if (options.live ?? true) {
            sub = client.subscribeToGroup(group, { member: held.member, onPoke: () => wake(), onError: () => {} });
          }
        }
        const lease = held.lease;
        let batch: CategoryMessage[];
        try {
          batch = await client.fetchGroup(group, { lease, batchSize });
        } catch (e) {
          if (isCode(e, "LEASE_EXPIRED")) drop();
          else {
            report(e);
            await pause(retryDelay);
          }
          continue;
        }
        if (batch.length === 0) {
          await pause(idleWait);
          continue;
        }
        const context: ConsumeContext = { group, member: held.member, lease };
        let handled: number | undefined; // global position of the last message handled, not yet acked
        let renewed = Date.now();
        let failed = false;
        const ack = async () => {
          if (handled === undefined) return true;
          try {
            await client.ackGroup(group, { lease, globalPosition: handled });
            handled = undefined;
            renewed = Date.now();
            return true;
          } catch (e) {
            if (isCode(e, "LEASE_EXPIRED")) drop();
            else report(e);
            return false;
          }
        };
        for (const message of batch) {
          if (stopped) break;
          try {
            await handler(message, context);
          } catch (e) {
            report(e);
            failed = true;
            break;
          }
          handled = message[4];
          if (Date.now() - renewed > renewEvery && !(await ack())) break;
        }
        if (held && !(await ack())) continue;
        if (failed) await pause(retryDelay);
      }
    } finally {
      sub?.close();
      options.signal?.removeEventListener("abort", stop);
    }
  };
  const done = run();
  return {
    done,
    stop: async () => {
      stop();
      await done;
    },
  };
}

/** Milliseconds of a Go duration such as "30s", "500ms" or "1m30s". */
function parseDurationMs(d: string): number {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, n, unit] of d.matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * (units[unit!] ?? 0);
  return total || 30_000;
}

async function toRaw(res: Response): Promise<RawResponse> {
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

function toError(res: RawResponse): EventoDBError {
  const body = res.json as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined;
  const err = body?.error;
  if (err && typeof err.code === "string") {
    return new EventoDBError(
      err.code,
      res.status,
      typeof err.message === "string" ? err.message : "",
      (err.details ?? undefined) as Record<string, unknown> | undefined,
    );
  }
  return new EventoDBError(`HTTP_${res.status}`, res.status, res.text.slice(0, 500));
}

/** Makes a well-formed token for namespace id: ns_<base64url(id)>_<64 hex>. */
export function makeToken(id: string): string {
  const secret = new Uint8Array(32);
  crypto.getRandomValues(secret);
  const hex = Array.from(secret, (b) => b.toString(16).padStart(2, "0")).join("");
  return `ns_${Buffer.from(id, "utf8").toString("base64url")}_${hex}`;
}

/** The namespace a token names, or undefined when it is malformed. */
export function tokenNamespace(token: string): string | undefined {
  const m = /^ns_([A-Za-z0-9_-]+)_([0-9a-f]{64})$/.exec(token);
  if (!m) return undefined;
  return Buffer.from(m[1]!, "base64url").toString("utf8");
}
