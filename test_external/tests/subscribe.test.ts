// GET /subscribe (PROTOCOL.md §3): ready comment, whole backlog, live pokes, event ids,
// Last-Event-ID resume, category/consumer-group and all subscriptions.
// Waits are bounded (a missing poke fails after a few seconds), never timed assertions.
import { afterAll, describe, expect, test } from "bun:test";
import { EventoDBClient, type Poke, type Subscription } from "../client";
import { cleanupNamespaces, expectErrorResponse, freshNamespace, memberOf, messages, NEEDS_AUTH, TEST_MODE, URL } from "./support";

afterAll(cleanupNamespaces);

const open: Subscription[] = [];
afterAll(() => {
  for (const s of open) s.close();
});

interface Collected {
  pokes: Poke[];
  ids: (string | undefined)[];
  sub: Subscription;
  errors: unknown[];
}

function collect(start: (opts: Parameters<EventoDBClient["subscribeToAll"]>[0]) => Subscription, extra: { position?: number; lastEventId?: string } = {}): Collected {
  const c: Collected = { pokes: [], ids: [], errors: [], sub: undefined as unknown as Subscription };
  c.sub = start({
    ...extra,
    onPoke: (p, id) => {
      c.pokes.push(p);
      c.ids.push(id);
    },
    onError: (e) => c.errors.push(e),
  });
  open.push(c.sub);
  return c;
}

