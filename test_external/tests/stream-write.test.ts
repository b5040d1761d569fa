// stream.write (PROTOCOL.md §1, §2): single and array form, ids and idempotent retries,
// optimistic concurrency, global positions.
import { afterAll, describe, expect, test } from "bun:test";
import type { WriteResult } from "../client";
import {
  cleanupNamespaces,
  expectErrorResponse,
  expectOk,
  expectRpcError,
  freshNamespace,
  messages,
  TIME_RE,
  UUID_RE,
} from "./support";

afterAll(cleanupNamespaces);

function expectWriteResult(r: WriteResult, position: number) {
  expect(Number.isInteger(r.position)).toBe(true);
  expect(Number.isInteger(r.globalPosition)).toBe(true);
  expect(r.position).toBe(position);
  expect(r.globalPosition).toBeGreaterThanOrEqual(1);
}

describe("stream.write single message", () => {
  test("first write is position 0 and globalPosition 1 in a fresh namespace; result is {position, globalPosition}", async () => {
    const { client } = await freshNamespace("w1");
    const res = await expectOk<Record<string, unknown>>(client, [
      "stream.write",
      "account-1",
      { type: "Opened", data: { owner: "ada" } },
    ]);
    expect(res.position).toBe(0);
    expect(res.globalPosition).toBe(1);
    for (const key of Object.keys(res)) expect(["position", "globalPosition", "count"]).toContain(key);
  });

  test("positions are gap-free per stream and globalPosition strictly increases across streams from 1", async () => {
    const { client } = await freshNamespace("w2");
    const seen: number[] = [];
    const plan = ["a-1", "b-1", "a-1", "a-2", "b-1", "a-1"];
    const expectedPos = [0, 0, 1, 0, 1, 2];
    for (let i = 0; i < plan.length; i++) {
      const r = await client.writeMessage(plan[i]!, { type: "T", data: { i } });
      expectWriteResult(r, expectedPos[i]!);
      seen.push(r.globalPosition);
    }
    expect(seen[0]).toBe(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
  });

  test("the written message reads back with generated UUID, type, data, metadata null and a fixed-width time", async () => {
    const { client } = await freshNamespace("w3");
    const before = Date.now();
    const r = await client.writeMessage("order-9", { type: "Placed", data: { total: 12.5, items: [1, 2], nested: { a: "é" } } });
    const msgs = await client.getStream("order-9");
    expect(msgs.length).toBe(1);
    const [id, type, position, globalPosition, data, metadata, time] = msgs[0]!;
    expect(id).toMatch(UUID_RE);
    expect(type).toBe("Placed");
    expect(position).toBe(0);
    expect(globalPosition).toBe(r.globalPosition);
    expect(data).toEqual({ total: 12.5, items: [1, 2], nested: { a: "é" } });
    expect(metadata).toBeNull();
    expect(time).toMatch(TIME_RE);
    const t = Date.parse(time);
    expect(Math.abs(t - before)).toBeLessThan(5 * 60 * 1000); // the server's clock, UTC
  });

  test("metadata object round-trips; explicit null metadata reads back null", async () => {
    const { client } = await freshNamespace("w4");
    await client.writeMessage("s-1", { type: "A", data: {}, metadata: { correlationStreamName: "wf-1", n: 1 } });
    await client.writeMessage("s-1", { type: "B", data: {}, metadata: null });
    const msgs = await client.getStream("s-1");
    expect(msgs[0]![5]).toEqual({ correlationStreamName: "wf-1", n: 1 });
    expect(msgs[1]![5]).toBeNull();
    expect(msgs[0]![4]).toEqual({});
  });

  test("a given id is stored as the message id", async () => {
    const { client } = await freshNamespace("w5");
    const id = crypto.randomUUID();
    await client.writeMessage("s-1", { type: "A", data: { x: 1 } }, { id });
    const msgs = await client.getStream("s-1");
    expect(msgs[0]![0].toLowerCase()).toBe(id.toLowerCase());
  });

  test("stream names of the documented grammar are accepted (+, :, _, ., UTF-8, 255 bytes)", async () => {
    const { client } = await freshNamespace("w6");
    const names = [
      "account-123",
      "account-123+retry",
      "account:command-9",
      "test-stream_123.abc",
      "account",
      "café-ü1",
      "x".repeat(255),
      "é".repeat(127) + "a", // 255 bytes
    ];
    for (const name of names) {
      const r = await client.writeMessage(name, { type: "T", data: {} });
      expect(r.position).toBe(0);
      expect(await client.getStreamVersion(name)).toBe(0);
      const got = await client.getStream(name);
      expect(got.length).toBe(1);
    }
  });

  test("a message of about 1,000,000 bytes within a request under 1 MiB is accepted", async () => {
    const { client } = await freshNamespace("w7");
    const big = "x".repeat(1_000_000);
    const r = await client.writeMessage("big-1", { type: "Big", data: { big } });
    expect(r.position).toBe(0);
    const msgs = await client.getStream("big-1");
    expect((msgs[0]![4] as { big: string }).big.length).toBe(1_000_000);
  });

  test("options omitted, {} and null are all accepted; unknown option keys are ignored", async () => {
    const { client } = await freshNamespace("w8");
    await expectOk(client, ["stream.write", "s-1", { type: "A", data: {} }]);
    await expectOk(client, ["stream.write", "s-1", { type: "A", data: {} }, {}]);
    await expectOk(client, ["stream.write", "s-1", { type: "A", data: {} }, null]);
    const r = await expectOk<WriteResult>(client, ["stream.write", "s-1", { type: "A", data: {} }, { futureOption: true, expectedVersion: 2 }]);
    expect(r.position).toBe(3);
  });

  test("unknown keys in the message object are ignored", async () => {
    const { client } = await freshNamespace("w9");
    const r = await expectOk<WriteResult>(client, ["stream.write", "s-1", { type: "A", data: { a: 1 }, somethingNew: 1 }]);
    expect(r.position).toBe(0);
  });
});

describe("stream.write ids and idempotent retries", () => {
  test("retrying the same id, stream, type and data returns the original positions and stores one copy", async () => {
    const { client } = await freshNamespace("id1");
    const id = crypto.randomUUID();
    await client.writeMessage("s-1", { type: "Before", data: {} });
    const first = await client.writeMessage("s-1", { type: "A", data: { x: 1, y: [1, 2] } }, { id });
    await client.writeMessage("s-2", { type: "Other", data: {} });
    const retry = await client.writeMessage("s-1", { type: "A", data: { x: 1, y: [1, 2] } }, { id });
    expect(retry.position).toBe(first.position);
    expect(retry.globalPosition).toBe(first.globalPosition);
    expect(first.position).toBe(1);
    const msgs = await client.getStream("s-1");
    expect(msgs.length).toBe(2);
    expect(await client.getStreamVersion("s-1")).toBe(1);
    const cat = await client.getCategory("s");
    expect(cat.filter((m) => m[0].toLowerCase() === id).length).toBe(1);
  });

  test("an idempotent retry that also repeats its expectedVersion returns the original positions", async () => {
    const { client } = await freshNamespace("id2");
    const id = crypto.randomUUID();
    const first = await client.writeMessage("s-1", { type: "A", data: { k: "v" } }, { id, expectedVersion: -1 });
    const retry = await client.writeMessage("s-1", { type: "A", data: { k: "v" } }, { id, expectedVersion: -1 });
    expect(retry).toMatchObject({ position: first.position, globalPosition: first.globalPosition });
    expect(await client.getStreamVersion("s-1")).toBe(0);
  });

  test("the same id with different metadata but same stream, type and data is still an idempotent retry", async () => {
    const { client } = await freshNamespace("id3");
    const id = crypto.randomUUID();
    const first = await client.writeMessage("s-1", { type: "A", data: { k: 1 }, metadata: { try: 1 } }, { id });
    const retry = await client.writeMessage("s-1", { type: "A", data: { k: 1 }, metadata: { try: 2 } }, { id });
    expect(retry).toMatchObject({ position: first.position, globalPosition: first.globalPosition });
    expect((await client.getStream("s-1")).length).toBe(1);
  });

  for (const [what, stream, type, data] of [
    ["different data", "s-1", "A", { k: 2 }],
    ["different type", "s-1", "B", { k: 1 }],
    ["different stream", "s-2", "A", { k: 1 }],
  ] as const) {
    test(`the same id with ${what} → 409 DUPLICATE_MESSAGE_ID and nothing stored`, async () => {
      const { client } = await freshNamespace("dup");
      const id = crypto.randomUUID();
      const first = await client.writeMessage("s-1", { type: "A", data: { k: 1 } }, { id });
      await expectRpcError(client, ["stream.write", stream, { type, data }, { id }], 409, "DUPLICATE_MESSAGE_ID");
      expect((await client.getStream("s-1")).length).toBe(1);
      expect(await client.getStreamVersion("s-2")).toBeNull();
      // the namespace did not advance: the next write gets the next global position or later
      const next = await client.writeMessage("s-3", { type: "A", data: {} });
      expect(next.globalPosition).toBeGreaterThan(first.globalPosition);
      const all = await client.getCategory("s");
      expect(all.length).toBe(2);
    });
  }

  test("a duplicate id in a different namespace is independent", async () => {
    const a = await freshNamespace("dupa");
    const b = await freshNamespace("dupb");
    const id = crypto.randomUUID();
    await a.client.writeMessage("s-1", { type: "A", data: { k: 1 } }, { id });
    const r = await b.client.writeMessage("t-1", { type: "Z", data: { z: 1 } }, { id });
    expect(r.position).toBe(0);
  });

  test("concurrent writes of one id store exactly one copy and all answer the same positions", async () => {
    const { client } = await freshNamespace("idc");
    const id = crypto.randomUUID();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => client.writeMessage("s-1", { type: "A", data: { same: true } }, { id })),
    );
    for (const r of results) expect(r).toMatchObject({ position: 0, globalPosition: results[0]!.globalPosition });
    expect((await client.getStream("s-1")).length).toBe(1);
  });

  test("an uppercase UUID is a valid id", async () => {
    const { client } = await freshNamespace("idu");
    const id = crypto.randomUUID().toUpperCase();
    const r = await client.writeMessage("s-1", { type: "A", data: {} }, { id });
    expect(r.position).toBe(0);
    const [m] = await client.getStream("s-1");
    expect(m![0].toLowerCase()).toBe(id.toLowerCase());
  });
});

