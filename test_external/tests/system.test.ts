// sys.version, sys.health, GET /health, GET /version, GET /metrics (PROTOCOL.md §2, §5).
import { describe, expect, test } from "bun:test";
import { admin, EXPECT_BACKEND, expectOk, expectRpcError, SEMVER_RE, URL } from "./support";

describe("sys.version", () => {
  test("is a semver string equal to GET /version", async () => {
    const v = await expectOk<unknown>(admin, ["sys.version"]);
    expect(typeof v).toBe("string");
    expect(v).toMatch(SEMVER_RE);
    const res = await fetch(`${URL}/version`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ version: v });
  });

  test("extra arguments → 400 INVALID_REQUEST", async () => {
    await expectRpcError(admin, ["sys.version", "x"], 400, "INVALID_REQUEST");
  });
});

describe("sys.health", () => {
  test("→ {status: 'ok', backend: 'sqlite'|'postgres', connections: n}", async () => {
    const h = await expectOk<Record<string, unknown>>(admin, ["sys.health"]);
    expect(h.status).toBe("ok");
    expect(["sqlite", "postgres"]).toContain(h.backend as string);
    if (EXPECT_BACKEND) expect(h.backend).toBe(EXPECT_BACKEND);
    expect(Number.isInteger(h.connections)).toBe(true);
    expect(h.connections as number).toBeGreaterThanOrEqual(0);
  });

  test("has exactly the documented keys (status, backend, connections)", async () => {
    const h = await expectOk<Record<string, unknown>>(admin, ["sys.health"]);
    expect(Object.keys(h).sort()).toEqual(["backend", "connections", "status"]);
  });

  test("extra arguments → 400 INVALID_REQUEST", async () => {
    await expectRpcError(admin, ["sys.health", {}, 1], 400, "INVALID_REQUEST");
  });
});

describe("plain endpoints", () => {
  test("GET /health → 200 {status: 'ok'} without a token", async () => {
    const res = await fetch(`${URL}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type") ?? "").toContain("application/json");
    expect(await res.json()).toEqual({ status: "ok" });
  });

  test("GET /version → 200 {version: semver} without a token", async () => {
    const res = await fetch(`${URL}/version`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type") ?? "").toContain("application/json");
    const body = (await res.json()) as { version: string };
    expect(Object.keys(body)).toEqual(["version"]);
    expect(body.version).toMatch(SEMVER_RE);
  });

  test("GET /metrics → Prometheus text format", async () => {
    // make sure there is at least one RPC to count
    await admin.rpc("sys.version");
    const res = await fetch(`${URL}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type") ?? "").toContain("text/plain");
    const text = await res.text();
    expect(text).toMatch(/^# HELP \S+ /m);
    expect(text).toMatch(/^# TYPE \S+ (counter|gauge|histogram|summary|untyped)$/m);
    // every sample line is `name{labels} value`
    const samples = text.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    expect(samples.length).toBeGreaterThan(0);
    for (const l of samples) expect(l).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+]?([0-9.eE+-]+|NaN|Inf|\+Inf|-Inf)( \d+)?$/);
    // the guide's dashboard queries name these metric families
    expect(text).toContain("eventodb_requests_total");
    expect(text).toContain("eventodb_request_duration_seconds");
  });
});
