// Tokens, authentication, authorization and namespace isolation (PROTOCOL.md §5).
import { afterAll, describe, expect, test } from "bun:test";
import { EventoDBClient, makeToken, tokenNamespace } from "../client";
import {
  ADMIN_TOKEN,
  admin,
  cleanupNamespaces,
  expectErrorResponse,
  expectRpcError,
  freshNamespace,
  NEEDS_AUTH,
  TEST_MODE,
  TOKEN_RE,
  uniq,
  URL,
} from "./support";

afterAll(cleanupNamespaces);

const authOnly = test.skipIf(TEST_MODE);
const label = (s: string) => (TEST_MODE ? `${s} ${NEEDS_AUTH}` : s);

describe("token format", () => {
  test("ns.create tokens are ns_<base64url(namespace), no padding>_<64 lowercase hex>", async () => {
    // ids whose base64 would need padding or contain '-' / '_' in base64url
    for (const base of ["a", "ab", "abc", "x-y_z", "n0"]) {
      const id = uniq(`${base}-`);
      const { token } = await admin.createNamespace(id);
      expect(token).toMatch(TOKEN_RE);
      const encoded = token.slice(3, token.length - 65);
      expect(encoded).not.toContain("=");
      expect(encoded).toBe(Buffer.from(id).toString("base64url"));
      expect(tokenNamespace(token)).toBe(id);
      await admin.deleteNamespace(id);
    }
  });

  authOnly(label("the admin token is a token of the default namespace"), () => {
    expect(ADMIN_TOKEN!).toMatch(TOKEN_RE);
    expect(tokenNamespace(ADMIN_TOKEN!)).toBe("default");
  });
});

