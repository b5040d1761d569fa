// category.get (PROTOCOL.md §1, §2): category membership, global positions, batch
// sizes, the correlation filter and consumer groups (Message DB hashing).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { CategoryMessage } from "../client";
import {
  cleanupNamespaces,
  expectOk,
  expectRpcError,
  freshNamespace,
  hash64,
  memberOf,
  messages,
  type TestNamespace,
  TIME_RE,
  UUID_RE,
} from "./support";

afterAll(cleanupNamespaces);

function expectCategoryMessageShape(m: unknown) {
  expect(Array.isArray(m)).toBe(true);
  const a = m as unknown[];
  expect(a.length).toBe(8);
  expect(a[0]).toMatch(UUID_RE);
  expect(typeof a[1]).toBe("string");
  expect(typeof a[2]).toBe("string");
  expect(Number.isInteger(a[3])).toBe(true);
  expect(Number.isInteger(a[4])).toBe(true);
  expect(typeof a[5]).toBe("object");
  expect(a[5]).not.toBeNull();
  expect(a[6] === null || (typeof a[6] === "object" && !Array.isArray(a[6]))).toBe(true);
  expect(a[7]).toMatch(TIME_RE);
}

describe("category.get", () => {
  let ns: TestNamespace;
  const written: { stream: string; gp: number; pos: number }[] = [];
  beforeAll(async () => {
    ns = await freshNamespace("cat");
    const plan = [
      "account-1",
      "account-2",
      "accounts-1", // another category
      "account-1",
      "account:command-1", // another category
      "account", // a stream without id belongs to its own category
      "account-3+retry",
      "account-2",
      "other-1",
      "account-1",
    ];
    const versions = new Map<string, number>();
    for (const stream of plan) {
      const r = await ns.client.writeMessage(stream, { type: `T${written.length}`, data: { stream }, metadata: { k: written.length } });
      written.push({ stream, gp: r.globalPosition, pos: r.position });
      expect(r.position).toBe(versions.get(stream) ?? 0);
      versions.set(stream, (versions.get(stream) ?? 0) + 1);
    }
  });

  const inAccount = () => written.filter((w) => w.stream === "account" || w.stream.startsWith("account-"));

  test("returns [id, streamName, type, position, globalPosition, data, metadata, time] of the category's streams by ascending globalPosition", async () => {
    const msgs = await ns.client.getCategory("account");
    const expected = inAccount();
    expect(msgs.length).toBe(expected.length);
    msgs.forEach((m, i) => {
      expectCategoryMessageShape(m);
      expect(m[1]).toBe(expected[i]!.stream);
      expect(m[3]).toBe(expected[i]!.pos); // the stream position
      expect(m[4]).toBe(expected[i]!.gp);
      expect(m[5]).toEqual({ stream: expected[i]!.stream });
      expect(m[6]).toEqual({ k: written.indexOf(expected[i]!) });
      expect(m[2]).toBe(`T${written.indexOf(expected[i]!)}`);
    });
  });

  test("categories are the name before the first '-': accounts, account:command and other are separate", async () => {
    expect((await ns.client.getCategory("accounts")).map((m) => m[1])).toEqual(["accounts-1"]);
    expect((await ns.client.getCategory("account:command")).map((m) => m[1])).toEqual(["account:command-1"]);
    expect((await ns.client.getCategory("other")).map((m) => m[1])).toEqual(["other-1"]);
    expect(await ns.client.getCategory("acc")).toEqual([]);
    expect(await ns.client.getCategory("nothing")).toEqual([]);
  });

  test("options omitted, {} and null are the same; unknown keys are ignored", async () => {
    const a = await expectOk<CategoryMessage[]>(ns.client, ["category.get", "account"]);
    for (const opts of [{}, null, { brandNew: [1] }]) {
      expect(await expectOk<CategoryMessage[]>(ns.client, ["category.get", "account", opts])).toEqual(a);
    }
  });

  test("position is a global position, inclusive", async () => {
    const expected = inAccount();
    const from = expected[2]!.gp;
    const msgs = await ns.client.getCategory("account", { position: from });
    expect(msgs.map((m) => m[4])).toEqual(expected.slice(2).map((w) => w.gp));
  });

  test("globalPosition is a global position, inclusive", async () => {
    const expected = inAccount();
    const from = expected[3]!.gp;
    const msgs = await ns.client.getCategory("account", { globalPosition: from });
    expect(msgs.map((m) => m[4])).toEqual(expected.slice(3).map((w) => w.gp));
    const past = await ns.client.getCategory("account", { globalPosition: written[written.length - 1]!.gp + 1 });
    expect(past).toEqual([]);
  });

  test("batchSize limits the count; the guide's pagination loop visits every message once", async () => {
    expect((await ns.client.getCategory("account", { batchSize: 2 })).map((m) => m[4])).toEqual(inAccount().slice(0, 2).map((w) => w.gp));
    const seen: number[] = [];
    let position = 0;
    for (let guard = 0; guard < 50; guard++) {
      const page = await ns.client.getCategory("account", { globalPosition: position, batchSize: 2 });
      if (page.length === 0) break;
      seen.push(...page.map((m) => m[4]));
      position = page[page.length - 1]![4] + 1;
    }
    expect(seen).toEqual(inAccount().map((w) => w.gp));
  });
});

