// ns.create, ns.delete, ns.list, ns.info, ns.streams, ns.categories (PROTOCOL.md §2, §5).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { EventoDBClient, makeToken, tokenNamespace } from "../client";
import {
  admin,
  cleanupNamespaces,
  expectOk,
  expectRpcError,
  freshNamespace,
  NEEDS_AUTH,
  TEST_MODE,
  type TestNamespace,
  TIME_RE,
  TOKEN_RE,
  uniq,
  URL,
} from "./support";

afterAll(cleanupNamespaces);

const extra: string[] = [];
afterAll(async () => {
  await Promise.all(extra.map((id) => admin.deleteNamespace(id).catch(() => undefined)));
});

function nsId(label: string) {
  const id = uniq(`${label}-`);
  extra.push(id);
  return id;
}

describe("ns.create", () => {
  test("returns {namespace, token, createdAt}; the token has the documented format and names the namespace", async () => {
    const id = nsId("create");
    const res = await expectOk<Record<string, unknown>>(admin, ["ns.create", id, { description: "hello" }]);
    expect(Object.keys(res).sort()).toEqual(["createdAt", "namespace", "token"]);
    expect(res.namespace).toBe(id);
    expect(res.token).toMatch(TOKEN_RE);
    expect(tokenNamespace(res.token as string)).toBe(id);
    expect(res.createdAt).toMatch(TIME_RE);
    expect(Math.abs(Date.parse(res.createdAt as string) - Date.now())).toBeLessThan(5 * 60 * 1000);
  });

  test("the new token reaches its namespace, which starts empty at globalPosition 1", async () => {
    const id = nsId("use");
    const { token } = await admin.createNamespace(id);
    const c = new EventoDBClient(URL, { token });
    expect(await c.getStreamVersion("s-1")).toBeNull();
    const r = await c.writeMessage("s-1", { type: "A", data: {} });
    expect(r).toMatchObject({ position: 0, globalPosition: 1 });
  });

  test("options omitted and null are accepted; description defaults to empty", async () => {
    const a = nsId("noopt");
    const b = nsId("nullopt");
    await expectOk(admin, ["ns.create", a]);
    await expectOk(admin, ["ns.create", b, null]);
    const info = await admin.getNamespaceInfo(a);
    expect(info.description).toBe("");
  });

  test("a given token is used as the namespace's token", async () => {
    const id = nsId("tok");
    const token = makeToken(id);
    const res = await admin.createNamespace(id, { token });
    expect(res.token).toBe(token);
    const c = new EventoDBClient(URL, { token });
    expect((await c.writeMessage("s-1", { type: "A", data: {} })).position).toBe(0);
  });

  test("an existing namespace → 409 NAMESPACE_EXISTS", async () => {
    const id = nsId("exists");
    await admin.createNamespace(id);
    await expectRpcError(admin, ["ns.create", id], 409, "NAMESPACE_EXISTS");
    await expectRpcError(admin, ["ns.create", "default"], 409, "NAMESPACE_EXISTS");
  });

  const bad: [string, unknown[]][] = [
    ["no id", ["ns.create"]],
    ["empty id", ["ns.create", ""]],
    ["id not a string", ["ns.create", 5]],
    ["options not an object", ["ns.create", nsId("badopt"), "desc"]],
    ["description not a string", ["ns.create", nsId("baddesc"), { description: 5 }]],
    ["token not a string", ["ns.create", nsId("badtok"), { token: 5 }]],
    ["malformed token", ["ns.create", nsId("badtok2"), { token: "secret" }]],
    ["token of another namespace", ["ns.create", nsId("badtok3"), { token: makeToken("someone-else") }]],
    ["id with a slash", ["ns.create", "a/b"]],
  ];
  for (const [what, call] of bad) {
    test(`${what} → 400 INVALID_REQUEST`, async () => {
      await expectRpcError(admin, call, 400, "INVALID_REQUEST");
    });
  }
});

