// Durable consumer groups (PROTOCOL.md §8): every method, option and error
// of group.*, shares that are disjoint and complete, checkpoints that never
// move back, leases and their expiry, lag against a count by hand,
// GET /subscribe?group=, and consume() — including a consumer process killed
// in the middle of a batch, whose successor resumes without skipping.
// Waits are bounded; lease expiry uses short TTLs and waits past them.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type CategoryMessage, type EventoDBClient, type GroupInfo, type Poke } from "../client";
import {
  cleanupNamespaces,
  expectErrorResponse,
  expectOk,
  expectRpcError,
  freshNamespace,
  memberOf,
  TIME_RE,
  type TestNamespace,
  URL,
} from "./support";

afterAll(cleanupNamespaces);

/** Writes n messages to streams category-0..k-1, one in three correlated with workflow. */
async function fill(client: EventoDBClient, category: string, n: number, k = 7): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, j) =>
        client.writeMessage(`${category}-${(i + j) % k}`, {
          type: "Done",
          data: { i: i + j },
          metadata: (i + j) % 3 === 0 ? { correlationStreamName: `workflow-${i + j}` } : null,
        }),
      ),
    );
  }
}

const everything = (client: EventoDBClient, category: string) => client.getCategory(category, { batchSize: -1 });

/** The member's share of msgs after checkpoint, by hand (§1 hash, correlation). */
function share(msgs: CategoryMessage[], member: number, size: number, checkpoint: number, correlation?: string): number[] {
  return msgs
    .filter((m) => m[4] > checkpoint && memberOf(m[1], size) === member)
    .filter((m) => !correlation || String((m[6] as { correlationStreamName?: string } | null)?.correlationStreamName ?? "").split("-")[0] === correlation)
    .map((m) => m[4]);
}

/** Fetches and acks a member's whole share, batch by batch. */
async function drain(client: EventoDBClient, group: string, member: number, batchSize = 7): Promise<CategoryMessage[]> {
  const out: CategoryMessage[] = [];
  for (;;) {
    const batch = await client.fetchGroup(group, { member, batchSize });
    if (batch.length === 0) return out;
    out.push(...batch);
    await client.ackGroup(group, { member, globalPosition: batch[batch.length - 1]![4] });
  }
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await Bun.sleep(20);
  }
}

describe("group.create", () => {
  test("→ {group, category, size, createdAt}; size defaults to 1", async () => {
    const { client } = await freshNamespace("gcreate");
    const created = await expectOk<Record<string, unknown>>(client, ["group.create", "billing", { category: "account" }]);
    expect(Object.keys(created).sort()).toEqual(["category", "createdAt", "group", "size"]);
    expect(created).toMatchObject({ group: "billing", category: "account", size: 1 });
    expect(created.createdAt).toMatch(TIME_RE);
  });

  test("the same definition again returns the stored group; another one is 409 GROUP_EXISTS", async () => {
    const { client } = await freshNamespace("gexists");
    await fill(client, "account", 5);
    const def = { category: "account", size: 3, correlation: "workflow", startAt: "end" };
    const first = await client.createGroup("billing", def as never);
    await fill(client, "account", 5); // "end" resolved once: the second create is still the same definition
    expect(await client.createGroup("billing", def as never)).toEqual(first);
    for (const other of [
      { ...def, size: 2 },
      { ...def, category: "order" },
      { ...def, correlation: undefined },
      { ...def, correlation: "saga" },
      { ...def, startAt: "beginning" },
      { ...def, startAt: 3 },
    ]) {
      const err = await expectRpcError(client, ["group.create", "billing", other], 409, "GROUP_EXISTS");
      expect(err.message).toContain("billing");
    }
  });

  test('startAt "end" and a global position choose where members start', async () => {
    const { client } = await freshNamespace("gstart");
    await fill(client, "account", 10, 1);
    const all = await everything(client, "account");
    await client.createGroup("from-end", { category: "account", startAt: "end" });
    await client.createGroup("from-5th", { category: "account", startAt: all[4]![4] });
    await client.createGroup("from-start", { category: "account", startAt: "beginning" });
    expect(await client.fetchGroup("from-end", { member: 0 })).toEqual([]);
    expect((await client.fetchGroup("from-5th", { member: 0 })).map((m) => m[4])).toEqual(all.slice(4).map((m) => m[4]));
    expect(await client.fetchGroup("from-start", { member: 0 })).toEqual(all);
    const later = await client.writeMessage("account-0", { type: "Later", data: {} });
    expect((await client.fetchGroup("from-end", { member: 0 })).map((m) => m[4])).toEqual([later.globalPosition]);
    // The checkpoint is the position processed up to: one below the start.
    const info = await client.getGroupInfo("from-5th");
    expect(info.members[0]!.globalPosition).toBe(all[4]![4] - 1);
    expect(info.members[0]!.updatedAt).toBeNull();
  });

  test("bad arguments → 400 INVALID_REQUEST", async () => {
    const { client } = await freshNamespace("gbad");
    for (const call of [
      ["group.create", "x"],
      ["group.create", "x", {}],
      ["group.create", "x", { category: "" }],
      ["group.create", "x", { category: "a", size: 0 }],
      ["group.create", "x", { category: "a", size: 1001 }],
      ["group.create", "x", { category: "a", size: 1.5 }],
      ["group.create", "x", { category: "a", startAt: "later" }],
      ["group.create", "x", { category: "a", startAt: 0 }],
      ["group.create", "x", { category: "a", startAt: 99 }], // past the next global position
      ["group.create", "", { category: "a" }],
      ["group.create", "x".repeat(256), { category: "a" }],
      ["group.create", 7, { category: "a" }],
    ]) {
      await expectRpcError(client, call, 400, "INVALID_REQUEST");
    }
  });
});