describe("category.get over more than 1000 messages", () => {
  test("default batchSize 1000, batchSize -1 returns all", async () => {
    const { client } = await freshNamespace("catbig");
    for (let s = 0; s < 3; s++) await client.writeMessages(`big-${s}`, messages(400));
    expect((await client.getCategory("big")).length).toBe(1000);
    const all = await client.getCategory("big", { batchSize: -1 });
    expect(all.length).toBe(1200);
    for (let i = 1; i < all.length; i++) expect(all[i]![4]).toBeGreaterThan(all[i - 1]![4]);
    const rest = await client.getCategory("big", { position: all[1100]![4], batchSize: -1 });
    expect(rest.length).toBe(100);
  }, 60_000);
});

describe("category.get correlation filter", () => {
  test("matches iff metadata.correlationStreamName exists and its category equals the filter", async () => {
    const { client } = await freshNamespace("corr");
    const cases: [string, Record<string, unknown> | null | undefined, boolean][] = [
      ["a", { correlationStreamName: "workflow-123" }, true],
      ["b", { correlationStreamName: "workflow" }, true],
      ["c", { correlationStreamName: "workflow-9+x", other: 1 }, true],
      ["d", { correlationStreamName: "workflowx-1" }, false],
      ["e", { correlationStreamName: "work-1" }, false],
      ["f", { correlationStreamName: "other-workflow" }, false],
      ["g", { correlation: "workflow-1" }, false],
      ["h", null, false],
      ["i", undefined, false],
      ["j", { CorrelationStreamName: "workflow-1" }, false],
    ];
    for (const [tag, metadata] of cases) {
      const m: { type: string; data: Record<string, unknown>; metadata?: Record<string, unknown> | null } = { type: "T", data: { tag } };
      if (metadata !== undefined) m.metadata = metadata;
      await client.writeMessage(`acct-${tag}`, m);
    }
    // a message in another category with a matching correlation is not returned
    await client.writeMessage("other-1", { type: "T", data: { tag: "z" }, metadata: { correlationStreamName: "workflow-1" } });
    const msgs = await client.getCategory("acct", { correlation: "workflow" });
    expect(msgs.map((m) => (m[5] as { tag: string }).tag)).toEqual(cases.filter((c) => c[2]).map((c) => c[0]));
    expect(await client.getCategory("acct", { correlation: "nothing" })).toEqual([]);
  });

  test("correlation of the wrong type → 400 INVALID_REQUEST", async () => {
    const { client } = await freshNamespace("corrbad");
    await expectRpcError(client, ["category.get", "acct", { correlation: 5 }], 400, "INVALID_REQUEST");
  });
});

