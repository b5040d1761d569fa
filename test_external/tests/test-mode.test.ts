// Test mode (PROTOCOL.md §5): optional auth, default namespace, auto-created
// namespaces, and the X-EventoDB-Token response header.
import { afterAll, describe, expect, test } from "bun:test";
import { EventoDBClient, makeToken, tokenNamespace } from "../client";
import { admin, cleanupNamespaces, expectOk, NEEDS_TEST_MODE, TEST_MODE, TOKEN_RE, uniq, URL } from "./support";

const created: string[] = [];
afterAll(async () => {
  await cleanupNamespaces();
  await Promise.all(created.map((id) => admin.deleteNamespace(id).catch(() => undefined)));
});

const testModeOnly = test.skipIf(!TEST_MODE);
const label = (s: string) => (TEST_MODE ? s : `${s} ${NEEDS_TEST_MODE}`);

describe("test mode", () => {
  testModeOnly(label("a request without a token uses the default namespace and says so in X-EventoDB-Token"), async () => {
    const anon = new EventoDBClient(URL);
    const stream = uniq("anon-");
    const res = await anon.raw(["stream.write", stream, { type: "A", data: {} }]);
    expect(res.status).toBe(200);
    const token = res.headers.get("X-EventoDB-Token");
    expect(token).not.toBeNull();
    expect(token!).toMatch(TOKEN_RE);
    expect(tokenNamespace(token!)).toBe("default");
    // the header's token reaches the same namespace and is the admin token
    const viaToken = new EventoDBClient(URL, { token: token! });
    expect(await viaToken.getStreamVersion(stream)).toBe(0);
    const list = await viaToken.listNamespaces();
    expect(list.some((n) => n.namespace === "default")).toBe(true);
  });

  testModeOnly(label("X-EventoDB-Token is on error responses and read-only calls too"), async () => {
    const anon = new EventoDBClient(URL);
    const ok = await anon.raw(["stream.version", uniq("x-")]);
    expect(ok.headers.get("X-EventoDB-Token") ?? "").toMatch(TOKEN_RE);
    const bad = await anon.raw(["stream.get", ""]);
    expect(bad.status).toBe(400);
    expect(bad.headers.get("X-EventoDB-Token") ?? "").toMatch(TOKEN_RE);
  });

  testModeOnly(label("a token for an unknown namespace creates it on first use"), async () => {
    const id = uniq("auto-");
    created.push(id);
    const token = makeToken(id);
    const c = new EventoDBClient(URL, { token });
    const res = await c.raw(["stream.write", "acct-1", { type: "A", data: { hello: 1 } }]);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ position: 0, globalPosition: 1 });
    expect(res.headers.get("X-EventoDB-Token")).toBe(token);
    const info = await admin.getNamespaceInfo(id);
    expect(info.namespace).toBe(id);
    expect(info.messageCount).toBe(1);
    expect((await admin.listNamespaces()).some((n) => n.namespace === id)).toBe(true);
    // the same token keeps working and sees the data
    expect(await c.getStreamVersion("acct-1")).toBe(0);
  });

  testModeOnly(label("the auto-created namespace belongs to that token: another secret for it is refused"), async () => {
    const id = uniq("owned-");
    created.push(id);
    await new EventoDBClient(URL, { token: makeToken(id) }).writeMessage("s-1", { type: "A", data: {} });
    const res = await new EventoDBClient(URL, { token: makeToken(id) }).raw(["stream.version", "s-1"]);
    expect(res.status).toBe(401);
  });

  testModeOnly(label("a namespace's first read (not only a write) also creates it"), async () => {
    const id = uniq("readfirst-");
    created.push(id);
    const c = new EventoDBClient(URL, { token: makeToken(id) });
    expect(await expectOk(c, ["stream.get", "s-1"])).toEqual([]);
    expect((await admin.getNamespaceInfo(id)).messageCount).toBe(0);
  });

  testModeOnly(label("ns.create works without a token (the default namespace is the admin)"), async () => {
    const id = uniq("nstok-");
    created.push(id);
    const anon = new EventoDBClient(URL);
    const res = await anon.createNamespace(id);
    expect(res.token).toMatch(TOKEN_RE);
    expect(anon.lastResponseToken ?? "").toMatch(TOKEN_RE);
  });

  test.skipIf(TEST_MODE)(`outside test mode responses need not carry X-EventoDB-Token, but a request without a token is refused ${TEST_MODE ? "[runs only outside test mode]" : ""}`, async () => {
    const res = await new EventoDBClient(URL).raw(["stream.version", "s-1"]);
    expect(res.status).toBe(401);
  });
});
