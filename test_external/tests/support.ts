// Shared set-up for the conformance tests: server address, mode, fresh
// namespaces, and strict assertions on the error envelope (PROTOCOL.md §2, §5).
//
// Environment:
//   EVENTODB_URL            server address (default http://localhost:8080)
//   EVENTODB_TOKEN          admin (default-namespace) token; unset = the server runs --test-mode
//   EVENTODB_BACKEND        "sqlite" or "postgres": the backend sys.health must report (optional)
import { createHash } from "node:crypto";
import { expect } from "bun:test";
import { EventoDBClient, makeToken, type RawResponse } from "../client";

export const URL = (process.env.EVENTODB_URL ?? "http://localhost:8080").replace(/\/+$/, "");
export const ADMIN_TOKEN = process.env.EVENTODB_TOKEN || undefined;
/** Without an admin token the suite assumes the server runs with --test-mode. */
export const TEST_MODE = ADMIN_TOKEN === undefined;
export const EXPECT_BACKEND = process.env.EVENTODB_BACKEND || undefined;

/** Reasons printed in the names of tests that one mode cannot run. */
export const NEEDS_AUTH = "[skipped in test mode: auth is optional there; run with EVENTODB_TOKEN against a server without --test-mode]";
export const NEEDS_TEST_MODE = "[skipped: needs a server started with --test-mode and EVENTODB_TOKEN unset]";

export const TIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const TOKEN_RE = /^ns_[A-Za-z0-9_-]+_[0-9a-f]{64}$/;
export const SEMVER_RE = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The admin client: EVENTODB_TOKEN, or no token (test mode: default namespace). */
export const admin = new EventoDBClient(URL, { token: ADMIN_TOKEN, retryRateLimited: true });

let counter = 0;
/** A name unique to this run: prefix + time + counter + random. */
export function uniq(prefix: string): string {
  counter += 1;
  const rand = Math.random().toString(36).slice(2, 8);
  return `${prefix}${Date.now().toString(36)}${counter.toString(36)}${rand}`;
}

export interface TestNamespace {
  id: string;
  token: string;
  client: EventoDBClient;
}

const created: string[] = [];

/**
 * A namespace of its own for one test. In test mode a fresh token creates it on
 * first use; otherwise the admin token creates it with ns.create.
 */
export async function freshNamespace(label = "t"): Promise<TestNamespace> {
  const id = uniq(`${label.replace(/[^A-Za-z0-9]/g, "").slice(0, 12) || "t"}-`).slice(0, 56);
  let token: string;
  if (TEST_MODE) {
    token = makeToken(id);
  } else {
    const res = await admin.createNamespace(id, { description: `conformance test ${label}` });
    token = res.token;
  }
  created.push(id);
  // Typed calls retry 429 RATE_LIMITED (bursty tests must not trip the per-token
  // limit); raw calls, which the status and error-code checks use, never do.
  return { id, token, client: new EventoDBClient(URL, { token, retryRateLimited: true }) };
}

/** Deletes the namespaces this process created (best effort). */
export async function cleanupNamespaces(): Promise<void> {
  const ids = created.splice(0);
  await Promise.all(ids.map((id) => admin.deleteNamespace(id).catch(() => undefined)));
}

/** A raw RPC with the client's token. */
export function rawRpc(client: EventoDBClient, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return client.raw(body, headers);
}

export interface WireError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * Asserts that res is the error envelope {"error": {"code", "message", "details"?}}
 * with the given HTTP status and code, and returns the error object.
 */
export function expectErrorResponse(res: RawResponse, status: number, code: string): WireError {
  const summary = `HTTP ${res.status} ${res.text.slice(0, 300)}`;
  expect({ status: res.status, code: errorCode(res) }, summary).toEqual({ status, code });
  expect(res.headers.get("content-type") ?? "", summary).toContain("application/json");
  const body = res.json as { error: WireError };
  expect(typeof body.error.message, "error.message must be a string").toBe("string");
  expect(body.error.message.length, "error.message must not be empty").toBeGreaterThan(0);
  if (body.error.details !== undefined && body.error.details !== null) {
    expect(typeof body.error.details, "error.details must be an object").toBe("object");
    expect(Array.isArray(body.error.details)).toBe(false);
  }
  return body.error;
}

function errorCode(res: RawResponse): unknown {
  const body = res.json as { error?: { code?: unknown } } | undefined;
  if (!body || typeof body !== "object" || !body.error || typeof body.error !== "object") return "<no error envelope>";
  return body.error.code;
}

/** Calls [method, ...args] and asserts the error status and code. */
export async function expectRpcError(
  client: EventoDBClient,
  call: unknown[],
  status: number,
  code: string,
): Promise<WireError> {
  return expectErrorResponse(await client.raw(call), status, code);
}

/** Calls [method, ...args] and asserts HTTP 200; returns the parsed result. */
export async function expectOk<T = unknown>(client: EventoDBClient, call: unknown[]): Promise<T> {
  const res = await client.raw(call);
  expect(res.status, `HTTP ${res.status} ${res.text.slice(0, 300)}`).toBe(200);
  return res.json as T;
}

/** Message DB's hash_64: first 16 hex digits of md5 as a signed big-endian int64. */
export function hash64(s: string): bigint {
  const hex = createHash("md5").update(s, "utf8").digest("hex").slice(0, 16);
  return BigInt.asIntN(64, BigInt(`0x${hex}`));
}

/** The consumer-group member of a stream: abs(hash64(cardinal id or name)) mod size. */
export function memberOf(streamName: string, size: number): number {
  const dash = streamName.indexOf("-");
  let key = streamName;
  if (dash >= 0) {
    const id = streamName.slice(dash + 1);
    const plus = id.indexOf("+");
    key = plus >= 0 ? id.slice(0, plus) : id;
    if (key === "") key = streamName;
  }
  let h = hash64(key);
  if (h < 0n) h = -h;
  return Number(h % BigInt(size));
}

/** n simple messages of type t. */
export function messages(n: number, t = "Event", extra: (i: number) => Record<string, unknown> = () => ({})) {
  return Array.from({ length: n }, (_, i) => ({ type: t, data: { i, ...extra(i) } }));
}
