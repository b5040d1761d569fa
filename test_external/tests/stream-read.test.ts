// stream.get, stream.last, stream.version (PROTOCOL.md §2).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { StreamMessage } from "../client";
import {
  cleanupNamespaces,
  expectOk,
  expectRpcError,
  freshNamespace,
  messages,
  type TestNamespace,
  TIME_RE,
  UUID_RE,
} from "./support";

afterAll(cleanupNamespaces);

function expectStreamMessageShape(m: unknown) {
  expect(Array.isArray(m)).toBe(true);
  const a = m as unknown[];
  expect(a.length).toBe(7);
  expect(a[0]).toMatch(UUID_RE);
  expect(typeof a[1]).toBe("string");
  expect(Number.isInteger(a[2])).toBe(true);
  expect(Number.isInteger(a[3])).toBe(true);
  expect(typeof a[4]).toBe("object");
  expect(a[4]).not.toBeNull();
  expect(Array.isArray(a[4])).toBe(false);
  expect(a[5] === null || (typeof a[5] === "object" && !Array.isArray(a[5]))).toBe(true);
  expect(a[6]).toMatch(TIME_RE);
}

describe("stream.get", () => {
  let ns: TestNamespace;
  // s-1: 10 messages interleaved with other-1, so global positions have gaps within s-1
  const gps: number[] = [];
  beforeAll(async () => {
    ns = await freshNamespace("get");
    for (let i = 0; i < 10; i++) {
      const r = await ns.client.writeMessage("s-1", { type: i % 2 ? "Odd" : "Even", data: { i }, metadata: i === 3 ? { m: 3 } : undefined });
      gps.push(r.globalPosition);
      await ns.client.writeMessage("other-1", { type: "X", data: { i } });
    }
  });

  test("returns [id, type, position, globalPosition, data, metadata, time] tuples in ascending position", async () => {
    const msgs = await ns.client.getStream("s-1");
    expect(msgs.length).toBe(10);
    msgs.forEach((m, i) => {
      expectStreamMessageShape(m);
      expect(m[1]).toBe(i % 2 ? "Odd" : "Even");
      expect(m[2]).toBe(i);
      expect(m[3]).toBe(gps[i]!);
      expect(m[4]).toEqual({ i });
    });
    expect(msgs[3]![5]).toEqual({ m: 3 });
    expect(msgs[0]![5]).toBeNull();
  });

  test("options omitted, {} and null are the same; unknown keys are ignored", async () => {
    const a = await expectOk<StreamMessage[]>(ns.client, ["stream.get", "s-1"]);
    const b = await expectOk<StreamMessage[]>(ns.client, ["stream.get", "s-1", {}]);
    const c = await expectOk<StreamMessage[]>(ns.client, ["stream.get", "s-1", null]);
    const d = await expectOk<StreamMessage[]>(ns.client, ["stream.get", "s-1", { someNewOption: "x" }]);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(d).toEqual(a);
  });

  test("position: starts at that stream position (inclusive)", async () => {
    const msgs = await ns.client.getStream("s-1", { position: 4 });
    expect(msgs.map((m) => m[2])).toEqual([4, 5, 6, 7, 8, 9]);
  });

  test("position past the end → []", async () => {
    expect(await ns.client.getStream("s-1", { position: 10 })).toEqual([]);
    expect(await ns.client.getStream("s-1", { position: 1000 })).toEqual([]);
  });

  test("globalPosition g → the stream's messages with globalPosition >= g", async () => {
    const g = gps[6]!;
    const msgs = await ns.client.getStream("s-1", { globalPosition: g });
    expect(msgs.map((m) => m[2])).toEqual([6, 7, 8, 9]);
    // a global position between two of this stream's messages (it belongs to other-1)
    const between = await ns.client.getStream("s-1", { globalPosition: gps[6]! + 1 });
    expect(between.map((m) => m[2])).toEqual([7, 8, 9]);
    expect(await ns.client.getStream("s-1", { globalPosition: gps[9]! + 1 })).toEqual([]);
  });

  test("batchSize limits the count; combined with position it pages", async () => {
    expect((await ns.client.getStream("s-1", { batchSize: 3 })).map((m) => m[2])).toEqual([0, 1, 2]);
    expect((await ns.client.getStream("s-1", { position: 3, batchSize: 3 })).map((m) => m[2])).toEqual([3, 4, 5]);
    expect((await ns.client.getStream("s-1", { position: 9, batchSize: 3 })).map((m) => m[2])).toEqual([9]);
    expect((await ns.client.getStream("s-1", { batchSize: 1 })).length).toBe(1);
    expect((await ns.client.getStream("s-1", { batchSize: 10000 })).length).toBe(10);
  });

  test("a stream that does not exist → []", async () => {
    expect(await ns.client.getStream("nothing-here")).toEqual([]);
  });

  test("a category name reads only the stream with exactly that name", async () => {
    await ns.client.writeMessage("s", { type: "Cat", data: {} });
    const msgs = await ns.client.getStream("s");
    expect(msgs.length).toBe(1);
    expect(msgs[0]![1]).toBe("Cat");
  });
});

