// What existing EventoDB and Message DB clients send and rely on (PROTOCOL.md §2):
// batchSize 0 answers [], negative positions read from the start, and invalid
// UTF-8 is refused instead of being stored altered.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cleanupNamespaces, expectErrorResponse, freshNamespace, type TestNamespace } from "./support";

afterAll(cleanupNamespaces);

let ns: TestNamespace;
beforeAll(async () => {
  ns = await freshNamespace("compat");
  for (let i = 0; i < 3; i++) await ns.client.writeMessage("mdb-1", { type: "T", data: { i } });
});

describe("Message DB read semantics", () => {
  const cases: [string, string, unknown[], number][] = [
    ["stream.get batchSize 0 → []", "stream.get", ["mdb-1", { batchSize: 0 }], 0],
    ["category.get batchSize 0 → []", "category.get", ["mdb", { batchSize: 0 }], 0],
    ["stream.get position -1 reads from the start", "stream.get", ["mdb-1", { position: -1 }], 3],
    ["stream.get globalPosition -1 reads from the start", "stream.get", ["mdb-1", { globalPosition: -1 }], 3],
    ["category.get position -1 reads from the start", "category.get", ["mdb", { position: -1 }], 3],
    ["category.get globalPosition -100 reads from the start", "category.get", ["mdb", { globalPosition: -100 }], 3],
  ];
  for (const [what, method, args, count] of cases) {
    test(what, async () => {
      const res = await ns.client.raw([method, ...args]);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.json)).toBe(true);
      expect((res.json as unknown[]).length).toBe(count);
    });
  }

  test("batchSize -2 and 10001 stay INVALID_REQUEST naming batchSize", async () => {
    for (const batchSize of [-2, 10001]) {
      const err = expectErrorResponse(await ns.client.raw(["stream.get", "mdb-1", { batchSize }]), 400, "INVALID_REQUEST");
      expect(err.message).toContain("batchSize");
    }
  });
});

describe("invalid UTF-8 → 400 INVALID_REQUEST, nothing stored", () => {
  const enc = new TextEncoder();
  // bytes builds a body from text with raw bytes spliced in where "\u0000" stands.
  const bytes = (text: string, raw: number[]): Uint8Array => {
    const [before, after] = text.split("\u0000");
    return new Uint8Array([...enc.encode(before), ...raw, ...enc.encode(after)]);
  };
  const cases: [string, Uint8Array][] = [
    ["in the stream name", bytes('["stream.write","utf-\u0000",{"type":"T","data":{}}]', [0xff])],
    ["in the type", bytes('["stream.write","utf-1",{"type":"T\u0000","data":{}}]', [0xc3])],
    ["in data", bytes('["stream.write","utf-1",{"type":"T","data":{"k":"\u0000"}}]', [0xed, 0xa0, 0x80])],
    ["in metadata", bytes('["stream.write","utf-1",{"type":"T","data":{},"metadata":{"m":"\u0000"}}]', [0x80])],
    ["in options", bytes('["stream.write","utf-1",{"type":"T","data":{}},{"x":"\u0000"}]', [0xfe])],
  ];
  for (const [what, body] of cases) {
    test(what, async () => {
      expectErrorResponse(await ns.client.raw(body), 400, "INVALID_REQUEST");
    });
  }
  test("none of them stored anything", async () => {
    expect(await ns.client.getCategory("utf", { batchSize: -1 })).toEqual([]);
  });
});