async function waitFor(what: string, cond: () => boolean, c?: Collected, ms = 5000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (c && c.errors.length) throw new Error(`${what}: subscription failed: ${c.errors[0]}`);
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms${c ? `; got ${JSON.stringify(c.pokes)}` : ""}`);
    await Bun.sleep(10);
  }
}

async function ready(c: Collected) {
  await Promise.race([c.sub.ready, Bun.sleep(5000).then(() => Promise.reject(new Error("no ': ready' comment within 5 s")))]);
}

describe("stream subscriptions", () => {
  test("': ready', then the whole backlog (more than one page), then live pokes; id is the global position", async () => {
    const { client } = await freshNamespace("sse1");
    await client.writeMessages("s-1", messages(600));
    await client.writeMessages("s-1", messages(600));
    const c = collect((o) => client.subscribeToStream("s-1", o));
    await ready(c);
    await waitFor("the backlog's last poke (position 1199)", () => c.pokes.some((p) => p.position === 1199), c, 15000);
    expect(c.pokes.map((p) => p.position), "one poke per backlog message").toEqual(Array.from({ length: 1200 }, (_, i) => i));
    const live = await client.writeMessage("s-1", { type: "Live", data: {} });
    await waitFor("live poke", () => c.pokes.some((p) => p.position === live.position), c);
    // ascending global positions
    for (let i = 1; i < c.pokes.length; i++) expect(c.pokes[i]!.globalPosition).toBeGreaterThan(c.pokes[i - 1]!.globalPosition);
    const last = c.pokes[c.pokes.length - 1]!;
    expect(last).toEqual({ stream: "s-1", position: live.position, globalPosition: live.globalPosition });
    expect(c.ids[c.ids.length - 1]).toBe(String(live.globalPosition));
    c.pokes.forEach((p, i) => expect(c.ids[i]).toBe(String(p.globalPosition)));
  }, 30_000);

  test("position skips earlier stream positions", async () => {
    const { client } = await freshNamespace("sse2");
    await client.writeMessages("s-1", messages(5));
    const c = collect((o) => client.subscribeToStream("s-1", o), { position: 3 });
    await ready(c);
    await waitFor("pokes for 3 and 4", () => c.pokes.some((p) => p.position === 4), c);
    expect(Math.min(...c.pokes.map((p) => p.position))).toBe(3);
  });

  test("only the subscribed stream's messages are poked", async () => {
    const { client } = await freshNamespace("sse3");
    const c = collect((o) => client.subscribeToStream("s-1", o));
    await ready(c);
    await client.writeMessage("s-2", { type: "A", data: {} });
    await client.writeMessage("s-1", { type: "A", data: {} });
    await waitFor("poke for s-1", () => c.pokes.length >= 1, c);
    await client.writeMessage("s-1", { type: "B", data: {} });
    await waitFor("second poke for s-1", () => c.pokes.some((p) => p.position === 1), c);
    expect(c.pokes.every((p) => p.stream === "s-1")).toBe(true);
  });

  test("Last-Event-ID resumes after that global position and wins over position", async () => {
    const { client } = await freshNamespace("sse4");
    await client.writeMessages("s-1", messages(6));
    const all = await client.getStream("s-1");
    const c = collect((o) => client.subscribeToStream("s-1", o), { position: 0, lastEventId: String(all[2]![3]) });
    await ready(c);
    await waitFor("pokes after position 2", () => c.pokes.some((p) => p.position === 5), c);
    expect(Math.min(...c.pokes.map((p) => p.globalPosition))).toBeGreaterThan(all[2]![3]);
  });
});

describe("category and all subscriptions", () => {
  test("category subscription pokes every stream of the category, by global position", async () => {
    const { client } = await freshNamespace("sse5");
    await client.writeMessage("acct-1", { type: "A", data: {} });
    await client.writeMessage("other-1", { type: "A", data: {} });
    const c = collect((o) => client.subscribeToCategory("acct", o));
    await ready(c);
    const r = await client.writeMessage("acct-2", { type: "A", data: {} });
    await waitFor("poke for acct-2", () => c.pokes.some((p) => p.stream === "acct-2"), c);
    expect(c.pokes.map((p) => p.stream)).toEqual(["acct-1", "acct-2"]);
    expect(c.pokes[1]!.globalPosition).toBe(r.globalPosition);
  });

  test("category position is a global position", async () => {
    const { client } = await freshNamespace("sse6");
    const a = await client.writeMessage("acct-1", { type: "A", data: {} });
    const b = await client.writeMessage("acct-2", { type: "A", data: {} });
    const c = collect((o) => client.subscribeToCategory("acct", o), { position: b.globalPosition });
    await ready(c);
    await waitFor("poke for acct-2", () => c.pokes.length >= 1, c);
    await client.writeMessage("acct-3", { type: "A", data: {} });
    await waitFor("poke for acct-3", () => c.pokes.some((p) => p.stream === "acct-3"), c);
    expect(c.pokes.some((p) => p.globalPosition === a.globalPosition)).toBe(false);
  });

  for (const [spelling, member, size] of [
    ["consumer/size", "consumer", "size"],
    ["consumerGroupMember/consumerGroupSize", "consumerGroupMember", "consumerGroupSize"],
  ] as const) {
    test(`consumer group (${spelling}) pokes only the member's streams`, async () => {
      const { client, token } = await freshNamespace("sse7");
      const streams = Array.from({ length: 12 }, (_, i) => `acct-${i}`);
      for (const s of streams) await client.writeMessage(s, { type: "A", data: {} });
      const q = new URLSearchParams({ category: "acct", [member]: "1", [size]: "3", token });
      const res = await fetch(`${URL}/subscribe?${q}`, { headers: { Accept: "text/event-stream" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type") ?? "").toContain("text/event-stream");
      const want = streams.filter((s) => memberOf(s, 3) === 1);
      const got = new Set<string>();
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      const deadline = Date.now() + 5000;
      while (got.size < want.length && Date.now() < deadline) {
        const { value, done } = await Promise.race([reader.read(), Bun.sleep(5000).then(() => ({ value: "", done: true }))]);
        if (done) break;
        buf += value;
        for (const m of buf.matchAll(/^data: (.*)$/gm)) got.add((JSON.parse(m[1]!) as Poke).stream);
      }
      await reader.cancel();
      expect([...got].sort()).toEqual([...want].sort());
    });
  }

  test("all=true pokes every stream of the namespace", async () => {
    const { client } = await freshNamespace("sse8");
    const c = collect((o) => client.subscribeToAll(o));
    await ready(c);
    await client.writeMessage("a-1", { type: "A", data: {} });
    await client.writeMessage("b-1", { type: "A", data: {} });
    await waitFor("two pokes", () => c.pokes.length >= 2, c);
    expect(c.pokes.map((p) => p.stream)).toEqual(["a-1", "b-1"]);
  });

  test("a namespace's subscription never sees another namespace's writes", async () => {
    const a = await freshNamespace("sse9a");
    const b = await freshNamespace("sse9b");
    await b.client.writeMessage("x-0", { type: "A", data: {} }); // make sure b exists (test mode)
    const c = collect((o) => b.client.subscribeToAll(o));
    await ready(c);
    await waitFor("b's backlog", () => c.pokes.length >= 1, c);
    await a.client.writeMessage("x-1", { type: "A", data: {} });
    await b.client.writeMessage("x-2", { type: "A", data: {} });
    await waitFor("b's poke", () => c.pokes.some((p) => p.stream === "x-2"), c);
    expect(c.pokes.some((p) => p.stream === "x-1")).toBe(false);
  });
});