describe("ns.info and ns.list", () => {
  let ns: TestNamespace;
  beforeAll(async () => {
    ns = await freshNamespace("info");
    await ns.client.writeMessages("acct-1", [
      { type: "A", data: {} },
      { type: "B", data: {} },
    ]);
    await ns.client.writeMessage("acct-2", { type: "A", data: {} });
    await ns.client.writeMessage("other-1", { type: "A", data: {} });
  });

  test("ns.info → {namespace, description, createdAt, messageCount, streamCount, lastActivity, groupCount}", async () => {
    const info = await expectOk<Record<string, unknown>>(admin, ["ns.info", ns.id]);
    expect(Object.keys(info).sort()).toEqual(["createdAt", "description", "groupCount", "lastActivity", "messageCount", "namespace", "streamCount"]);
    expect(info.namespace).toBe(ns.id);
    expect(typeof info.description).toBe("string");
    expect(info.createdAt).toMatch(TIME_RE);
    expect(info.messageCount).toBe(4);
    expect(info.streamCount).toBe(3);
    expect(info.lastActivity).toMatch(TIME_RE);
    expect(Date.parse(info.lastActivity as string)).toBeGreaterThanOrEqual(Date.parse(info.createdAt as string) - 1000);
  });

  test("ns.info: a namespace token may read its own info", async () => {
    const info = await ns.client.getNamespaceInfo(ns.id);
    expect(info.namespace).toBe(ns.id);
    expect(info.messageCount).toBe(4);
  });

  test("ns.info of a namespace that does not exist → 404 NAMESPACE_NOT_FOUND", async () => {
    await expectRpcError(admin, ["ns.info", uniq("missing-")], 404, "NAMESPACE_NOT_FOUND");
  });

  test("ns.info keeps the description given to ns.create", async () => {
    const id = nsId("desc");
    await admin.createNamespace(id, { description: "Orders of the EU shop" });
    const info = await admin.getNamespaceInfo(id);
    expect(info.description).toBe("Orders of the EU shop");
    expect(info.messageCount).toBe(0);
    expect(info.streamCount).toBe(0);
  });

  test("ns.info bad arguments → 400 INVALID_REQUEST", async () => {
    await expectRpcError(admin, ["ns.info"], 400, "INVALID_REQUEST");
    await expectRpcError(admin, ["ns.info", 3], 400, "INVALID_REQUEST");
  });

  test("ns.list → array of {namespace, description, createdAt, messageCount} including default and this one", async () => {
    const list = await expectOk<Record<string, unknown>[]>(admin, ["ns.list"]);
    expect(Array.isArray(list)).toBe(true);
    for (const item of list) {
      expect(Object.keys(item).sort()).toEqual(["createdAt", "description", "messageCount", "namespace"]);
      expect(typeof item.namespace).toBe("string");
      expect(typeof item.description).toBe("string");
      expect(item.createdAt).toMatch(TIME_RE);
      expect(Number.isInteger(item.messageCount)).toBe(true);
    }
    expect(list.some((n) => n.namespace === "default")).toBe(true);
    const mine = list.find((n) => n.namespace === ns.id);
    expect(mine?.messageCount).toBe(4);
  });
});