describe("stream.write expectedVersion", () => {
  test("-1 succeeds on a missing stream and conflicts on an existing one with details {expected:-1, actual:0}", async () => {
    const { client } = await freshNamespace("ev1");
    const r = await client.writeMessage("s-1", { type: "A", data: {} }, { expectedVersion: -1 });
    expect(r.position).toBe(0);
    const err = await expectRpcError(client, ["stream.write", "s-1", { type: "A", data: {} }, { expectedVersion: -1 }], 409, "STREAM_VERSION_CONFLICT");
    expect(err.details).toEqual({ expected: -1, actual: 0 });
    expect(await client.getStreamVersion("s-1")).toBe(0);
  });

  test("n succeeds when the stream's last position is n", async () => {
    const { client } = await freshNamespace("ev2");
    await client.writeMessages("s-1", messages(3));
    const r = await client.writeMessage("s-1", { type: "A", data: {} }, { expectedVersion: 2 });
    expect(r.position).toBe(3);
    const r2 = await client.writeMessage("s-1", { type: "A", data: {} }, { expectedVersion: 3 });
    expect(r2.position).toBe(4);
  });

  test("a mismatch → 409 STREAM_VERSION_CONFLICT with details {expected, actual}, and nothing is written", async () => {
    const { client } = await freshNamespace("ev3");
    await client.writeMessages("s-1", messages(2));
    for (const expected of [0, 5]) {
      const err = await expectRpcError(client, ["stream.write", "s-1", { type: "A", data: {} }, { expectedVersion: expected }], 409, "STREAM_VERSION_CONFLICT");
      expect(err.details).toEqual({ expected, actual: 1 });
    }
    expect(await client.getStreamVersion("s-1")).toBe(1);
  });

  test("n on a missing stream → conflict with actual -1", async () => {
    const { client } = await freshNamespace("ev4");
    const err = await expectRpcError(client, ["stream.write", "s-1", { type: "A", data: {} }, { expectedVersion: 0 }], 409, "STREAM_VERSION_CONFLICT");
    expect(err.details).toEqual({ expected: 0, actual: -1 });
    expect(await client.getStreamVersion("s-1")).toBeNull();
  });

  test("the client surfaces the conflict as an Error whose message is the code", async () => {
    const { client } = await freshNamespace("ev5");
    await client.writeMessage("s-1", { type: "A", data: {} });
    try {
      await client.writeMessage("s-1", { type: "A", data: {} }, { expectedVersion: -1 });
      throw new Error("expected a conflict");
    } catch (e) {
      const err = e as { message: string; code: string; status: number; details: unknown };
      expect(err.message).toBe("STREAM_VERSION_CONFLICT");
      expect(err.code).toBe("STREAM_VERSION_CONFLICT");
      expect(err.status).toBe(409);
      expect(err.details).toEqual({ expected: -1, actual: 0 });
    }
  });

  test("concurrent writers with the same expectedVersion: exactly one wins (checked atomically with the append)", async () => {
    const { client } = await freshNamespace("evc");
    await client.writeMessage("s-1", { type: "A", data: {} });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => client.writeMessage("s-1", { type: "B", data: { i } }, { expectedVersion: 0 })),
    );
    const ok = outcomes.filter((o) => o.status === "fulfilled");
    const failed = outcomes.filter((o) => o.status === "rejected") as PromiseRejectedResult[];
    expect(ok.length).toBe(1);
    for (const f of failed) expect((f.reason as Error).message).toBe("STREAM_VERSION_CONFLICT");
    expect(await client.getStreamVersion("s-1")).toBe(1);
  });

  test("the guide's retry loop (version ?? -1, then expectedVersion) works", async () => {
    const { client } = await freshNamespace("evr");
    for (let i = 0; i < 3; i++) {
      const version = (await client.getStreamVersion("acct-1")) ?? -1;
      const r = await client.writeMessage("acct-1", { type: "Cmd", data: { i } }, { expectedVersion: version });
      expect(r.position).toBe(i);
    }
  });
});

