// `bun run bench > results.json`, end to end with a few operations per row:
// stdout is exactly one results document (the rows of the committed baseline,
// each with its floor and ratio), the human-readable table goes to stderr, and
// compare-benchmark.sh accepts the results against the baseline (0 or 1,
// never 2: the rows, floors and setup match). Starts the server the benchmark
// starts: EVENTODB_BIN, or one built from ./cmd/eventodb.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { checkResults } from "./results";

const HERE = resolve(import.meta.dir, "..");
const dir = mkdtempSync(join(tmpdir(), "bench-output-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test(
  "bun run bench writes JSON results to stdout and the table to stderr",
  async () => {
    const env: Record<string, string | undefined> = { ...process.env, BENCH_OPS: "20", BENCH_SECONDS: "5", BENCH_JSON: join(dir, "copy.json") };
    delete env.EVENTODB_URL; // the benchmark starts its own server
    delete env.EVENTODB_TOKEN;
    delete env.BENCH_SERVER;
    const p = Bun.spawn([process.execPath, "run", "bench"], { cwd: HERE, env, stdout: "pipe", stderr: "pipe" });
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    expect(code).toBe(0);

    const doc = checkResults(JSON.parse(out), "stdout");
    const baseline = checkResults(await Bun.file(join(HERE, "benchmarks", "baseline.json")).json(), "baseline.json");
    expect(doc.setup).toBe("sqlite-file");
    expect(doc.server).toMatchObject({ backend: "sqlite", startedByBench: true });
    expect(doc.budget.ops).toBe(20);
    expect(doc.rows.map((r) => [r.name, r.floor?.name])).toEqual(baseline.rows.map((r) => [r.name, r.floor?.name]));
    for (const r of doc.rows) {
      expect(r.ops).toBe(20);
      expect(r.floor!.ops).toBe(20);
      expect(r.ofFloor).toBeCloseTo(r.floor!.p10 / r.p10, 9);
      expect(r.opsOfFloor!).toBeCloseTo(r.opsPerSec / r.floor!.opsPerSec, 9);
      expect(r.verdict).toMatch(/^(PASS|FAIL|OK)/);
    }
    // BENCH_JSON gets the same document.
    expect(await Bun.file(join(dir, "copy.json")).text()).toBe(out);

    // The human-readable output, PASS/FAIL against the guide's targets included, is on stderr.
    expect(err).toContain("│ Benchmark");
    expect(err).toContain("of floor");
    expect(err).toContain("Targets (docs/PERFORMANCE.md)");
    expect(err).toMatch(/│ stream\.write \(single\) .*│ (PASS|FAIL)/);

    writeFileSync(join(dir, "results.json"), out);
    const cmp = Bun.spawnSync(["bash", join(HERE, "compare-benchmark.sh"), join(dir, "results.json"), join(HERE, "benchmarks", "baseline.json"), "20"]);
    expect([0, 1]).toContain(cmp.exitCode ?? -1);
    expect(cmp.stdout.toString()).toContain("stream.write (single)");
  },
  180_000,
);