describe("ns.delete", () => {
  test("→ {namespace, deletedAt, messagesDeleted}; the namespace is gone from ns.info and ns.list", async () => {
    const id = uniq("del-");
    const { token } = await admin.createNamespace(id);
    const c = new EventoDBClient(URL, { token });
    await c.writeMessages("s-1", [
      { type: "A", data: {} },
      { type: "B", data: {} },
    ]);
    await c.writeMessage("s-2", { type: "A", data: {} });
    const res = await expectOk<Record<string, unknown>>(admin, ["ns.delete", id]);
    expect(Object.keys(res).sort()).toEqual(["deletedAt", "messagesDeleted", "namespace"]);
    expect(res.namespace).toBe(id);
    expect(res.deletedAt).toMatch(TIME_RE);
    expect(res.messagesDeleted).toBe(3);
    await expectRpcError(admin, ["ns.info", id], 404, "NAMESPACE_NOT_FOUND");
    expect((await admin.listNamespaces()).some((n) => n.namespace === id)).toBe(false);
    await expectRpcError(admin, ["ns.delete", id], 404, "NAMESPACE_NOT_FOUND");
  });

  test.skipIf(TEST_MODE)(`the deleted namespace's token → 401 AUTH_INVALID ${TEST_MODE ? NEEDS_AUTH : ""}`, async () => {
    const id = uniq("deltok-");
    const { token } = await admin.createNamespace(id);
    const c = new EventoDBClient(URL, { token });
    await c.writeMessage("s-1", { type: "A", data: {} });
    await admin.deleteNamespace(id);
    await expectRpcError(c, ["stream.version", "s-1"], 401, "AUTH_INVALID");
  });

  test("a namespace can be created again after deletion, empty", async () => {
    const id = uniq("again-");
    extra.push(id);
    const first = await admin.createNamespace(id);
    await new EventoDBClient(URL, { token: first.token }).writeMessage("s-1", { type: "A", data: {} });
    await admin.deleteNamespace(id);
    const second = await admin.createNamespace(id);
    const c = new EventoDBClient(URL, { token: second.token });
    expect(await c.getStreamVersion("s-1")).toBeNull();
    expect((await c.writeMessage("s-1", { type: "A", data: {} })).globalPosition).toBe(1);
  });

  test("a namespace that does not exist → 404 NAMESPACE_NOT_FOUND", async () => {
    await expectRpcError(admin, ["ns.delete", uniq("nope-")], 404, "NAMESPACE_NOT_FOUND");
  });

  test("bad arguments → 400 INVALID_REQUEST", async () => {
    await expectRpcError(admin, ["ns.delete"], 400, "INVALID_REQUEST");
    await expectRpcError(admin, ["ns.delete", ""], 400, "INVALID_REQUEST");
    await expectRpcError(admin, ["ns.delete", 1], 400, "INVALID_REQUEST");
  });
});

