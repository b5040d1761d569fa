// The machine-readable results of `bun run bench` (stdout, or BENCH_JSON),
// and their checks, shared by the benchmark and compare-benchmark.
import type { FloorName, Measured } from "./floors";

export const SCHEMA = "eventodb-bench/1";

export interface Target {
  p95: number; // ms
  p99: number; // ms
}

export interface Row extends Measured {
  name: string;
  target?: Target;
  /** Throughput floor in ops/sec (target, acceptable). */
  throughput?: { target: number; acceptable: number };
  verdict: string;
  note?: string;
  /** The floor, measured in slices interleaved with the row's; null when it could not be. */
  floor: (Measured & { name: FloorName }) | null;
  /**
   * floor.p10 ÷ p10: the floor's time over the row's at the fast end of both
   * distributions, what compare-benchmark compares (higher is better; 0.25 =
   * an operation of the row takes four times as long as one of its floor).
   * Null when unknown. The 10th percentile, because work of other processes
   * only ever adds time: on a busy shared 2-core machine it varied between
   * runs less than the median, and throughput varied most
   * (docs/PERFORMANCE.md, "Continuous benchmarking").
   */
  ofFloor: number | null;
  /** opsPerSec ÷ floor.opsPerSec, for reading; not compared (it varies most between runs). */
  opsOfFloor?: number | null;
}

export interface Results {
  schema: typeof SCHEMA;
  createdAt: string;
  /**
   * What was measured: "sqlite-file" or "test-mode" (a server the benchmark
   * built and started), or "external:<backend>" (EVENTODB_URL). Floor ratios
   * compare only between results of the same setup.
   */
  setup: string;
  url: string;
  server: { version: string | null; backend: string | null; startedByBench: boolean };
  budget: { ops: number; seconds: number; warmup: number };
  machine: { platform: string; arch: string; cpus: number; bun: string };
  latencyUnit: "ms";
  rows: Row[];
  /** Free text, e.g. how a baseline was made. */
  note?: string;
}

/** Thrown for input compare-benchmark cannot compare (exit status 2). */
export class BadInput extends Error {}

const isNum = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * Checks that doc (from file label) is a results document: a setup, and
 * rows with distinct names whose ofFloor is a positive number with a floor
 * name, or null (a row that could not be measured: the caller decides).
 * Throws BadInput naming every problem.
 */
export function checkResults(doc: unknown, label: string): Results {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new BadInput(`${label}: not a JSON object`);
  const d = doc as Partial<Results>;
  if (d.schema !== SCHEMA) throw new BadInput(`${label}: schema is ${JSON.stringify(d.schema)}, want ${JSON.stringify(SCHEMA)}`);
  if (typeof d.setup !== "string" || d.setup === "") throw new BadInput(`${label}: no "setup"`);
  if (!Array.isArray(d.rows)) throw new BadInput(`${label}: no "rows" array`);
  if (d.rows.length === 0) throw new BadInput(`${label}: "rows" is empty`);
  const problems: string[] = [];
  const seen = new Set<string>();
  d.rows.forEach((r: unknown, i) => {
    const row = r as Partial<Row> | null;
    if (typeof row !== "object" || row === null || typeof row.name !== "string" || row.name === "") {
      problems.push(`row ${i}: no name`);
      return;
    }
    if (seen.has(row.name)) problems.push(`row "${row.name}" appears twice`);
    seen.add(row.name);
    if (row.ofFloor === null || row.ofFloor === undefined) return; // not measured: the caller decides
    if (!isNum(row.ofFloor) || row.ofFloor <= 0) problems.push(`row "${row.name}": ofFloor ${JSON.stringify(row.ofFloor)} is not a positive number`);
    if (typeof row.floor !== "object" || row.floor === null || typeof row.floor.name !== "string") {
      problems.push(`row "${row.name}": has ofFloor but no floor name`);
    }
  });
  if (problems.length > 0) throw new BadInput(`${label}: ${problems.join("; ")}`);
  return d as Results;
}