describe("group.fetch and group.ack", () => {
  test("fetch hands out the member's share after its checkpoint, as category.get reads it, without moving it", async () => {
    const { client } = await freshNamespace("gfetch");
    await fill(client, "account", 40);
    await client.createGroup("g", { category: "account", size: 2 });
    for (const member of [0, 1]) {
      const fetched = await client.fetchGroup("g", { member, batchSize: 5 });
      expect(fetched).toEqual(await client.getCategory("account", { consumerGroup: { member, size: 2 }, batchSize: 5 }));
      expect(fetched.every((m) => m.length === 8 && memberOf(m[1], 2) === member)).toBe(true);
      expect(await client.fetchGroup("g", { member, batchSize: 5 })).toEqual(fetched); // not moved
      const acked = await client.ackGroup("g", { member, globalPosition: fetched[4]![4] });
      expect(acked).toEqual({ member, globalPosition: fetched[4]![4] });
      const next = await client.fetchGroup("g", { member, batchSize: 5 });
      expect(next).toEqual(
        await client.getCategory("account", { position: fetched[4]![4] + 1, consumerGroup: { member, size: 2 }, batchSize: 5 }),
      );
    }
  });

  test("batchSize defaults to 100; 0 returns []", async () => {
    const { client } = await freshNamespace("gbatch");
    await fill(client, "job", 130);
    await client.createGroup("g", { category: "job" });
    expect((await client.fetchGroup("g", { member: 0 })).length).toBe(100);
    expect(await client.fetchGroup("g", { member: 0, batchSize: 0 })).toEqual([]);
    expect((await client.fetchGroup("g", { member: 0, batchSize: 1000 })).length).toBe(130);
  });

  test("a lower ack leaves the checkpoint and answers it", async () => {
    const { client } = await freshNamespace("gack");
    await fill(client, "job", 10, 1);
    await client.createGroup("g", { category: "job" });
    expect(await client.ackGroup("g", { member: 0, globalPosition: 8 })).toEqual({ member: 0, globalPosition: 8 });
    expect(await client.ackGroup("g", { member: 0, globalPosition: 3 })).toEqual({ member: 0, globalPosition: 8 });
    const res = await expectOk<Record<string, unknown>>(client, ["group.ack", "g", { member: 0, globalPosition: 9 }]);
    expect(Object.keys(res).sort()).toEqual(["globalPosition", "member"]);
    expect((await client.getGroupInfo("g")).members[0]!.globalPosition).toBe(9);
  });

  test("concurrent acks never move a checkpoint back", async () => {
    const { client } = await freshNamespace("gmono");
    await fill(client, "job", 60, 3);
    await client.createGroup("g", { category: "job" });
    const positions = Array.from({ length: 60 }, (_, i) => ((i * 37) % 60) + 1);
    const seen: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.push((await client.getGroupInfo("g")).members[0]!.globalPosition);
      }
    })();
    const answers = await Promise.all(positions.map((p) => client.ackGroup("g", { member: 0, globalPosition: p })));
    watching = false;
    await watcher;
    answers.forEach((a, i) => expect(a.globalPosition).toBeGreaterThanOrEqual(positions[i]!));
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]!);
    expect((await client.getGroupInfo("g")).members[0]!.globalPosition).toBe(60);
  });

  test("a correlation group hands out only the correlated messages", async () => {
    const { client } = await freshNamespace("gcorr");
    await fill(client, "account", 30);
    await client.createGroup("flow", { category: "account", correlation: "workflow" });
    const all = await everything(client, "account");
    const got = await drain(client, "flow", 0);
    expect(got.map((m) => m[4])).toEqual(share(all, 0, 1, 0, "workflow"));
    expect(got.length).toBe(10);
  });

  test("bad arguments → 400; an unknown group → 404 GROUP_NOT_FOUND", async () => {
    const { client } = await freshNamespace("gfetchbad");
    await fill(client, "job", 3);
    await client.createGroup("g", { category: "job", size: 2 });
    for (const call of [
      ["group.fetch", "g", {}],
      ["group.fetch", "g", { member: 2 }],
      ["group.fetch", "g", { member: -1 }],
      ["group.fetch", "g", { member: "0" }],
      ["group.fetch", "g", { member: 0, batchSize: 10001 }],
      ["group.ack", "g", { member: 0 }],
      ["group.ack", "g", { member: 0, globalPosition: -1 }],
      ["group.ack", "g", { member: 0, globalPosition: 4 }], // past the last global position
      ["group.ack", "g", { member: 3, globalPosition: 1 }],
      ["group.reset", "g", {}],
      ["group.reset", "g", { member: 2, globalPosition: 0 }],
      ["group.join", "g", { ttl: "1ms" }],
      ["group.join", "g", { ttl: "later" }],
      ["group.info"],
    ]) {
      await expectRpcError(client, call, 400, "INVALID_REQUEST");
    }
    for (const call of [
      ["group.fetch", "nope", { member: 0 }],
      ["group.ack", "nope", { member: 0, globalPosition: 1 }],
      ["group.info", "nope"],
      ["group.reset", "nope", { globalPosition: 0 }],
      ["group.delete", "nope"],
      ["group.join", "nope"],
    ]) {
      const err = await expectRpcError(client, call, 404, "GROUP_NOT_FOUND");
      expect(err.message).toContain("nope");
    }
  });

  test("a namespace's groups are its own", async () => {
    const a = await freshNamespace("gowna");
    const b = await freshNamespace("gownb");
    await a.client.createGroup("mine", { category: "job" });
    await expectRpcError(b.client, ["group.info", "mine"], 404, "GROUP_NOT_FOUND");
    expect(await b.client.listGroups()).toEqual([]);
  });
});