describe("stream.write array form", () => {
  test("appends in order atomically; result {position: first, globalPosition: firstGlobal, count}", async () => {
    const { client } = await freshNamespace("arr1");
    await client.writeMessage("s-1", { type: "First", data: {} });
    const ids = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const r = await client.writeMessages("s-1", [
      { type: "A", data: { n: 0 }, id: ids[0] },
      { type: "B", data: { n: 1 }, metadata: { m: 1 }, id: ids[1] },
      { type: "C", data: { n: 2 }, id: ids[2] },
    ]);
    expect(r.position).toBe(1);
    expect(r.count).toBe(3);
    const msgs = await client.getStream("s-1");
    expect(msgs.map((m) => m[1])).toEqual(["First", "A", "B", "C"]);
    expect(msgs.map((m) => m[2])).toEqual([0, 1, 2, 3]);
    expect(msgs[1]![3]).toBe(r.globalPosition);
    expect(msgs[2]![3]).toBeGreaterThan(msgs[1]![3]);
    expect(msgs[3]![3]).toBeGreaterThan(msgs[2]![3]);
    expect(msgs.slice(1).map((m) => m[0].toLowerCase())).toEqual(ids);
    expect(msgs[2]![5]).toEqual({ m: 1 });
  });

  test("one expectedVersion check for the whole batch; a mismatch writes nothing", async () => {
    const { client } = await freshNamespace("arr2");
    const r = await client.writeMessages("s-1", messages(3), { expectedVersion: -1 });
    expect(r).toMatchObject({ position: 0, count: 3 });
    const err = await expectRpcError(client, ["stream.write", "s-1", messages(2), { expectedVersion: 1 }], 409, "STREAM_VERSION_CONFLICT");
    expect(err.details).toEqual({ expected: 1, actual: 2 });
    const r2 = await client.writeMessages("s-1", messages(2), { expectedVersion: 2 });
    expect(r2).toMatchObject({ position: 3, count: 2 });
    expect(await client.getStreamVersion("s-1")).toBe(4);
  });

  test("an invalid message anywhere in the batch → 400 INVALID_REQUEST and nothing is written", async () => {
    const { client } = await freshNamespace("arr3");
    const bad = [{ type: "A", data: {} }, { type: "B", data: {} }, { data: {} }];
    await expectRpcError(client, ["stream.write", "s-1", bad], 400, "INVALID_REQUEST");
    const bad2 = [{ type: "A", data: {} }, { type: "B", data: [] }];
    await expectRpcError(client, ["stream.write", "s-1", bad2], 400, "INVALID_REQUEST");
    expect(await client.getStreamVersion("s-1")).toBeNull();
  });

  test("a batch containing an id that exists with other content → 409 DUPLICATE_MESSAGE_ID, nothing of the batch stored", async () => {
    const { client } = await freshNamespace("arr4");
    const id = crypto.randomUUID();
    await client.writeMessage("s-1", { type: "A", data: { k: 1 } }, { id });
    const res = await client.raw(["stream.write", "s-2", [{ type: "X", data: {} }, { type: "A", data: { k: 2 }, id }]]);
    expectErrorResponse(res, 409, "DUPLICATE_MESSAGE_ID");
    expect(await client.getStreamVersion("s-2")).toBeNull();
  });

  test("a single-element array works and reports count 1", async () => {
    const { client } = await freshNamespace("arr5");
    const r = await client.writeMessages("s-1", [{ type: "A", data: {} }]);
    expect(r).toMatchObject({ position: 0, globalPosition: 1, count: 1 });
  });

  test("an empty array → 400 INVALID_REQUEST", async () => {
    const { client } = await freshNamespace("arr6");
    await expectRpcError(client, ["stream.write", "s-1", []], 400, "INVALID_REQUEST");
  });

  test("a batch of 500 messages is appended with consecutive positions", async () => {
    const { client } = await freshNamespace("arr7");
    const r = await client.writeMessages("s-1", messages(500));
    expect(r).toMatchObject({ position: 0, count: 500 });
    const msgs = await client.getStream("s-1", { batchSize: 1000 });
    expect(msgs.length).toBe(500);
    msgs.forEach((m, i) => {
      expect(m[2]).toBe(i);
      expect((m[4] as { i: number }).i).toBe(i);
    });
  });
});

describe("global positions under concurrency", () => {
  test("50 concurrent writers get unique global positions, and a category read sees all of them ascending", async () => {
    const { client } = await freshNamespace("gp");
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => client.writeMessage(`conc-${i % 7}`, { type: "T", data: { i } })),
    );
    const gps = results.map((r) => r.globalPosition);
    expect(new Set(gps).size).toBe(50);
    const cat = await client.getCategory("conc");
    expect(cat.length).toBe(50);
    for (let i = 1; i < cat.length; i++) expect(cat[i]![4]).toBeGreaterThan(cat[i - 1]![4]);
    expect(cat.map((m) => m[4]).sort((a, b) => a - b)).toEqual([...gps].sort((a, b) => a - b));
    expect(Math.min(...gps)).toBe(1);
    // per-stream positions are gap-free
    for (let s = 0; s < 7; s++) {
      const msgs = await client.getStream(`conc-${s}`);
      expect(msgs.map((m) => m[2])).toEqual(msgs.map((_, i) => i));
    }
  });
});
