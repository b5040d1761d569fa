// Compares two results of `bun run bench` row by row on their floor ratios
// (the floor's p10 time ÷ the row's, the floor measured in the same run: see
// benchmarks/results.ts): the numbers that travel between machines. Run it through ../compare-benchmark.sh:
//
//   compare-benchmark.sh RESULTS BASELINE MAX_DEGRADATION_PERCENT
//
// Prints a table (row, floor, baseline, now, change %) and exits
//   0  every row of the baseline is within MAX_DEGRADATION_PERCENT of it (or better)
//   1  some row's floor ratio dropped by more than MAX_DEGRADATION_PERCENT
//   2  bad input: wrong arguments, a file missing or not JSON or not results,
//      rows of the baseline missing from the results, a row without a floor
//      ratio, or results of another setup or floor than the baseline's
// Rows of the results that the baseline lacks are shown, not compared.
import { readFileSync } from "node:fs";
import { BadInput, checkResults, type Results, type Row } from "./results";

const USAGE = "usage: compare-benchmark.sh RESULTS.json BASELINE.json MAX_DEGRADATION_PERCENT (e.g. results.json benchmarks/baseline.json 20)";

function load(path: string): Results {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new BadInput(code === "ENOENT" ? `${path}: no such file` : `${path}: cannot read it: ${String(e)}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new BadInput(`${path}: malformed JSON: ${(e as Error).message}`);
  }
  return checkResults(doc, path);
}

const pct = (x: number, digits = 1) => `${x >= 0 ? "+" : ""}${x.toFixed(digits)} %`;
const ofFloor = (x: number) => `${(x * 100).toFixed(1)} %`;

function describe(r: Results): string {
  return `${r.setup}, ${r.createdAt ?? "undated"}, ${r.budget?.ops ?? "?"} ops/row`;
}

function unmeasured(row: Row): boolean {
  return row.ofFloor === null || row.ofFloor === undefined;
}

export function compare(args: string[], out: (line: string) => void = console.log): number {
  if (args.length !== 3) throw new BadInput(USAGE);
  const [resultsPath, baselinePath, maxText] = args as [string, string, string];
  const max = Number(maxText);
  if (maxText.trim() === "" || !Number.isFinite(max) || max < 0) {
    throw new BadInput(`MAX_DEGRADATION_PERCENT must be a number of at least 0, got ${JSON.stringify(maxText)}\n${USAGE}`);
  }
  const now = load(resultsPath);
  const base = load(baselinePath);
  if (now.setup !== base.setup) {
    throw new BadInput(
      `${resultsPath} measured setup "${now.setup}", ${baselinePath} "${base.setup}": floor ratios compare only within one setup ` +
        "(make a baseline of this setup, or run the benchmark as the baseline was: see its note)",
    );
  }

  const problems: string[] = [];
  const byName = new Map(now.rows.map((r) => [r.name, r]));
  const missing = base.rows.filter((r) => !byName.has(r.name)).map((r) => `"${r.name}"`);
  if (missing.length > 0) problems.push(`${resultsPath} lacks rows of the baseline: ${missing.join(", ")}`);
  for (const b of base.rows) {
    const n = byName.get(b.name);
    if (unmeasured(b)) problems.push(`row "${b.name}" has no floor ratio in ${baselinePath}${b.note ? ` (${b.note})` : ""}`);
    if (!n) continue;
    if (unmeasured(n)) problems.push(`row "${b.name}" has no floor ratio in ${resultsPath} (${n.verdict}${n.note ? `: ${n.note}` : ""})`);
    else if (!unmeasured(b) && n.floor?.name !== b.floor?.name) {
      problems.push(`row "${b.name}" is measured against floor ${n.floor?.name} in ${resultsPath}, ${b.floor?.name} in ${baselinePath}`);
    }
  }
  if (problems.length > 0) throw new BadInput(problems.join("\n"));

  out(`results:  ${resultsPath} (${describe(now)})`);
  out(`baseline: ${baselinePath} (${describe(base)})`);
  out(`a row degrades when its floor ratio (floor p10 ÷ row p10) drops by more than ${max} %`);
  if (now.budget?.ops !== base.budget?.ops) {
    out(`note: ${now.budget?.ops} ops per row against the baseline's ${base.budget?.ops}: short runs are noisier`);
  }
  out("");

  const header = ["row", "floor", "baseline", "now", "change", ""];
  const cells: string[][] = [];
  const degraded: string[] = [];
  for (const b of base.rows) {
    const n = byName.get(b.name)!;
    const change = (n.ofFloor! / b.ofFloor! - 1) * 100;
    const bad = change < -max;
    if (bad) degraded.push(`${b.name} (${pct(change)})`);
    cells.push([b.name, b.floor!.name, ofFloor(b.ofFloor!), ofFloor(n.ofFloor!), pct(change), bad ? "DEGRADED" : "ok"]);
  }
  const baseNames = new Set(base.rows.map((r) => r.name));
  for (const n of now.rows) {
    if (baseNames.has(n.name)) continue;
    cells.push([n.name, n.floor?.name ?? "n/a", "-", unmeasured(n) ? "n/a" : ofFloor(n.ofFloor!), "-", "new: not in the baseline"]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const right = new Set([2, 3, 4]);
  const line = (c: string[]) =>
    c
      .map((x, i) => (right.has(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  out(line(header));
  for (const c of cells) out(line(c));
  out("");
  if (degraded.length > 0) {
    out(`DEGRADED: ${degraded.length} of ${base.rows.length} rows by more than ${max} %: ${degraded.join(", ")}`);
    return 1;
  }
  out(`ok: every one of the ${base.rows.length} rows is within ${max} % of the baseline or better`);
  return 0;
}

if (import.meta.main) {
  let code: number;
  try {
    code = compare(process.argv.slice(2));
  } catch (e) {
    // Anything unexpected is not a verdict on performance either: 2, never 1.
    console.error(`compare-benchmark: ${e instanceof BadInput ? e.message : `unexpected error: ${(e as Error).stack ?? String(e)}`}`);
    code = 2;
  }
  process.exit(code);
}