describe("ns.streams", () => {
  let ns: TestNamespace;
  const names = ["acct-1", "acct-10", "acct-2", "acct", "b-1", "acct:cmd-1", "zeta-9", "accu-1"];
  beforeAll(async () => {
    ns = await freshNamespace("streams");
    for (const n of names) await ns.client.writeMessage(n, { type: "A", data: {} });
    await ns.client.writeMessages("acct-2", [
      { type: "B", data: {} },
      { type: "C", data: {} },
    ]);
  });

  test("→ array of {stream, version, lastActivity} sorted by name", async () => {
    const list = await expectOk<Record<string, unknown>[]>(ns.client, ["ns.streams"]);
    expect(list.map((s) => s.stream)).toEqual([...names].sort());
    for (const s of list) {
      expect(Object.keys(s).sort()).toEqual(["lastActivity", "stream", "version"]);
      expect(s.lastActivity).toMatch(TIME_RE);
      expect(s.version).toBe(s.stream === "acct-2" ? 2 : 0);
    }
  });

  test("options omitted, {} and null are the same; unknown keys are ignored", async () => {
    const a = await expectOk(ns.client, ["ns.streams"]);
    for (const opts of [{}, null, { newKey: 1 }]) expect(await expectOk(ns.client, ["ns.streams", opts])).toEqual(a);
  });

  test("prefix filters by name prefix", async () => {
    const list = await ns.client.listStreams({ prefix: "acct-" });
    expect(list.map((s) => s.stream)).toEqual(["acct-1", "acct-10", "acct-2"]);
    const all = await ns.client.listStreams({ prefix: "acc" });
    expect(all.map((s) => s.stream)).toEqual(["acct", "acct-1", "acct-10", "acct-2", "acct:cmd-1", "accu-1"]);
    expect(await ns.client.listStreams({ prefix: "nothing" })).toEqual([]);
  });

  test("limit and cursor page through the names (names > cursor)", async () => {
    const sorted = [...names].sort();
    expect((await ns.client.listStreams({ limit: 3 })).map((s) => s.stream)).toEqual(sorted.slice(0, 3));
    expect((await ns.client.listStreams({ cursor: sorted[2] })).map((s) => s.stream)).toEqual(sorted.slice(3));
    const seen: string[] = [];
    let cursor = "";
    for (let guard = 0; guard < 20; guard++) {
      const page = await ns.client.listStreams({ limit: 3, cursor });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(3);
      seen.push(...page.map((s) => s.stream));
      cursor = page[page.length - 1]!.stream;
    }
    expect(seen).toEqual(sorted);
    // a cursor that is not itself a stream name
    expect((await ns.client.listStreams({ cursor: "acct-15" })).map((s) => s.stream)).toEqual(sorted.filter((n) => n > "acct-15"));
    expect((await ns.client.listStreams({ prefix: "acct-", cursor: "acct-1" })).map((s) => s.stream)).toEqual(["acct-10", "acct-2"]);
  });

  test("limit defaults to 100 and allows 1000", async () => {
    const { client } = await freshNamespace("streams100");
    await Promise.all(Array.from({ length: 105 }, (_, i) => client.writeMessage(`s-${String(i).padStart(3, "0")}`, { type: "A", data: {} })));
    const first = await client.listStreams();
    expect(first.length).toBe(100);
    expect(first[0]!.stream).toBe("s-000");
    expect(first[99]!.stream).toBe("s-099");
    expect((await client.listStreams({ limit: 1000 })).length).toBe(105);
  }, 30_000);

  const bad: [string, unknown][] = [
    ["limit 1001", { limit: 1001 }],
    ["limit 0", { limit: 0 }],
    ["limit not a number", { limit: "5" }],
    ["prefix not a string", { prefix: 5 }],
    ["cursor not a string", { cursor: 5 }],
    ["options not an object", "acct"],
  ];
  for (const [what, opts] of bad) {
    test(`${what} → 400 INVALID_REQUEST`, async () => {
      await expectRpcError(ns.client, ["ns.streams", opts], 400, "INVALID_REQUEST");
    });
  }

  test("a fresh namespace has no streams", async () => {
    const { client } = await freshNamespace("nostreams");
    expect(await client.listStreams()).toEqual([]);
  });
});

describe("ns.categories", () => {
  test("→ array of {category, streamCount, messageCount} sorted by name", async () => {
    const { client } = await freshNamespace("cats");
    await client.writeMessages("acct-1", [
      { type: "A", data: {} },
      { type: "B", data: {} },
    ]);
    await client.writeMessage("acct-2", { type: "A", data: {} });
    await client.writeMessage("acct", { type: "A", data: {} });
    await client.writeMessage("zoo-1", { type: "A", data: {} });
    await client.writeMessage("acct:cmd-1", { type: "A", data: {} });
    const list = await expectOk<Record<string, unknown>[]>(client, ["ns.categories"]);
    for (const c of list) expect(Object.keys(c).sort()).toEqual(["category", "messageCount", "streamCount"]);
    expect(list).toEqual([
      { category: "acct", streamCount: 3, messageCount: 4 },
      { category: "acct:cmd", streamCount: 1, messageCount: 1 },
      { category: "zoo", streamCount: 1, messageCount: 1 },
    ]);
  });

  test("a fresh namespace has no categories", async () => {
    const { client } = await freshNamespace("nocats");
    expect(await client.listCategories()).toEqual([]);
  });

  test("too many arguments → 400 INVALID_REQUEST", async () => {
    const { client } = await freshNamespace("catsbad");
    await expectRpcError(client, ["ns.categories", {}, 1], 400, "INVALID_REQUEST");
  });
});
