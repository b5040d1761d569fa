// The RPC envelope and every kind of bad input (PROTOCOL.md §2, §5).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  admin,
  cleanupNamespaces,
  expectErrorResponse,
  expectRpcError,
  freshNamespace,
  type TestNamespace,
  URL,
} from "./support";

afterAll(cleanupNamespaces);

let ns: TestNamespace;
beforeAll(async () => {
  ns = await freshNamespace("bad");
});

describe("RPC envelope", () => {
  test("success is HTTP 200 with the bare JSON result and a JSON content type", async () => {
    const res = await ns.client.raw(["stream.write", "s-1", { type: "A", data: {} }]);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type") ?? "").toContain("application/json");
    expect(res.json).toMatchObject({ position: 0 });
  });

  const invalidJson: [string, string][] = [
    ["not JSON at all", "this is not json"],
    ["truncated JSON", '["stream.get", "s-1"'],
    ["trailing garbage", '["sys.version"] x'],
    ["empty body", ""],
  ];
  // INVALID_REQUEST, as the existing server answers and its clients test
  // for; INVALID_JSON is only for import lines.
  for (const [what, body] of invalidJson) {
    test(`${what} → 400 INVALID_REQUEST`, async () => {
      expectErrorResponse(await ns.client.raw(body), 400, "INVALID_REQUEST");
    });
  }

  const notArray: [string, string][] = [
    ["a JSON object", '{"method": "stream.get", "params": ["s-1"]}'],
    ["a JSON string", '"stream.get"'],
    ["a JSON number", "42"],
    ["JSON null", "null"],
    ["an empty array", "[]"],
    ["a method that is not a string", '[42, "s-1"]'],
    ["a method that is null", '[null]'],
  ];
  for (const [what, body] of notArray) {
    test(`${what} → 400 INVALID_REQUEST`, async () => {
      expectErrorResponse(await ns.client.raw(body), 400, "INVALID_REQUEST");
    });
  }

  test("an unknown method → 404 METHOD_NOT_FOUND", async () => {
    const err = expectErrorResponse(await ns.client.raw(["stream.delete", "s-1"]), 404, "METHOD_NOT_FOUND");
    expect(err.message).toContain("stream.delete");
    expectErrorResponse(await ns.client.raw(["nope"]), 404, "METHOD_NOT_FOUND");
    expectErrorResponse(await ns.client.raw(["Stream.Write", "s-1", { type: "A", data: {} }]), 404, "METHOD_NOT_FOUND");
  });

  test("a request body over 1 MiB → 413 PAYLOAD_TOO_LARGE", async () => {
    const body = JSON.stringify(["stream.write", "big-1", { type: "Big", data: { blob: "x".repeat((1 << 20) + 1024) } }]);
    let res;
    try {
      res = await ns.client.raw(body);
    } catch (e) {
      throw new Error(`the server dropped the connection instead of answering 413: ${e}`);
    }
    expectErrorResponse(res, 413, "PAYLOAD_TOO_LARGE");
    expect(await ns.client.getStreamVersion("big-1")).toBeNull();
  });

  test("a message over 1 MiB in a batch whose body is over 1 MiB → 413 PAYLOAD_TOO_LARGE", async () => {
    const half = "y".repeat(600 * 1024);
    const body = JSON.stringify(["stream.write", "big-2", [{ type: "A", data: { half } }, { type: "B", data: { half } }]]);
    expectErrorResponse(await ns.client.raw(body), 413, "PAYLOAD_TOO_LARGE");
    expect(await ns.client.getStreamVersion("big-2")).toBeNull();
  });

  test("the server keeps serving after bad requests", async () => {
    const h = await fetch(`${URL}/health`);
    expect(h.status).toBe(200);
    expect(await admin.version()).toBeString();
  });
});