describe("members' shares", () => {
  test("are disjoint and complete: every message of the category goes to exactly one member", async () => {
    const { client } = await freshNamespace("gshares");
    await fill(client, "order", 90, 23);
    await client.createGroup("g", { category: "order", size: 3 });
    const all = await everything(client, "order");
    const handed = new Map<number, number>();
    for (const member of [0, 1, 2]) {
      for (const m of await drain(client, "g", member)) {
        expect(handed.has(m[4])).toBe(false);
        expect(memberOf(m[1], 3)).toBe(member);
        handed.set(m[4], member);
      }
    }
    expect([...handed.keys()].sort((x, y) => x - y)).toEqual(all.map((m) => m[4]));
    expect((await client.getGroupInfo("g")).lag).toBe(0);
  });
});

describe("lag, group.info, group.list, group.reset, group.delete", () => {
  async function checkLag(client: EventoDBClient, info: GroupInfo, correlation?: string) {
    const all = await everything(client, info.category);
    let total = 0;
    for (const m of info.members) {
      const want = share(all, m.member, info.size, m.globalPosition, correlation).length;
      expect({ member: m.member, lag: m.lag }).toEqual({ member: m.member, lag: want });
      total += want;
    }
    expect(info.lag).toBe(total);
  }

  test("lag per member and in total matches a count done by hand", async () => {
    const { client } = await freshNamespace("glag");
    await fill(client, "account", 60, 11);
    await client.createGroup("four", { category: "account", size: 4 });
    await client.createGroup("flow", { category: "account", size: 2, correlation: "workflow" });
    const all = await everything(client, "account");
    await checkLag(client, await client.getGroupInfo("four"));
    for (const member of [0, 1, 2, 3]) {
      const mine = share(all, member, 4, 0);
      if (mine.length > 2) await client.ackGroup("four", { member, globalPosition: mine[Math.floor(mine.length / 2)]! });
    }
    await client.ackGroup("flow", { member: 1, globalPosition: all[30]![4] });
    await fill(client, "account", 20, 5);
    const info = await client.getGroupInfo("four");
    expect(Object.keys(info).sort()).toEqual(["category", "createdAt", "group", "lag", "members", "size"]);
    for (const m of info.members) expect(Object.keys(m).sort()).toEqual(["globalPosition", "lag", "member", "updatedAt"]);
    await checkLag(client, info);
    await checkLag(client, await client.getGroupInfo("flow"), "workflow");
  });

  test("group.list: every group as group.info shows it, sorted by name; ns.info counts them", async () => {
    const ns = await freshNamespace("glist");
    const { client } = ns;
    await fill(client, "job", 12);
    for (const name of ["zulu", "alpha", "mike"]) await client.createGroup(name, { category: "job", size: 2 });
    const list = await client.listGroups();
    expect(list.map((g) => g.group)).toEqual(["alpha", "mike", "zulu"]);
    expect(list[0]).toEqual(await client.getGroupInfo("alpha"));
    expect(list.every((g) => g.lag === 12)).toBe(true);
    const info = await client.getNamespaceInfo(ns.id);
    expect((info as unknown as { groupCount: number }).groupCount).toBe(3);
    const deleted = await expectOk<Record<string, unknown>>(client, ["group.delete", "mike"]);
    expect(Object.keys(deleted).sort()).toEqual(["deletedAt", "group"]);
    expect(deleted.group).toBe("mike");
    expect(deleted.deletedAt).toMatch(TIME_RE);
    expect((await client.listGroups()).map((g) => g.group)).toEqual(["alpha", "zulu"]);
    expect(((await client.getNamespaceInfo(ns.id)) as unknown as { groupCount: number }).groupCount).toBe(2);
    await expectRpcError(client, ["group.info", "mike"], 404, "GROUP_NOT_FOUND");
  });

  test("group.reset rewinds or advances one member or all, answering group.info", async () => {
    const { client } = await freshNamespace("greset");
    await fill(client, "job", 20, 5);
    await client.createGroup("g", { category: "job", size: 2 });
    await drain(client, "g", 0);
    await drain(client, "g", 1);
    const all = await everything(client, "job");
    const replay = await client.resetGroup("g", { globalPosition: 0 });
    expect(Object.keys(replay).sort()).toEqual(["category", "createdAt", "group", "lag", "members", "size"]);
    expect(replay.lag).toBe(20);
    expect(replay.members.map((m) => m.globalPosition)).toEqual([0, 0]);
    expect(replay.members.every((m) => TIME_RE.test(m.updatedAt ?? ""))).toBe(true);
    expect((await drain(client, "g", 1)).map((m) => m[4])).toEqual(share(all, 1, 2, 0));
    const one = await client.resetGroup("g", { member: 1, globalPosition: all[9]![4] });
    expect(one.members[1]!.globalPosition).toBe(all[9]![4]);
    expect(one.members[0]!.globalPosition).toBe(0);
    expect(one.members[1]!.lag).toBe(share(all, 1, 2, all[9]![4]).length);
    expect((await client.fetchGroup("g", { member: 1 })).map((m) => m[4])).toEqual(share(all, 1, 2, all[9]![4]));
  });
});