describe("stream.get over more than 1000 messages", () => {
  let ns: TestNamespace;
  const total = 1503;
  beforeAll(async () => {
    ns = await freshNamespace("big");
    for (let written = 0; written < total; written += 501) {
      await ns.client.writeMessages("long-1", messages(Math.min(501, total - written), "E", (i) => ({ n: written + i })));
    }
  }, 60_000);

  test("default batchSize is 1000", async () => {
    const msgs = await ns.client.getStream("long-1");
    expect(msgs.length).toBe(1000);
    expect(msgs[999]![2]).toBe(999);
  }, 30_000);

  test("batchSize -1 returns every message, in order", async () => {
    const msgs = await ns.client.getStream("long-1", { batchSize: -1 });
    expect(msgs.length).toBe(total);
    msgs.forEach((m, i) => {
      expect(m[2]).toBe(i);
      expect((m[4] as { n: number }).n).toBe(i);
    });
    for (let i = 1; i < msgs.length; i++) expect(msgs[i]![3]).toBeGreaterThan(msgs[i - 1]![3]);
  }, 30_000);

  test("batchSize -1 from a position returns the rest", async () => {
    const msgs = await ns.client.getStream("long-1", { position: 1200, batchSize: -1 });
    expect(msgs.length).toBe(total - 1200);
    expect(msgs[0]![2]).toBe(1200);
  }, 30_000);

  test("batchSize 10000 returns all of them", async () => {
    const msgs = await ns.client.getStream("long-1", { batchSize: 10000 });
    expect(msgs.length).toBe(total);
  }, 30_000);

  test("stream.version is the last position", async () => {
    expect(await ns.client.getStreamVersion("long-1")).toBe(total - 1);
  });
});

describe("stream.last", () => {
  let ns: TestNamespace;
  beforeAll(async () => {
    ns = await freshNamespace("last");
    await ns.client.writeMessages("s-1", [
      { type: "Opened", data: { n: 0 } },
      { type: "Deposited", data: { n: 1 } },
      { type: "Deposited", data: { n: 2 }, metadata: { m: true } },
      { type: "Withdrawn", data: { n: 3 } },
    ]);
  });

  test("returns the last message as a stream message tuple", async () => {
    const m = await ns.client.getLastMessage("s-1");
    expectStreamMessageShape(m);
    expect(m![1]).toBe("Withdrawn");
    expect(m![2]).toBe(3);
    expect(m![4]).toEqual({ n: 3 });
  });

  test("type filter returns the last message of that type", async () => {
    const m = await ns.client.getLastMessage("s-1", { type: "Deposited" });
    expect(m![1]).toBe("Deposited");
    expect(m![2]).toBe(2);
    expect(m![5]).toEqual({ m: true });
    const o = await ns.client.getLastMessage("s-1", { type: "Opened" });
    expect(o![2]).toBe(0);
  });

  test("a type that the stream does not have → null", async () => {
    expect(await ns.client.getLastMessage("s-1", { type: "Closed" })).toBeNull();
  });

  test("a stream that does not exist → null (HTTP 200 with body null)", async () => {
    const res = await ns.client.raw(["stream.last", "missing-1"]);
    expect(res.status).toBe(200);
    expect(res.text.trim()).toBe("null");
    expect(await ns.client.getLastMessage("missing-1", { type: "X" })).toBeNull();
  });

  test("options {}, null and unknown keys are accepted", async () => {
    for (const opts of [{}, null, { other: 1 }]) {
      const m = await expectOk<StreamMessage>(ns.client, ["stream.last", "s-1", opts]);
      expect(m[2]).toBe(3);
    }
  });

  test("type of the wrong type → 400 INVALID_REQUEST", async () => {
    await expectRpcError(ns.client, ["stream.last", "s-1", { type: 5 }], 400, "INVALID_REQUEST");
  });

  test("a bad stream name → 400 INVALID_REQUEST", async () => {
    await expectRpcError(ns.client, ["stream.last", ""], 400, "INVALID_REQUEST");
    await expectRpcError(ns.client, ["stream.last", 7], 400, "INVALID_REQUEST");
    await expectRpcError(ns.client, ["stream.last"], 400, "INVALID_REQUEST");
  });
});

describe("stream.version", () => {
  test("null for a missing stream (HTTP 200 with body null), then the last position", async () => {
    const { client } = await freshNamespace("ver");
    const res = await client.raw(["stream.version", "acct-1"]);
    expect(res.status).toBe(200);
    expect(res.text.trim()).toBe("null");
    await client.writeMessage("acct-1", { type: "A", data: {} });
    expect(await client.getStreamVersion("acct-1")).toBe(0);
    await client.writeMessages("acct-1", messages(4));
    expect(await client.getStreamVersion("acct-1")).toBe(4);
    // another stream of the same category does not count
    await client.writeMessage("acct-2", { type: "A", data: {} });
    expect(await client.getStreamVersion("acct-1")).toBe(4);
  });

  test("bad arguments → 400 INVALID_REQUEST", async () => {
    const { client } = await freshNamespace("verbad");
    await expectRpcError(client, ["stream.version"], 400, "INVALID_REQUEST");
    await expectRpcError(client, ["stream.version", ""], 400, "INVALID_REQUEST");
    await expectRpcError(client, ["stream.version", 12], 400, "INVALID_REQUEST");
    await expectRpcError(client, ["stream.version", null], 400, "INVALID_REQUEST");
    await expectRpcError(client, ["stream.version", "x".repeat(256)], 400, "INVALID_REQUEST");
    await expectRpcError(client, ["stream.version", "s-1", {}, "extra"], 400, "INVALID_REQUEST");
  });
});