describe("authentication", () => {
  authOnly(label("no token on /rpc → 401 AUTH_REQUIRED"), async () => {
    const anon = new EventoDBClient(URL);
    for (const call of [["stream.get", "s-1"], ["stream.write", "s-1", { type: "A", data: {} }], ["ns.list"], ["sys.version"]]) {
      expectErrorResponse(await anon.raw(call), 401, "AUTH_REQUIRED");
    }
  });

  authOnly(label("an empty Bearer token → 401 (AUTH_REQUIRED or AUTH_INVALID)"), async () => {
    const res = await new EventoDBClient(URL).raw(["stream.get", "s-1"], { Authorization: "Bearer " });
    expect(res.status).toBe(401);
    expect(["AUTH_REQUIRED", "AUTH_INVALID"]).toContain((res.json as { error: { code: string } }).error.code);
  });

  const badTokens: [string, () => string][] = [
    ["garbage", () => "garbage"],
    ["a token with a short secret", () => `ns_${Buffer.from("default").toString("base64url")}_abc123`],
    ["a token with uppercase hex", () => makeToken("default").replace(/_([0-9a-f]{64})$/, (_, h: string) => `_${h.toUpperCase()}`)],
    ["a token with a wrong prefix", () => makeToken("default").replace(/^ns_/, "tk_")],
  ];
  for (const [what, make] of badTokens) {
    test(`${what} → 401 AUTH_INVALID`, async () => {
      const c = new EventoDBClient(URL, { token: make() });
      expectErrorResponse(await c.raw(["stream.get", "s-1"]), 401, "AUTH_INVALID");
    });
  }

  test("a well-formed token of the default namespace with the wrong secret → 401 AUTH_INVALID", async () => {
    const c = new EventoDBClient(URL, { token: makeToken("default") });
    expectErrorResponse(await c.raw(["ns.list"]), 401, "AUTH_INVALID");
    expectErrorResponse(await c.raw(["stream.get", "s-1"]), 401, "AUTH_INVALID");
  });

  test("a well-formed token of an existing namespace with the wrong secret → 401 AUTH_INVALID", async () => {
    const { id, client } = await freshNamespace("wrongsecret");
    await client.writeMessage("s-1", { type: "A", data: {} }); // exists now, also in test mode
    const c = new EventoDBClient(URL, { token: makeToken(id) });
    expectErrorResponse(await c.raw(["stream.get", "s-1"]), 401, "AUTH_INVALID");
  });

  authOnly(label("a well-formed token of an unknown namespace → 401 AUTH_INVALID"), async () => {
    const c = new EventoDBClient(URL, { token: makeToken(uniq("ghost-")) });
    expectErrorResponse(await c.raw(["stream.get", "s-1"]), 401, "AUTH_INVALID");
  });

  test("the Bearer scheme is case-insensitive per RFC 7235 (bearer)", async () => {
    const { client, token } = await freshNamespace("bearer");
    await client.writeMessage("s-1", { type: "A", data: {} });
    const res = await new EventoDBClient(URL).raw(["stream.version", "s-1"], { Authorization: `bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.json).toBe(0);
  });
});

describe("authorization", () => {
  const adminOnly: [string, (other: string) => unknown[]][] = [
    ["ns.create", () => ["ns.create", uniq("forbidden-")]],
    ["ns.delete", (other) => ["ns.delete", other]],
    ["ns.delete of default", () => ["ns.delete", "default"]],
    ["ns.list", () => ["ns.list"]],
    ["ns.info of another namespace", (other) => ["ns.info", other]],
    ["ns.info of default", () => ["ns.info", "default"]],
  ];
  for (const [what, call] of adminOnly) {
    test(`a namespace token doing ${what} → 403 AUTH_FORBIDDEN`, async () => {
      const mine = await freshNamespace("mine");
      const other = await freshNamespace("other");
      await mine.client.writeMessage("s-1", { type: "A", data: {} }); // make sure it exists (test mode)
      await other.client.writeMessage("s-1", { type: "A", data: {} });
      expectErrorResponse(await mine.client.raw(call(other.id)), 403, "AUTH_FORBIDDEN");
      // nothing happened to the other namespace
      expect((await admin.getNamespaceInfo(other.id)).messageCount).toBe(1);
    });
  }

  test("a namespace token may use ns.info, ns.streams and ns.categories of its own namespace", async () => {
    const { client, id } = await freshNamespace("own");
    await client.writeMessage("own-1", { type: "A", data: {} });
    expect((await client.getNamespaceInfo(id)).namespace).toBe(id);
    expect((await client.listStreams()).map((s) => s.stream)).toEqual(["own-1"]);
    expect((await client.listCategories()).map((c) => c.category)).toEqual(["own"]);
  });

  test("the admin token may manage namespaces", async () => {
    const id = uniq("adm-");
    await admin.createNamespace(id);
    expect((await admin.getNamespaceInfo(id)).namespace).toBe(id);
    expect((await admin.listNamespaces()).some((n) => n.namespace === id)).toBe(true);
    await admin.deleteNamespace(id);
  });
});

describe("namespace isolation", () => {
  test("streams, versions, categories, ids and global positions are per namespace", async () => {
    const a = await freshNamespace("isoa");
    const b = await freshNamespace("isob");
    const id = crypto.randomUUID();
    const ra = await a.client.writeMessage("acct-1", { type: "A", data: { ns: "a" } }, { id });
    await a.client.writeMessage("acct-1", { type: "A", data: { ns: "a" } });
    expect(ra.globalPosition).toBe(1);
    expect(await b.client.getStreamVersion("acct-1")).toBeNull();
    expect(await b.client.getStream("acct-1")).toEqual([]);
    expect(await b.client.getCategory("acct")).toEqual([]);
    expect(await b.client.getLastMessage("acct-1")).toBeNull();
    expect(await b.client.listStreams()).toEqual([]);
    const rb = await b.client.writeMessage("acct-1", { type: "B", data: { ns: "b" } }, { id });
    expect(rb).toMatchObject({ position: 0, globalPosition: 1 });
    expect((await a.client.getStream("acct-1")).map((m) => m[4])).toEqual([{ ns: "a" }, { ns: "a" }]);
    expect((await b.client.getStream("acct-1")).map((m) => m[4])).toEqual([{ ns: "b" }]);
  });

  authOnly(label("the admin token reads and writes the default namespace"), async () => {
    const stream = uniq("adminstream-");
    await admin.writeMessage(stream, { type: "A", data: {} });
    expect(await admin.getStreamVersion(stream)).toBe(0);
    const info = await admin.getNamespaceInfo("default");
    expect(info.messageCount).toBeGreaterThanOrEqual(1);
  });
});