describe("leases", () => {
  test("group.join hands out free members, then 409 GROUP_FULL", async () => {
    const { client } = await freshNamespace("gjoin");
    await client.createGroup("g", { category: "job", size: 3 });
    const joined = await Promise.all([0, 1, 2].map(() => client.joinGroup("g")));
    for (const j of joined) {
      expect(Object.keys(j).sort()).toEqual(["expiresAt", "lease", "member"]);
      expect(j.expiresAt).toMatch(TIME_RE);
      // default ttl 30s
      expect(Date.parse(j.expiresAt) - Date.now()).toBeGreaterThan(20_000);
    }
    expect(joined.map((j) => j.member).sort()).toEqual([0, 1, 2]);
    expect(new Set(joined.map((j) => j.lease)).size).toBe(3);
    await expectRpcError(client, ["group.join", "g"], 409, "GROUP_FULL");
  });

  test("fetch and ack with the lease renew it; once expired, an ack is 409 LEASE_EXPIRED and the checkpoint stays", async () => {
    const { client } = await freshNamespace("glease");
    await fill(client, "job", 10, 1);
    await client.createGroup("g", { category: "job" });
    const { lease, member } = await client.joinGroup("g", { ttl: "600ms" });
    expect(member).toBe(0);
    for (let i = 0; i < 4; i++) {
      await Bun.sleep(300); // 1.2 s in all: alive only because it is renewed
      const [m] = await client.fetchGroup("g", { lease, batchSize: 1 });
      await client.ackGroup("g", { lease, globalPosition: m![4] });
    }
    expect((await client.getGroupInfo("g")).members[0]!.globalPosition).toBe(4);
    await Bun.sleep(800);
    const err = await expectRpcError(client, ["group.ack", "g", { lease, globalPosition: 9 }], 409, "LEASE_EXPIRED");
    expect(err.message).toContain(lease);
    await expectRpcError(client, ["group.fetch", "g", { lease }], 409, "LEASE_EXPIRED");
    await expectRpcError(client, ["group.ack", "g", { member: 0, lease, globalPosition: 9 }], 409, "LEASE_EXPIRED");
    expect((await client.getGroupInfo("g")).members[0]!.globalPosition).toBe(4);
    // The expired lease freed the member for the next join.
    const next = await client.joinGroup("g", { ttl: "10s" });
    expect(next.member).toBe(0);
    expect(next.lease).not.toBe(lease);
    expect((await client.fetchGroup("g", { lease: next.lease, batchSize: 1 }))[0]![4]).toBe(5);
  });

  test("ttl may be whole milliseconds", async () => {
    const { client } = await freshNamespace("gttl");
    await client.createGroup("g", { category: "job" });
    const j = await client.joinGroup("g", { ttl: 120_000 });
    expect(Date.parse(j.expiresAt) - Date.now()).toBeGreaterThan(100_000);
  });
});

