// Request-rate limit (PROTOCOL.md §5): it exists but is off by default, because a
// database server must not cap one application's throughput unless its
// operator asks. These servers run with the default, so nothing is limited.
import { afterAll, expect, test } from "bun:test";
import { cleanupNamespaces, freshNamespace } from "./support";

afterAll(cleanupNamespaces);

test("no per-token rate limit by default: thousands of requests/s on one token are all served", async () => {
  const { client } = await freshNamespace("rate");
  await client.writeMessage("s-1", { type: "A", data: {} });
  const total = 3000;
  const workers = 64;
  let next = 0;
  const statuses = new Map<number, number>();
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < total) {
        next++;
        const res = await client.raw(["stream.version", "s-1"]);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(`rate probe: ${total} requests in ${seconds.toFixed(2)} s (${Math.round(total / seconds)}/s), statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
  expect(Object.fromEntries(statuses)).toEqual({ 200: total });
}, 60_000);