describe("subscription requests", () => {
  test("the Authorization header works as well as ?token=", async () => {
    const { client, token } = await freshNamespace("sseauth");
    await client.writeMessage("s-1", { type: "A", data: {} });
    const res = await fetch(`${URL}/subscribe?stream=s-1`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    const deadline = Date.now() + 5000;
    while (!/^data: /m.test(buf) && Date.now() < deadline) {
      const { value, done } = await Promise.race([reader.read(), Bun.sleep(5000).then(() => ({ value: "", done: true }))]);
      if (done) break;
      buf += value;
    }
    await reader.cancel();
    expect(buf.startsWith(": ready")).toBe(true);
    expect(buf).toContain('"stream":"s-1"');
  });

  const bad: [string, string][] = [
    ["none of stream, category, all", ""],
    ["stream and category", "stream=a-1&category=a"],
    ["stream and all", "stream=a-1&all=true"],
    ["a consumer group on a stream subscription", "stream=a-1&consumer=0&size=2"],
    ["member >= size", "category=a&consumer=2&size=2"],
    ["size 0", "category=a&consumer=0&size=0"],
    ["a non-numeric position", "stream=a-1&position=abc"],
  ];
  for (const [what, query] of bad) {
    test(`${what} → 400 INVALID_REQUEST`, async () => {
      const { token } = await freshNamespace("ssebad");
      const sep = query ? "&" : "";
      const res = await fetch(`${URL}/subscribe?${query}${sep}token=${token}`);
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      expectErrorResponse({ status: res.status, headers: res.headers, text, json }, 400, "INVALID_REQUEST");
    });
  }

  test("a bad ?token= → 401 AUTH_INVALID", async () => {
    const res = await fetch(`${URL}/subscribe?stream=s-1&token=garbage`);
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    expectErrorResponse({ status: res.status, headers: res.headers, text, json }, 401, "AUTH_INVALID");
  });

  test.skipIf(!TEST_MODE)(`test mode: no token subscribes to the default namespace ${TEST_MODE ? "" : "[runs only in test mode]"}`, async () => {
    const stream = `anonsse-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const anon = new EventoDBClient(URL);
    await anon.writeMessage(stream, { type: "A", data: {} });
    const c = collect((o) => anon.subscribeToStream(stream, o));
    await ready(c);
    await waitFor("the default namespace's poke", () => c.pokes.length >= 1, c);
    expect(c.pokes[0]).toMatchObject({ stream, position: 0 });
  });

  test.skipIf(TEST_MODE)(`no token → 401 AUTH_REQUIRED ${TEST_MODE ? NEEDS_AUTH : ""}`, async () => {
    const res = await fetch(`${URL}/subscribe?stream=s-1`);
    const text = await res.text();
    expectErrorResponse({ status: res.status, headers: res.headers, text, json: JSON.parse(text) }, 401, "AUTH_REQUIRED");
  });
});