describe("GET /subscribe?group=NAME&member=M", () => {
  test("resumes from the checkpoint, pokes only the member's share, and stays live", async () => {
    const ns = await freshNamespace("gsub");
    const { client } = ns;
    await fill(client, "account", 30, 9);
    await client.createGroup("g", { category: "account", size: 2 });
    const all = await everything(client, "account");
    const mine = share(all, 1, 2, 0);
    await client.ackGroup("g", { member: 1, globalPosition: mine[2]! });
    const pokes: Poke[] = [];
    const errors: unknown[] = [];
    const sub = client.subscribeToGroup("g", { member: 1, onPoke: (p) => void pokes.push(p), onError: (e) => errors.push(e) });
    try {
      await sub.ready;
      await waitFor("backlog pokes", () => pokes.length >= mine.length - 3);
      expect(pokes.map((p) => p.globalPosition)).toEqual(mine.slice(3));
      // Live: the other member's writes are not poked, this member's are.
      let name = "";
      for (let i = 0; !name; i++) if (memberOf(`account-live${i}`, 2) === 1) name = `account-live${i}`;
      let other = "";
      for (let i = 0; !other; i++) if (memberOf(`account-other${i}`, 2) === 0) other = `account-other${i}`;
      await client.writeMessage(other, { type: "Other", data: {} });
      const w = await client.writeMessage(name, { type: "Live", data: {} });
      await waitFor("live poke", () => pokes.length === mine.length - 2);
      expect(pokes[pokes.length - 1]).toEqual({ stream: name, position: 0, globalPosition: w.globalPosition });
      expect(errors).toEqual([]);
    } finally {
      sub.close();
    }
  });

  test("an unknown group → 404 GROUP_NOT_FOUND; a member out of range → 400", async () => {
    const ns = await freshNamespace("gsubbad");
    await ns.client.createGroup("g", { category: "account", size: 2 });
    const q = (s: string) => `${URL}/subscribe?${s}&token=${encodeURIComponent(ns.token)}`;
    const toRaw = async (res: Response) => {
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as unknown };
    };
    expectErrorResponse(await toRaw(await fetch(q("group=nope&member=0"))), 404, "GROUP_NOT_FOUND");
    expectErrorResponse(await toRaw(await fetch(q("group=g&member=2"))), 400, "INVALID_REQUEST");
    expectErrorResponse(await toRaw(await fetch(q("group=g"))), 400, "INVALID_REQUEST");
  });
});