describe("category.get consumer groups", () => {
  let ns: TestNamespace;
  const streams: string[] = [];
  beforeAll(async () => {
    ns = await freshNamespace("cg");
    for (let i = 1; i <= 40; i++) streams.push(`acct-${i}`);
    streams.push("acct-1+retry", "acct-7+x+y", "acct-a1b2c3d4", "acct-e5f6g7h8", "acct");
    for (const s of streams) await ns.client.writeMessages(s, messages(2, "T", () => ({ s })));
  }, 60_000);

  for (const size of [1, 2, 3, 4, 7]) {
    test(`size ${size}: members are disjoint, cover the category, and keep each stream whole`, async () => {
      const all = await ns.client.getCategory("acct", { batchSize: -1 });
      expect(all.length).toBe(streams.length * 2);
      const owner = new Map<string, number>();
      const seen = new Set<string>();
      for (let member = 0; member < size; member++) {
        const msgs = await ns.client.getCategory("acct", { consumerGroup: { member, size }, batchSize: -1 });
        for (let i = 1; i < msgs.length; i++) expect(msgs[i]![4]).toBeGreaterThan(msgs[i - 1]![4]);
        for (const m of msgs) {
          expect(seen.has(m[0])).toBe(false);
          seen.add(m[0]);
          const prev = owner.get(m[1]);
          expect(prev === undefined || prev === member).toBe(true);
          owner.set(m[1], member);
        }
      }
      expect(seen.size).toBe(all.length);
      expect(owner.size).toBe(streams.length);
    });
  }

  test("membership is Message DB's: abs(hash64(cardinal id)) mod size; a stream without id hashes its name", async () => {
    for (const size of [2, 3, 5]) {
      for (let member = 0; member < size; member++) {
        const msgs = await ns.client.getCategory("acct", { consumerGroup: { member, size }, batchSize: -1 });
        const got = [...new Set(msgs.map((m) => m[1]))].sort();
        const want = streams.filter((s) => memberOf(s, size) === member).sort();
        expect(got).toEqual(want);
      }
    }
  });

  test("hash64 matches PostgreSQL's ('x' || left(md5(s), 16))::bit(64)::bigint", () => {
    // The helper itself, pinned: md5('123') = 202cb962ac59075b964b07152d234b70
    expect(hash64("123")).toBe(BigInt.asIntN(64, 0x202cb962ac59075bn));
    // md5('1') = c4ca4238a0b923820dcc509a6f75849b, top bit set → negative
    expect(hash64("1")).toBe(BigInt.asIntN(64, 0xc4ca4238a0b92382n));
    expect(hash64("1")).toBeLessThan(0n);
  });

  test("compound ids (acct-1+retry) land in the same member as acct-1", async () => {
    for (const size of [2, 3, 4, 5, 8, 16]) {
      let member1 = -1;
      let memberRetry = -2;
      for (let member = 0; member < size; member++) {
        const msgs = await ns.client.getCategory("acct", { consumerGroup: { member, size }, batchSize: -1 });
        const names = new Set(msgs.map((m) => m[1]));
        if (names.has("acct-1")) member1 = member;
        if (names.has("acct-1+retry")) memberRetry = member;
      }
      expect(memberRetry).toBe(member1);
    }
  });

  test("consumer group combines with position and batchSize", async () => {
    const all = await ns.client.getCategory("acct", { consumerGroup: { member: 1, size: 3 }, batchSize: -1 });
    const from = all[3]![4];
    const page = await ns.client.getCategory("acct", { consumerGroup: { member: 1, size: 3 }, position: from, batchSize: 2 });
    expect(page.map((m) => m[0])).toEqual(all.slice(3, 5).map((m) => m[0]));
  });

  test("consumer group combines with the correlation filter", async () => {
    const { client } = await freshNamespace("cgcorr");
    for (let i = 0; i < 20; i++) {
      await client.writeMessage(`job-${i}`, { type: "T", data: {}, metadata: i % 2 ? { correlationStreamName: "flow-1" } : null });
    }
    const union: string[] = [];
    for (let member = 0; member < 2; member++) {
      const msgs = await client.getCategory("job", { consumerGroup: { member, size: 2 }, correlation: "flow" });
      for (const m of msgs) {
        expect(memberOf(m[1], 2)).toBe(member);
        expect(m[6]).toEqual({ correlationStreamName: "flow-1" });
      }
      union.push(...msgs.map((m) => m[1]));
    }
    expect(union.length).toBe(10);
  });

  const invalid: [string, unknown][] = [
    ["member >= size", { member: 2, size: 2 }],
    ["member much larger than size", { member: 10, size: 3 }],
    ["size 0", { member: 0, size: 0 }],
    ["negative size", { member: 0, size: -1 }],
    ["negative member", { member: -1, size: 2 }],
    ["member of the wrong type", { member: "0", size: 2 }],
    ["size of the wrong type", { member: 0, size: "2" }],
    ["consumerGroup not an object", "0/2"],
  ];
  for (const [what, group] of invalid) {
    test(`${what} → 400 INVALID_REQUEST`, async () => {
      await expectRpcError(ns.client, ["category.get", "acct", { consumerGroup: group }], 400, "INVALID_REQUEST");
    });
  }
});

describe("category.get bad input", () => {
  let ns: TestNamespace;
  beforeAll(async () => {
    ns = await freshNamespace("catbad");
  });
  const cases: [string, unknown[]][] = [
    ["no category", ["category.get"]],
    ["empty category", ["category.get", ""]],
    ["category not a string", ["category.get", 42]],
    ["256-byte category", ["category.get", "c".repeat(256)]],
    ["options not an object", ["category.get", "acct", "x"]],
    ["position not a number", ["category.get", "acct", { position: "1" }]],
    ["globalPosition not a number", ["category.get", "acct", { globalPosition: true }]],
    ["batchSize -2", ["category.get", "acct", { batchSize: -2 }]],
    ["batchSize 10001", ["category.get", "acct", { batchSize: 10001 }]],
    ["batchSize not a number", ["category.get", "acct", { batchSize: "100" }]],
    ["too many arguments", ["category.get", "acct", {}, {}]],
  ];
  for (const [what, call] of cases) {
    test(`${what} → 400 INVALID_REQUEST`, async () => {
      const err = await expectRpcError(ns.client, call, 400, "INVALID_REQUEST");
      if (what.startsWith("batchSize")) expect(err.message).toContain("batchSize");
    });
  }
});
