// What a hostile or careless client must not be able to do (SECURITY.md):
// keep access to a deleted namespace, hold connections without a token, grow
// the server's memory with its data, or get anything but a clear 4xx for bad
// input. Memory checks read the server's RSS from /proc and need
// EVENTODB_SERVER_PID; the connection check needs the server's read timeout in
// EVENTODB_EXPECT_READ_TIMEOUT (seconds). run.sh sets both.
import { afterAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { readFileSync } from "node:fs";
import { makeToken } from "../client";
import { admin, cleanupNamespaces, expectErrorResponse, freshNamespace, uniq, URL } from "./support";

afterAll(cleanupNamespaces);

const SERVER_PID = process.env.EVENTODB_SERVER_PID;
const READ_TIMEOUT = Number(process.env.EVENTODB_EXPECT_READ_TIMEOUT ?? 0);

/** Reads the lines of an SSE response until it ends or ms pass. */
async function readUntilEnd(res: Response, ms: number): Promise<{ text: string; ended: boolean }> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  const deadline = Date.now() + ms;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) {
      await reader.cancel().catch(() => {});
      return { text, ended: false };
    }
    const next = await Promise.race([reader.read(), Bun.sleep(left).then(() => "timeout" as const)]);
    if (next === "timeout") continue;
    if (next.done) return { text, ended: true };
    text += next.value;
  }
}

describe("deleting a namespace ends what its token was granted", () => {
  test("an open subscription hears NAMESPACE_NOT_FOUND and ends; nothing of the re-created namespace reaches it", async () => {
    const id = uniq("del-").slice(0, 50);
    const token = makeToken(id);
    await admin.createNamespace(id, { token });
    const tenant = admin.withToken(token);
    await tenant.writeMessage("acct-1", { type: "Old", data: {} });

    const controller = new AbortController();
    const res = await fetch(`${URL}/subscribe?category=acct&token=${token}`, { signal: controller.signal });
    expect(res.status).toBe(200);
    await admin.deleteNamespace(id);
    await admin.createNamespace(id, { token }); // same id, same token: a new registration
    await tenant.writeMessage("acct-2", { type: "New", data: {} });

    const { text, ended } = await readUntilEnd(res, 5000);
    controller.abort();
    expect(ended, `the subscription was still open 5 s after the delete: ${text}`).toBe(true);
    expect(text).toContain("event: error");
    expect(text).toContain("NAMESPACE_NOT_FOUND");
    expect(text).not.toContain("acct-2");
    await admin.deleteNamespace(id);
  });
});

describe("bad input is a clear 4xx in the error envelope", () => {
  test("an unknown route → 404 METHOD_NOT_FOUND", async () => {
    for (const path of ["/nope", "/rpc/extra", "/subscribe/x"]) {
      const res = await fetch(`${URL}${path}`);
      const text = await res.text();
      expectErrorResponse({ status: res.status, headers: res.headers, text, json: JSON.parse(text) }, 404, "METHOD_NOT_FOUND");
    }
  });

  test("a wrong HTTP method → 405 with Allow, in the envelope", async () => {
    for (const [method, path, allow] of [["GET", "/rpc", "POST"], ["POST", "/subscribe", "GET"], ["DELETE", "/import", "POST"]] as const) {
      const res = await fetch(`${URL}${path}`, { method });
      const text = await res.text();
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe(allow);
      expectErrorResponse({ status: res.status, headers: res.headers, text, json: JSON.parse(text) }, 405, "METHOD_NOT_FOUND");
    }
  });

  test("Last-Event-ID beyond the largest position → 400, not an error event", async () => {
    const { token } = await freshNamespace("lei");
    for (const id of ["9223372036854775807", "9007199254740992", "99999999999999999999"]) {
      const res = await fetch(`${URL}/subscribe?all=true&token=${token}`, { headers: { "Last-Event-ID": id } });
      const text = await res.text();
      expectErrorResponse({ status: res.status, headers: res.headers, text, json: JSON.parse(text) }, 400, "INVALID_REQUEST");
    }
  });

  test("a correlationStreamName longer than a stream name → 400 on every backend", async () => {
    const { client } = await freshNamespace("corr");
    const res = await client.raw(["stream.write", "c-1", { type: "T", data: {}, metadata: { correlationStreamName: `w${"x".repeat(3000)}-1` } }]);
    const err = expectErrorResponse(res, 400, "INVALID_REQUEST");
    expect(err.message).toContain("correlationStreamName");
    expect(await client.getCategory("c")).toEqual([]);
  });
});

describe.skipIf(!READ_TIMEOUT)("connections without a valid token cannot be held open", () => {
  for (const path of ["/rpc", "/import", "/subscribe"]) {
    test(`${path}: a body that never comes is closed within the read timeout`, async () => {
      const u = new globalThis.URL(URL);
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve, reject) => {
        const sock = connect(Number(u.port), u.hostname, () => {
          sock.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer not-a-token\r\nContent-Length: 5000\r\n\r\n`);
        });
        sock.on("data", () => {});
        sock.on("close", () => resolve(Date.now() - started));
        sock.on("error", () => {});
        setTimeout(() => reject(new Error("still open")), (READ_TIMEOUT + 10) * 1000);
      });
      expect(closedAfter).toBeLessThan((READ_TIMEOUT + 3) * 1000);
    }, (READ_TIMEOUT + 15) * 1000);
  }
});

/** The server's resident set size in MB. */
function rssMB(): number {
  const status = readFileSync(`/proc/${SERVER_PID}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Runs f while sampling RSS every 10 ms; returns the peak growth in MB. */
async function peakGrowth(f: () => Promise<unknown>): Promise<number> {
  Bun.gc(true);
  const base = rssMB();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, rssMB())), 10);
  try {
    await f();
  } finally {
    clearInterval(timer);
  }
  peak = Math.max(peak, rssMB());
  return peak - base;
}

describe.skipIf(!SERVER_PID)("memory is bounded by configuration, not by the data", () => {
  test("four unlimited category reads over 40 × 1 MB messages: within +200 MB; ten subscribers: within +60 MB", async () => {
    const { client, token } = await freshNamespace("mem");
    const big = "x".repeat(1_000_000);
    for (let i = 0; i < 40; i++) await client.writeMessage(`big-${i}`, { type: "Big", data: { pad: big } });

    const reads = await peakGrowth(() =>
      Promise.all(
        Array.from({ length: 4 }, async () => {
          const res = await client.raw(["category.get", "big", { batchSize: -1 }]);
          expect(res.status).toBe(200);
          expect((res.json as unknown[]).length).toBe(40);
        }),
      ),
    );
    console.log(`four unlimited reads of 40 MB: server RSS grew ${reads.toFixed(0)} MB at its peak`);
    expect(reads).toBeLessThan(200);

    const subs = await peakGrowth(async () => {
      const controllers = Array.from({ length: 10 }, () => new AbortController());
      const streams = await Promise.all(
        controllers.map((c) => fetch(`${URL}/subscribe?category=big&token=${token}`, { signal: c.signal })),
      );
      await Promise.all(
        streams.map(async (res) => {
          const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
          let seen = "";
          while (!seen.includes('"globalPosition":40}') && !seen.includes(`"big-39"`)) {
            const { value, done } = await reader.read();
            if (done) break;
            seen += value;
          }
          await reader.cancel();
        }),
      );
      for (const c of controllers) c.abort();
    });
    console.log(`ten subscribers over the same 40 MB: server RSS grew ${subs.toFixed(0)} MB at its peak`);
    expect(subs).toBeLessThan(60);
  }, 120_000);
});