describe("consume()", () => {
  test("two consumers of a group of two handle every message once, each in its member's order", async () => {
    const { client } = await freshNamespace("gconsume");
    await fill(client, "task", 80, 13);
    await client.createGroup("workers", { category: "task", size: 2 });
    const all = await everything(client, "task");
    const handled: { gpos: number; member: number; stream: string }[] = [];
    const consumers = [0, 1].map(() =>
      client.consume("workers", (m, ctx) => void handled.push({ gpos: m[4], member: ctx.member, stream: m[1] }), {
        ttl: "5s",
        batchSize: 9,
        idleWait: 100,
      }),
    );
    try {
      await waitFor("every message handled", () => handled.length >= all.length);
      const late = await client.writeMessage("task-99", { type: "Late", data: {} }); // live, through a poke
      await waitFor("the late message handled", () => handled.some((h) => h.gpos === late.globalPosition));
    } finally {
      await Promise.all(consumers.map((c) => c.stop()));
    }
    const gpos = handled.map((h) => h.gpos);
    expect(new Set(gpos).size).toBe(gpos.length); // nothing twice in a clean run
    expect(gpos.length).toBe(all.length + 1);
    for (const h of handled) expect(memberOf(h.stream, 2)).toBe(h.member);
    for (const member of [0, 1]) {
      const mine = handled.filter((h) => h.member === member).map((h) => h.gpos);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
    const info = await client.getGroupInfo("workers");
    expect(info.lag).toBe(0);
  });

  test("a consumer process killed mid-batch is resumed by another without skipping a message (at-least-once)", async () => {
    const ns: TestNamespace = await freshNamespace("gkill");
    const { client } = ns;
    await fill(client, "job", 120, 7);
    await client.createGroup("workers", { category: "job" });
    const all = (await everything(client, "job")).map((m) => m[4]);
    const dir = mkdtempSync(join(tmpdir(), "eventodb-consumer-"));
    const log = join(dir, "handled.log");
    const bun = process.execPath;
    const script = resolve(import.meta.dir, "..", "support", "group-consumer.ts");
    const start = () =>
      Bun.spawn([bun, script], {
        env: { ...process.env, EVENTODB_URL: URL, GROUP_TOKEN: ns.token, GROUP_NAME: "workers", GROUP_LOG: log, HANDLE_MS: "15", GROUP_TTL: "1s", GROUP_BATCH: "10" },
        stdout: "ignore",
        stderr: "inherit",
      });
    const lines = () => {
      try {
        return readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => l.split(" ").map(Number) as [number, number, number]);
      } catch {
        return [];
      }
    };
    const first = start();
    let second: ReturnType<typeof start> | undefined;
    try {
      await waitFor("the first consumer handled 25 messages", () => lines().length >= 25, 20_000);
      first.kill("SIGKILL"); // in the middle of its third batch of 10
      await first.exited;
      const byFirst = lines().map((l) => l[0]);
      const checkpoint = (await client.getGroupInfo("workers")).members[0]!.globalPosition;
      expect(checkpoint).toBeLessThan(byFirst[byFirst.length - 1]!); // it died with handled messages not acked
      second = start();
      await waitFor("every message handled", () => new Set(lines().map((l) => l[0])).size >= all.length, 30_000);
      await waitFor("the group caught up", async () => (await client.getGroupInfo("workers")).lag === 0, 10_000);
      const handled = lines();
      const bySecond = handled.filter((l) => l[2] === second!.pid).map((l) => l[0]);
      // None skipped: every message was handled, at least once.
      expect([...new Set(handled.map((l) => l[0]))].sort((a, b) => a - b)).toEqual(all);
      // The second resumed right after the checkpoint: what the first handled
      // past it is handled again, nothing before it is.
      expect(bySecond[0]).toBe(all.find((g) => g > checkpoint));
      expect(bySecond).toEqual(all.filter((g) => g > checkpoint));
      // Each process handled its messages in global order.
      expect(byFirst).toEqual([...byFirst].sort((a, b) => a - b));
    } finally {
      first.kill("SIGKILL");
      second?.kill("SIGKILL");
      await Promise.all([first.exited, second?.exited]);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
