// compare-benchmark.sh, run as CI runs it, on hand-made results: exit 0
// within the threshold, 1 past it, 2 on bad input (naming what is wrong).
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SCHEMA, checkResults, type Results, type Row } from "./results";

const HERE = resolve(import.meta.dir, "..");
const SCRIPT = join(HERE, "compare-benchmark.sh");
const BASELINE = join(HERE, "benchmarks", "baseline.json");
const dir = mkdtempSync(join(tmpdir(), "compare-benchmark-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Spec = [name: string, floor: "http-request" | "sqlite-commit", ofFloor: number | null];

const ROWS: Spec[] = [
  ["stream.write (single)", "sqlite-commit", 0.2],
  ["stream.get (100 messages)", "http-request", 0.1],
  ["SSE poke delivery", "sqlite-commit", 0.25],
];

function row([name, floor, ofFloor]: Spec): Row {
  const m = { ops: 300, opsPerSec: 1000, avg: 1, p10: 0.5, p50: 1, p95: 2, p99: 3 };
  return {
    name,
    ...m,
    verdict: ofFloor === null ? "ERROR" : "PASS",
    note: ofFloor === null ? "Error: the server went away" : undefined,
    floor: ofFloor === null ? null : { name: floor, ...m },
    ofFloor,
  };
}

function results(rows: Spec[], setup = "sqlite-file"): Results {
  return {
    schema: SCHEMA,
    createdAt: "2026-01-02T03:04:05.000Z",
    setup,
    url: "http://127.0.0.1:1",
    server: { version: "0.1.0", backend: "sqlite", startedByBench: true },
    budget: { ops: 300, seconds: 10, warmup: 15 },
    machine: { platform: "linux", arch: "x64", cpus: 2, bun: Bun.version },
    latencyUnit: "ms",
    rows: rows.map(row),
  };
}

let files = 0;
function file(content: unknown): string {
  const path = join(dir, `f${files++}.json`);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

/** Replaces the ofFloor of the named row. */
function withRatio(name: string, ofFloor: number | null): Spec[] {
  return ROWS.map(([n, f, r]) => [n, f, n === name ? ofFloor : r]);
}

function compare(...args: string[]): { code: number; out: string; err: string } {
  const p = Bun.spawnSync(["bash", SCRIPT, ...args], { cwd: dir, stdout: "pipe", stderr: "pipe" });
  return { code: p.exitCode ?? -1, out: p.stdout.toString(), err: p.stderr.toString() };
}

describe("compare-benchmark.sh", () => {
  const base = file(results(ROWS));

  test("the same results: exit 0, every row unchanged", () => {
    const r = compare(file(results(ROWS)), base, "20");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    for (const [name] of ROWS) expect(r.out).toMatch(new RegExp(`${name.replace(/[()]/g, "\\$&")} .* \\+0\\.0 %  ok`));
    expect(r.out).toContain("ok: every one of the 3 rows is within 20 % of the baseline or better");
  });

  test("a row 19 % worse, one better: within 20 %, exit 0", () => {
    const now = withRatio("stream.get (100 messages)", 0.081).map(([n, f, x]): Spec => [n, f, n === "SSE poke delivery" ? 0.5 : x]);
    const r = compare(file(results(now)), base, "20");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/stream\.get \(100 messages\) +http-request +10\.0 % +8\.1 % +-19\.0 %  ok/);
    expect(r.out).toMatch(/SSE poke delivery +sqlite-commit +25\.0 % +50\.0 % +\+100\.0 %  ok/);
  });

  test("a row 30 % worse: degraded past 20 %, exit 1 naming it", () => {
    const r = compare(file(results(withRatio("stream.write (single)", 0.14))), base, "20");
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/stream\.write \(single\) +sqlite-commit +20\.0 % +14\.0 % +-30\.0 %  DEGRADED/);
    expect(r.out).toMatch(/stream\.get \(100 messages\) .* ok/);
    expect(r.out).toContain("DEGRADED: 1 of 3 rows by more than 20 %: stream.write (single) (-30.0 %)");
  });

  test("the threshold is the argument: 30 % worse passes 35, fails 25 and 0", () => {
    const now = file(results(withRatio("stream.write (single)", 0.14)));
    expect(compare(now, base, "35").code).toBe(0);
    expect(compare(now, base, "25").code).toBe(1);
    expect(compare(now, base, "0").code).toBe(1);
    expect(compare(file(results(ROWS)), base, "0").code).toBe(0);
  });

  test("a row the baseline lacks is shown, not compared", () => {
    const r = compare(file(results([...ROWS, ["category.get (100 messages)", "http-request", 0.01]])), base, "20");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/category\.get \(100 messages\) +http-request +- +1\.0 % +- +new: not in the baseline/);
  });

  describe("bad input: exit 2, saying what is wrong", () => {
    const cases: [string, () => string[], RegExp][] = [
      ["no arguments", () => [], /usage: compare-benchmark\.sh RESULTS\.json BASELINE\.json MAX_DEGRADATION_PERCENT/],
      ["no threshold", () => [base, base], /usage:/],
      ["a threshold that is no number", () => [base, base, "twenty"], /MAX_DEGRADATION_PERCENT must be a number of at least 0, got "twenty"/],
      ["a negative threshold", () => [base, base, "-5"], /must be a number of at least 0, got "-5"/],
      ["no results file", () => [join(dir, "nope.json"), base, "20"], /nope\.json: no such file/],
      ["no baseline file", () => [base, join(dir, "gone.json"), "20"], /gone\.json: no such file/],
      ["malformed JSON", () => [file('{"schema": "eventodb-bench/1", "rows": ['), base, "20"], /f\d+\.json: malformed JSON/],
      ["not results", () => [file({ rows: [] }), base, "20"], /schema is undefined, want "eventodb-bench\/1"/],
      ["no rows", () => [file({ ...results(ROWS), rows: [] }), base, "20"], /"rows" is empty/],
      ["a row without a name", () => [file({ ...results(ROWS), rows: [{ ofFloor: 1 }] }), base, "20"], /row 0: no name/],
      ["a ratio that is no positive number", () => [file(results(withRatio("SSE poke delivery", -1))), base, "20"], /row "SSE poke delivery": ofFloor -1 is not a positive number/],
      [
        "rows of the baseline missing",
        () => [file(results(ROWS.slice(0, 1))), base, "20"],
        /lacks rows of the baseline: "stream\.get \(100 messages\)", "SSE poke delivery"/,
      ],
      ["a row not measured (ERROR)", () => [file(results(withRatio("stream.get (100 messages)", null))), base, "20"], /row "stream\.get \(100 messages\)" has no floor ratio in .*\(ERROR: Error: the server went away\)/],
      [
        "another floor",
        () => [file(results(ROWS.map(([n, f, x]): Spec => [n, n === "SSE poke delivery" ? "http-request" : f, x]))), base, "20"],
        /row "SSE poke delivery" is measured against floor http-request in .*, sqlite-commit in/,
      ],
      ["another setup", () => [file(results(ROWS, "test-mode")), base, "20"], /measured setup "test-mode", .* "sqlite-file": floor ratios compare only within one setup/],
    ];
    for (const [name, args, want] of cases) {
      test(name, () => {
        const r = compare(...args());
        expect(r.code).toBe(2);
        expect(r.err).toMatch(want);
        expect(r.out).toBe("");
      });
    }
  });

  test("the committed baseline is valid results, and compares with itself: exit 0", async () => {
    const doc = checkResults(await Bun.file(BASELINE).json(), BASELINE);
    expect(doc.setup).toBe("sqlite-file");
    expect(doc.note).toBeString();
    for (const r of doc.rows) expect(r.ofFloor).toBeGreaterThan(0);
    const r = compare(BASELINE, BASELINE, "20");
    expect(r.code).toBe(0);
    expect(r.out).toContain(`ok: every one of the ${doc.rows.length} rows`);
  });
});
