// Durable consumer groups on two server nodes sharing one PostgreSQL
// database (run.sh phase 3b): both see the same groups, acks through both
// never move a checkpoint back, racing joins never lease a member twice, a
// lease taken on one node is renewed and expires on the other, and a group
// subscription on one node is poked by writes on the other.
import { describe, expect, test } from "bun:test";
import { EventoDBClient, EventoDBError, type Poke } from "../client";

const URL_A = process.env.EVENTODB_URL ?? "";
const URL_B = process.env.EVENTODB_URL_2 ?? "";
const ADMIN = process.env.EVENTODB_TOKEN;

/** A fresh namespace and a client of it on each node. */
async function nodes(label: string): Promise<[EventoDBClient, EventoDBClient]> {
  const adminA = new EventoDBClient(URL_A, { token: ADMIN, retryRateLimited: true });
  const ns = `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const { token } = await adminA.createNamespace(ns);
  return [new EventoDBClient(URL_A, { token, retryRateLimited: true }), new EventoDBClient(URL_B, { token, retryRateLimited: true })];
}

async function waitFor(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(20);
  }
}

describe.skipIf(!URL_A || !URL_B)("consumer groups on two nodes", () => {
  test("both nodes share the groups; acks through both never move a checkpoint back", async () => {
    const [a, b] = await nodes("gshare");
    for (let i = 0; i < 60; i++) await (i % 2 ? a : b).writeMessage(`job-${i % 5}`, { type: "Done", data: { i } });
    await a.createGroup("g", { category: "job" });
    expect(await b.createGroup("g", { category: "job" })).toEqual(await a.createGroup("g", { category: "job" }));
    expect(await b.getGroupInfo("g")).toEqual(await a.getGroupInfo("g"));
    const positions = Array.from({ length: 80 }, (_, i) => ((i * 37) % 60) + 1);
    const answers = await Promise.all(positions.map((p, i) => (i % 2 ? a : b).ackGroup("g", { member: 0, globalPosition: p })));
    answers.forEach((r, i) => expect(r.globalPosition).toBeGreaterThanOrEqual(positions[i]!));
    const [ia, ib] = await Promise.all([a.getGroupInfo("g"), b.getGroupInfo("g")]);
    expect(ia.members[0]!.globalPosition).toBe(60);
    expect(ib).toEqual(ia);
    expect(ia.lag).toBe(0);
  });

  test("joins racing on both nodes lease each member once; a lease renewed on one node expires on the other", async () => {
    const [a, b] = await nodes("gjoin");
    for (let i = 0; i < 6; i++) await a.writeMessage("job-1", { type: "Done", data: { i } });
    await a.createGroup("g", { category: "job", size: 3 });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).joinGroup("g", { ttl: "700ms" })));
    const won = results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<{ member: number; lease: string }>).value);
    const lost = results.filter((r) => r.status === "rejected").map((r) => (r as PromiseRejectedResult).reason as EventoDBError);
    expect(won.map((w) => w.member).sort()).toEqual([0, 1, 2]);
    expect(lost.length).toBe(9);
    expect(lost.every((e) => e.code === "GROUP_FULL" && e.status === 409)).toBe(true);

    // Keep member 0's lease alive through node B; the others expire.
    const kept = won.find((w) => w.member === 0)!;
    for (let i = 0; i < 3; i++) {
      await Bun.sleep(350);
      await b.fetchGroup("g", { lease: kept.lease, batchSize: 1 });
    }
    const again = await a.joinGroup("g", { ttl: "10s" });
    expect(again.member).toBe(1); // 0 is still held, 1 expired
    await a.ackGroup("g", { lease: kept.lease, globalPosition: 2 });
    await Bun.sleep(900);
    await expect(b.ackGroup("g", { lease: kept.lease, globalPosition: 3 })).rejects.toMatchObject({ code: "LEASE_EXPIRED" });
    expect((await a.getGroupInfo("g")).members[0]!.globalPosition).toBe(2);
  });

  test("a group subscription on one node is poked by writes on the other", async () => {
    const [a, b] = await nodes("gsub");
    await a.createGroup("g", { category: "signal" });
    const pokes: Poke[] = [];
    const sub = b.subscribeToGroup("g", { member: 0, onPoke: (p) => void pokes.push(p) });
    try {
      await sub.ready;
      for (let i = 0; i < 3; i++) await a.writeMessage(`signal-${i}`, { type: "Raised", data: { i } });
      await waitFor("three pokes on node B", () => pokes.length === 3);
      expect(pokes.map((p) => p.stream)).toEqual(["signal-0", "signal-1", "signal-2"]);
    } finally {
      sub.close();
    }
  });

  test("consumers on both nodes split the group and handle every message once", async () => {
    const [a, b] = await nodes("gconsume");
    for (let i = 0; i < 60; i++) await a.writeMessage(`task-${i % 11}`, { type: "Done", data: { i } });
    await b.createGroup("workers", { category: "task", size: 2 });
    const handled: number[] = [];
    const consumers = [a, b].map((c) => c.consume("workers", (m) => void handled.push(m[4]), { ttl: "5s", batchSize: 7, idleWait: 100 }));
    try {
      await waitFor("every message handled", () => handled.length >= 60);
    } finally {
      await Promise.all(consumers.map((c) => c.stop()));
    }
    expect(new Set(handled).size).toBe(60);
    expect(handled.length).toBe(60);
    expect((await a.getGroupInfo("workers")).lag).toBe(0);
  });
});
