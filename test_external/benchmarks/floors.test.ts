// The floors do what benchmarks/floors.ts says: durable one-row commits in a
// warm WAL, and requests answered by a trivial server in another process.
import { describe, expect, test } from "bun:test";
import { Database } from "bun:sqlite";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { FloorMeter, HttpRequestFloor, SqliteCommitFloor, WAL_WARM_COMMITS, measured } from "./floors";

describe("sqlite-commit", () => {
  test("commits one row per operation, WAL and synchronous=FULL, in a warm WAL, removed on close", () => {
    const parent = mkdtempSync(join(tmpdir(), "floor-test-"));
    try {
      const floor = new SqliteCommitFloor(parent);
      expect(dirname(dirname(floor.path))).toBe(parent);
      expect(floor.settings()).toEqual({ journalMode: "wal", synchronous: 2 });
      // Warm: the WAL file has grown past the automatic checkpoint (1000 pages of 4 KiB).
      expect(statSync(`${floor.path}-wal`).size).toBeGreaterThan(1000 * 4096);
      for (let i = 0; i < 25; i++) floor.commit();
      // Another connection sees every commit: each was a transaction of its own.
      const other = new Database(floor.path, { readonly: true });
      const count = (table: string) => (other.query(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      expect(count("messages")).toBe(25);
      expect(count("warm")).toBe(WAL_WARM_COMMITS);
      other.close();
      floor.close();
      expect(existsSync(dirname(floor.path))).toBe(false);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe("http-request", () => {
  test("a trivial server in a child process answers the client's requests, and is gone after close", async () => {
    const floor = await HttpRequestFloor.start();
    const res = await fetch(`${floor.url}/rpc`, { method: "POST", body: '["anything"]' });
    expect(res.status).toBe(200);
    expect(await res.json()).toBe("0.0.0");
    await floor.request();
    await floor.close();
    await expect(fetch(`${floor.url}/rpc`, { method: "POST", body: "[]" })).rejects.toThrow();
  });

  test("the trivial server does not outlive a benchmark that is killed", async () => {
    const script = `import { HttpRequestFloor } from ${JSON.stringify(join(import.meta.dir, "floors.ts"))};
const floor = await HttpRequestFloor.start();
console.log(floor.url);
await Bun.sleep(60_000);`;
    const parent = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "inherit" });
    const reader = parent.stdout.getReader();
    let url = "";
    while (!url.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("the benchmark stand-in printed no URL");
      url += new TextDecoder().decode(value);
    }
    url = url.trim();
    expect(await (await fetch(`${url}/rpc`, { method: "POST", body: "[]" })).json()).toBe("0.0.0");
    parent.kill("SIGKILL");
    await parent.exited;
    let gone = false;
    for (let i = 0; i < 50 && !gone; i++) {
      gone = await fetch(`${url}/rpc`, { method: "POST", body: "[]" }).then(
        () => false,
        () => true,
      );
      if (!gone) await Bun.sleep(100);
    }
    expect(gone).toBe(true);
  });
});

describe("FloorMeter", () => {
  test("times n operations of either floor", async () => {
    const meter = new FloorMeter();
    try {
      for (const name of ["sqlite-commit", "http-request"] as const) {
        const s = await meter.slice(name, 20);
        expect(s.latencies).toHaveLength(20);
        for (const l of s.latencies) expect(l).toBeGreaterThan(0);
        const sum = s.latencies.reduce((a, b) => a + b, 0);
        expect(s.elapsed).toBeGreaterThanOrEqual(sum);
        const m = measured(s.latencies, s.elapsed);
        expect(m.ops).toBe(20);
        expect(m.p10).toBeLessThanOrEqual(m.p50);
        expect(m.p50).toBeLessThanOrEqual(m.p95);
        expect(m.p95).toBeLessThanOrEqual(m.p99);
        expect(m.opsPerSec).toBeCloseTo(20 / (s.elapsed / 1000), 6);
      }
    } finally {
      await meter.close();
    }
  });
});

test("measured: nearest-rank percentiles and the mean", () => {
  const lat = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6]; // 1..10
  expect(measured(lat, 2000)).toEqual({ ops: 10, opsPerSec: 5, avg: 5.5, p10: 1, p50: 5, p95: 10, p99: 10 });
});