describe("stream.write bad input → 400 INVALID_REQUEST naming the argument", () => {
  const msg = { type: "A", data: {} };
  const cases: [string, unknown[], string?][] = [
    ["no arguments", ["stream.write"]],
    ["no message", ["stream.write", "bad-1"]],
    ["too many arguments", ["stream.write", "bad-1", msg, {}, {}]],
    ["stream name not a string", ["stream.write", 123, msg]],
    ["stream name null", ["stream.write", null, msg]],
    ["empty stream name", ["stream.write", "", msg], "stream"],
    ["256-byte stream name", ["stream.write", "x".repeat(256), msg], "stream"],
    ["256-byte UTF-8 stream name (128 × é)", ["stream.write", "é".repeat(128), msg], "stream"],
    ["stream name with a control character", ["stream.write", "a\u0001b-1", msg], "stream"],
    ["stream name with a newline", ["stream.write", "a-1\n", msg], "stream"],
    ["stream name with DEL", ["stream.write", "a-1\u007f", msg], "stream"],
    ["message not an object", ["stream.write", "bad-1", "hello"]],
    ["message null", ["stream.write", "bad-1", null]],
    ["missing type", ["stream.write", "bad-1", { data: {} }], "type"],
    ["empty type", ["stream.write", "bad-1", { type: "", data: {} }], "type"],
    ["type not a string", ["stream.write", "bad-1", { type: 5, data: {} }], "type"],
    ["type null", ["stream.write", "bad-1", { type: null, data: {} }], "type"],
    ["missing data", ["stream.write", "bad-1", { type: "A" }], "data"],
    ["data null", ["stream.write", "bad-1", { type: "A", data: null }], "data"],
    ["data an array", ["stream.write", "bad-1", { type: "A", data: [1, 2] }], "data"],
    ["data a string", ["stream.write", "bad-1", { type: "A", data: "{}" }], "data"],
    ["data a number", ["stream.write", "bad-1", { type: "A", data: 1 }], "data"],
    ["metadata an array", ["stream.write", "bad-1", { type: "A", data: {}, metadata: [] }], "metadata"],
    ["metadata a string", ["stream.write", "bad-1", { type: "A", data: {}, metadata: "m" }], "metadata"],
    ["metadata a number", ["stream.write", "bad-1", { type: "A", data: {}, metadata: 3 }], "metadata"],
    ["options not an object", ["stream.write", "bad-1", msg, "opts"]],
    ["options an array", ["stream.write", "bad-1", msg, [1]]],
    ["malformed UUID id", ["stream.write", "bad-1", msg, { id: "not-a-uuid" }], "id"],
    ["UUID id with a missing digit", ["stream.write", "bad-1", msg, { id: "123e4567-e89b-12d3-a456-42661417400" }], "id"],
    ["UUID id with a non-hex digit", ["stream.write", "bad-1", msg, { id: "123e4567-e89b-12d3-a456-42661417400g" }], "id"],
    ["empty id", ["stream.write", "bad-1", msg, { id: "" }], "id"],
    ["id not a string", ["stream.write", "bad-1", msg, { id: 12345 }], "id"],
    ["expectedVersion a string", ["stream.write", "bad-1", msg, { expectedVersion: "0" }], "expectedVersion"],
    ["expectedVersion a fraction", ["stream.write", "bad-1", msg, { expectedVersion: 0.5 }], "expectedVersion"],
    ["expectedVersion below -1", ["stream.write", "bad-1", msg, { expectedVersion: -2 }], "expectedVersion"],
    ["array element not an object", ["stream.write", "bad-1", [msg, 5]]],
    ["array element missing type", ["stream.write", "bad-1", [msg, { data: {} }]], "type"],
    ["array element with a malformed id", ["stream.write", "bad-1", [{ ...msg, id: "nope" }]], "id"],
  ];
  for (const [what, call, names] of cases) {
    test(what, async () => {
      const err = await expectRpcError(ns.client, call, 400, "INVALID_REQUEST");
      if (names) expect(err.message.toLowerCase()).toContain(names.toLowerCase());
    });
  }

  test("nothing was written by the bad requests", async () => {
    // every bad write above targets bad-1 (or a bad name): none of them may have stored anything
    expect(await ns.client.getStream("bad-1")).toEqual([]);
    expect(await ns.client.getStreamVersion("x".repeat(255))).toBeNull();
  });

  test("the same id twice in one batch → 400 INVALID_REQUEST or 409 DUPLICATE_MESSAGE_ID, never two copies", async () => {
    const id = crypto.randomUUID();
    const res = await ns.client.raw(["stream.write", "dupbatch-1", [{ type: "A", data: {}, id }, { type: "A", data: {}, id }]]);
    expect([400, 409]).toContain(res.status);
    expect(await ns.client.getStreamVersion("dupbatch-1")).toBeNull();
  });
});

describe("stream.get bad input → 400 INVALID_REQUEST", () => {
  const cases: [string, unknown[], string?][] = [
    ["no stream name", ["stream.get"]],
    ["stream name not a string", ["stream.get", 5]],
    ["empty stream name", ["stream.get", ""]],
    ["256-byte stream name", ["stream.get", "s".repeat(256)]],
    ["too many arguments", ["stream.get", "s-1", {}, {}]],
    ["options not an object", ["stream.get", "s-1", 10]],
    ["position a string", ["stream.get", "s-1", { position: "0" }], "position"],
    ["globalPosition a string", ["stream.get", "s-1", { globalPosition: "1" }], "globalPosition"],
    ["batchSize -2", ["stream.get", "s-1", { batchSize: -2 }], "batchSize"],
    ["batchSize -100", ["stream.get", "s-1", { batchSize: -100 }], "batchSize"],
    ["batchSize 10001", ["stream.get", "s-1", { batchSize: 10001 }], "batchSize"],
    ["batchSize a string", ["stream.get", "s-1", { batchSize: "10" }], "batchSize"],
    ["batchSize a fraction", ["stream.get", "s-1", { batchSize: 1.5 }], "batchSize"],
  ];
  for (const [what, call, names] of cases) {
    test(what, async () => {
      const err = await expectRpcError(ns.client, call, 400, "INVALID_REQUEST");
      if (names) expect(err.message).toContain(names);
    });
  }
});
