// The performance guide's benchmark table (docs/PERFORMANCE.md), measured against a running server.
//
//   bun run bench > results.json                   (all rows; JSON on stdout, the table on stderr)
//   bun test benchmarks/performance.bench.ts       (the same, as a bun test; no JSON on stdout)
//   ./compare-benchmark.sh results.json benchmarks/baseline.json 20
//
// Output: the human-readable progress and table (PASS/FAIL against the guide's
// targets) go to stderr; the results as one JSON document (benchmarks/results.ts)
// go to stdout unless stdout is a terminal.
//
// Every row also carries its ratio to a floor measured by this process right
// before it (benchmarks/floors.ts): the read rows to an empty-handler HTTP
// request against a trivial Bun.serve server, the rows whose every operation is
// a durable write to a bare durable SQLite commit. Those ratios, not ops/s,
// are what compare-benchmark.sh compares between runs and machines.
//
// Environment:
//   EVENTODB_URL     server to measure; unset: build ./cmd/eventodb (or use EVENTODB_BIN) and
//                    start it on a free port with warn-level logs (EVENTODB_LOG_LEVEL overrides;
//                    other EVENTODB_* settings are inherited), as BENCH_SERVER says
//   BENCH_SERVER     sqlite (default): SQLite files in a temporary data dir, durable writes;
//                    test-mode: --test-mode, in memory
//   EVENTODB_BIN     a prebuilt server binary to start instead of building one
//   EVENTODB_TOKEN   admin token when EVENTODB_URL is a server not in test mode
//   BENCH_OPS        operations per row (default 2000)
//   BENCH_SECONDS    time budget per row (default 10)
//   BENCH_JSON       also write the JSON results to this file
//   BENCH_FLOOR_DIR  where the SQLite floor's temporary database goes (default the system temp dir)
//   BENCH_NOTE       free text for the results' "note" (how a baseline was made)
//
// Timings are measured and compared with the guide's targets (PASS/FAIL per
// row), never asserted: the process exits 0 unless the server cannot be reached.
import { cpus } from "node:os";
import { EventoDBClient, makeToken, type Poke, type Subscription } from "../client";
import { startServer, type RunningServer } from "../support/server";
import { FLOOR_DESCRIPTIONS, FloorMeter, measured, type FloorName, type Samples } from "./floors";
import { SCHEMA, type Results, type Row } from "./results";

const OPS = Number(process.env.BENCH_OPS ?? 2000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Math.min(50, Math.max(1, Math.floor(OPS / 20)));

// The targets of docs/PERFORMANCE.md, "Targets".
const TARGETS = {
  write: { p95: 10, p99: 20 },
  streamRead: { p95: 20, p99: 40 },
  categoryRead: { p95: 30, p99: 60 },
  sse: { p95: 5, p99: 10 },
  throughput: { target: 1000, acceptable: 500 },
};

/** Human-readable output: stderr, so that stdout carries only the JSON results. */
const say = (...args: unknown[]) => console.error(...args);

type RowExtra = Partial<Pick<Row, "target" | "throughput" | "note">>;

function summarize(name: string, latencies: number[], elapsedMs: number, extra: RowExtra = {}): Row {
  const row: Row = {
    name,
    ...measured(latencies, elapsedMs),
    verdict: "",
    floor: null,
    ofFloor: null,
    ...extra,
  };
  const verdicts: string[] = [];
  if (row.target) {
    if (row.p95 < row.target.p95 && row.p99 < row.target.p99) verdicts.push("PASS");
    else if (row.p99 < row.target.p99) verdicts.push("FAIL p95");
    else verdicts.push(row.p95 < row.target.p95 ? "FAIL p99" : "FAIL p95+p99");
  }
  if (row.throughput) {
    if (row.opsPerSec > row.throughput.target) verdicts.push("PASS >1000/s");
    else if (row.opsPerSec > row.throughput.acceptable) verdicts.push("OK >500/s");
    else verdicts.push("FAIL <500/s");
  }
  row.verdict = verdicts.join(", ") || "-";
  return row;
}

/** 429 RATE_LIMITED answers seen (and retried) during the current row. */
let rateLimited = 0;

/** Retries op while the server answers RATE_LIMITED (only when its operator set rate_limit). */
async function retrying<T>(op: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await op();
    } catch (e) {
      if ((e as { code?: string }).code !== "RATE_LIMITED") throw e;
      rateLimited++;
      await Bun.sleep(1);
    }
  }
}

// A row is measured in slices, each right after a slice of its floor of as
// many operations: short ones, so both see the same moment of the machine.
/** Operations in a slice of a sequential row. */
const SEQUENTIAL_SLICE = 5;
/** Operations per worker in a slice of a concurrent row. */
const CONCURRENT_SLICE = 5;

/** One operation of a row; it may return its own latency in ms, else its duration counts. */
type Op = (i: number) => Promise<unknown>;

/** What a row runs, once set up. */
interface Workload {
  /** 1: one operation at a time; more: that many concurrent loops sharing the budget. */
  workers: number;
  op: Op;
  /** At most this many operations (default OPS). */
  maxOps?: number;
  close?: () => void;
}

/** Runs ops from..from+n-1 of op with `workers` loops until done or the deadline. */
async function runSlice(work: Workload, from: number, n: number, deadline: number): Promise<Samples> {
  const latencies: number[] = [];
  let next = from;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: work.workers }, async () => {
      while (next < from + n && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        const r = await retrying(() => work.op(i));
        latencies.push(typeof r === "number" ? r : performance.now() - t0);
      }
    }),
  );
  return { latencies, elapsed: performance.now() - start };
}

/**
 * Measures one row: warm-up (WARMUP operations, or one per worker), then up to
 * OPS operations or SECONDS of the row's own time in slices, each right
 * after a slice of its floor of as many operations.
 */
async function measureRow(spec: RowSpec, client: EventoDBClient, floors: FloorMeter): Promise<Row> {
  const work = await spec.setup(client);
  try {
    if (work.workers === 1) for (let i = 0; i < WARMUP; i++) await retrying(() => work.op(-1 - i));
    else await Promise.all(Array.from({ length: work.workers }, (_, w) => retrying(() => work.op(-1 - w))));
    rateLimited = 0;
    const total = Math.min(OPS, work.maxOps ?? OPS);
    const per = work.workers === 1 ? SEQUENTIAL_SLICE : work.workers * CONCURRENT_SLICE;
    const rowSamples: Samples = { latencies: [], elapsed: 0 };
    const floorSamples: Samples = { latencies: [], elapsed: 0 };
    let floorError: string | undefined;
    let left = SECONDS * 1000;
    for (let done = 0; done < total && left > 0; done += per) {
      const n = Math.min(per, total - done);
      if (!floorError) {
        try {
          const f = await floors.slice(spec.floor, n);
          floorSamples.latencies.push(...f.latencies);
          floorSamples.elapsed += f.elapsed;
        } catch (e) {
          floorError = `floor ${spec.floor} not measured: ${String(e)}`;
        }
      }
      const r = await runSlice(work, done, n, performance.now() + left);
      rowSamples.latencies.push(...r.latencies);
      rowSamples.elapsed += r.elapsed;
      left -= r.elapsed;
    }
    const row = summarize(spec.name, rowSamples.latencies, rowSamples.elapsed, spec.extra);
    if (floorError) row.note = [row.note, floorError].filter(Boolean).join("; ");
    else row.floor = { name: spec.floor, ...measured(floorSamples.latencies, floorSamples.elapsed) };
    return row;
  } finally {
    work.close?.();
  }
}

async function benchNamespace(url: string, adminToken: string | undefined): Promise<{ client: EventoDBClient; cleanup: () => Promise<void> }> {
  const admin = new EventoDBClient(url, { token: adminToken });
  const id = `bench-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  let token: string;
  if (adminToken) token = (await admin.createNamespace(id, { description: "benchmark" })).token;
  else token = makeToken(id); // test mode creates it on first use
  return {
    client: new EventoDBClient(url, { token }),
    cleanup: async () => {
      await admin.deleteNamespace(id).catch(() => undefined);
    },
  };
}

/**
 * Poke delivery: time from sending a write until the subscriber has its poke.
 * (Measured from the send, not the acknowledgement: the poke often arrives
 * before the write's own response, so ack → poke would mostly read 0.)
 */
async function ssePokes(client: EventoDBClient): Promise<Workload> {
  const stream = "ssebench-1";
  await client.writeMessage(stream, { type: "Seed", data: {} });
  const waiters = new Map<number, (t: number) => void>();
  const arrived = new Map<number, number>();
  let failure: unknown;
  const sub: Subscription = client.subscribeToStream(stream, {
    position: 0,
    onPoke: (p: Poke) => {
      const t = performance.now();
      const w = waiters.get(p.position);
      if (w) {
        waiters.delete(p.position);
        w(t);
      } else arrived.set(p.position, t);
    },
    onError: (e) => {
      failure = e;
      for (const w of waiters.values()) w(NaN);
    },
  });
  let readyTimer: Timer | undefined;
  try {
    await Promise.race([
      sub.ready,
      new Promise((_, reject) => {
        readyTimer = setTimeout(() => reject(new Error("no ': ready' within 5 s")), 5000);
      }),
    ]);
  } catch (e) {
    sub.close();
    throw e;
  } finally {
    clearTimeout(readyTimer); // a pending timer would keep the process alive after the run
  }
  const pokeFor = (position: number) =>
    new Promise<number>((resolve, reject) => {
      const t = arrived.get(position);
      if (t !== undefined) {
        arrived.delete(position);
        return resolve(t);
      }
      const timer = setTimeout(() => reject(new Error(`no poke for position ${position} within 5 s`)), 5000);
      waiters.set(position, (x) => {
        clearTimeout(timer);
        resolve(x);
      });
    });
  return {
    workers: 1,
    maxOps: 1000,
    op: async (i) => {
      const sent = performance.now();
      const r = await client.writeMessage(stream, { type: "Poke", data: { i } });
      const got = await pokeFor(r.position);
      if (failure) throw failure;
      return got - sent;
    },
    close: () => sub.close(),
  };
}

function fmt(n: number, digits = 2): string {
  if (!Number.isFinite(n)) return "n/a";
  return n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

const perSec = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a");

function table(rows: Row[]): string {
  const headers = ["Benchmark", "ops/sec", "avg (ms)", "p10 (ms)", "p50 (ms)", "p95 (ms)", "p99 (ms)", "target p95/p99", "result", "floor", "floor p10 (ms)", "of floor"];
  const cells = rows.map((r) => [
    r.name,
    perSec(r.opsPerSec),
    fmt(r.avg),
    fmt(r.p10, 3),
    fmt(r.p50),
    fmt(r.p95),
    fmt(r.p99),
    r.target ? `<${r.target.p95} / <${r.target.p99} ms` : "-",
    r.verdict,
    r.floor?.name ?? "n/a",
    fmt(r.floor?.p10 ?? NaN, 3),
    r.ofFloor === null ? "n/a" : `${fmt(r.ofFloor * 100, 1)} %`,
  ]);
  const left = new Set([0, 7, 8, 9]);
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (l: string, m: string, r: string) => l + widths.map((w) => "─".repeat(w + 2)).join(m) + r;
  const row = (c: string[]) => "│" + c.map((x, i) => ` ${left.has(i) ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)} `).join("│") + "│";
  return [line("┌", "┬", "┐"), row(headers), line("├", "┼", "┤"), ...cells.map(row), line("└", "┴", "┘")].join("\n");
}

/** What the rows measure: a server this process starts, or the one at EVENTODB_URL. */
async function serverUnderTest(): Promise<{ url: string; adminToken?: string; setup: string; server?: RunningServer }> {
  const external = process.env.EVENTODB_URL;
  if (external) return { url: external, adminToken: process.env.EVENTODB_TOKEN || undefined, setup: "external" };
  const mode = process.env.BENCH_SERVER ?? "sqlite";
  const how = process.env.EVENTODB_BIN ? `starting ${process.env.EVENTODB_BIN}` : "building ./cmd/eventodb and starting it";
  if (mode === "test-mode") {
    say(`EVENTODB_URL is unset: ${how} with --test-mode (in memory) …`);
    const server = await startServer({ args: ["--test-mode"] });
    return { url: server.url, setup: "test-mode", server };
  }
  if (mode !== "sqlite") throw new Error(`BENCH_SERVER must be sqlite or test-mode, got ${JSON.stringify(mode)}`);
  const adminToken = makeToken("default");
  say(`EVENTODB_URL is unset: ${how} on SQLite files in a temporary data dir (durable writes) …`);
  const server = await startServer({ args: ["--token", adminToken], dataDir: true });
  return { url: server.url, adminToken, setup: "sqlite-file", server };
}

/** The rows, each with the floor it is compared with. */
interface RowSpec {
  name: string;
  floor: FloorName;
  extra: RowExtra;
  /** Prepares the row's data and returns what it runs. */
  setup: (client: EventoDBClient) => Promise<Workload>;
}

const ROWS: RowSpec[] = [
  {
    name: "stream.write (single)",
    floor: "sqlite-commit",
    extra: { target: TARGETS.write },
    setup: async (client) => ({
      workers: 1,
      op: (i) => client.writeMessage(`write-${i & 63}`, { type: "Bench", data: { i } }),
    }),
  },
  {
    name: "stream.get (100 messages)",
    floor: "http-request",
    extra: { target: TARGETS.streamRead },
    setup: async (client) => {
      await client.writeMessages("read-1", Array.from({ length: 100 }, (_, i) => ({ type: "Bench", data: { i, pad: "x".repeat(64) } })));
      return {
        workers: 1,
        op: async () => {
          const msgs = await client.getStream("read-1", { batchSize: 100 });
          if (msgs.length !== 100) throw new Error(`stream.get returned ${msgs.length} messages, expected 100`);
        },
      };
    },
  },
  {
    name: "category.get (100 messages)",
    floor: "http-request",
    extra: { target: TARGETS.categoryRead },
    setup: async (client) => {
      for (let s = 0; s < 10; s++) {
        await client.writeMessages(`catread-${s}`, Array.from({ length: 20 }, (_, i) => ({ type: "Bench", data: { s, i, pad: "x".repeat(64) } })));
      }
      return {
        workers: 1,
        op: async () => {
          const msgs = await client.getCategory("catread", { batchSize: 100 });
          if (msgs.length !== 100) throw new Error(`category.get returned ${msgs.length} messages, expected 100`);
        },
      };
    },
  },
  {
    name: "concurrent writes (10)",
    floor: "sqlite-commit",
    extra: { target: TARGETS.write, throughput: TARGETS.throughput },
    setup: async (client) => ({
      workers: 10,
      op: (i) => client.writeMessage(`conc-${i & 255}`, { type: "Bench", data: { i } }),
    }),
  },
  // Each operation is a durable write and the wait for its poke.
  {
    name: "SSE poke delivery",
    floor: "sqlite-commit",
    extra: { target: TARGETS.sse, note: "latency = write sent → poke received" },
    setup: ssePokes,
  },
];

export interface RunOptions {
  /** Write the JSON results to stdout (bun run; not under bun test). */
  jsonToStdout?: boolean;
}

/** Stops what the run started when it is interrupted (SIGINT, SIGTERM), then exits 130 / 143. */
function onInterrupt(stop: () => Promise<void>): () => void {
  const handler = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping the servers the benchmark started`);
    stop().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

export async function runBenchmarks(options: RunOptions = {}): Promise<Results> {
  const sut = await serverUnderTest();
  const { url } = sut;
  say(`benchmarking ${url}: up to ${OPS} ops or ${SECONDS} s per row (after ${WARMUP} warm-up ops), in slices, each after a slice of its floor`);
  const floors = new FloorMeter();
  const forget = onInterrupt(async () => {
    await floors.close();
    await sut.server?.stop();
  });
  const rows: Row[] = [];
  let version: string | null = null;
  let backend: string | null = null;
  try {
    const probe = new EventoDBClient(url, { token: sut.adminToken });
    version = await probe.rpc<string>("sys.version").catch(() => null);
    backend = await probe.health().then((h) => h.backend ?? null, () => null);
    const { client, cleanup } = await benchNamespace(url, sut.adminToken);
    try {
      for (const spec of ROWS) {
        let row: Row;
        try {
          rateLimited = 0;
          row = await measureRow(spec, client, floors);
          if (rateLimited > 0) {
            row.note = [
              row.note,
              `${rateLimited} RATE_LIMITED answers retried (latencies include the retries); ` +
                "the server limits requests per token (rate_limit / EVENTODB_RATE_LIMIT; off by default)",
            ]
              .filter(Boolean)
              .join("; ");
          }
        } catch (e) {
          row = { name: spec.name, ops: 0, opsPerSec: NaN, avg: NaN, p10: NaN, p50: NaN, p95: NaN, p99: NaN, verdict: "ERROR", note: String(e), floor: null, ofFloor: null };
        }
        const f = row.floor;
        row.ofFloor = f && row.p10 > 0 && f.p10 > 0 ? f.p10 / row.p10 : null;
        row.opsOfFloor = f && row.opsPerSec > 0 && f.opsPerSec > 0 ? row.opsPerSec / f.opsPerSec : null;
        rows.push(row);
        say(`${row.name}: ${perSec(row.opsPerSec)} ops/s, p10 ${fmt(row.p10, 3)} ms; ${f ? `${f.name} p10 ${fmt(f.p10, 3)} ms` : "floor n/a"}`);
      }
    } finally {
      await cleanup();
    }
  } finally {
    forget();
    await floors.close();
    await sut.server?.stop();
  }

  say(table(rows));
  for (const r of rows) if (r.note) say(`  ${r.name}: ${r.note}`);
  say("Targets (docs/PERFORMANCE.md): write p95 < 10 ms / p99 < 20 ms; stream read (100) < 20 / 40 ms;");
  say("category read (100) < 30 / 60 ms; SSE poke delivery < 5 / 10 ms; throughput > 1000 writes/s (acceptable > 500).");
  say("Floors, measured by this process in slices interleaved with each row's (of floor = floor p10 ÷ row p10):");
  for (const [name, what] of Object.entries(FLOOR_DESCRIPTIONS)) say(`  ${name}: ${what}`);
  say("Performance is measured here, not asserted: FAIL rows do not change the exit status.");

  const setup = sut.setup === "external" ? `external:${backend ?? "unknown"}` : sut.setup;
  const results: Results = {
    schema: SCHEMA,
    createdAt: new Date().toISOString(),
    setup,
    url,
    server: { version, backend, startedByBench: sut.server !== undefined },
    budget: { ops: OPS, seconds: SECONDS, warmup: WARMUP },
    machine: { platform: process.platform, arch: process.arch, cpus: cpus().length, bun: Bun.version },
    latencyUnit: "ms",
    rows,
    ...(process.env.BENCH_NOTE ? { note: process.env.BENCH_NOTE } : {}),
  };
  const json = JSON.stringify(results, null, 2) + "\n"; // NaN (an ERROR row's timings) becomes null
  if (process.env.BENCH_JSON) await Bun.write(process.env.BENCH_JSON, json);
  if (options.jsonToStdout) await Bun.write(Bun.stdout, json);
  return results;
}

// Under `bun test` this registers one test; under `bun run` bun:test refuses
// to register outside the test runner, and the benchmark simply runs.
let registered = false;
try {
  const { test, expect } = await import("bun:test");
  test(
    "performance benchmark (guide's table; timings reported, not asserted)",
    async () => {
      const results = await runBenchmarks();
      expect(results.rows.length).toBeGreaterThan(0);
    },
    (SECONDS * 12 + 180) * 1000,
  );
  registered = true;
} catch {
  registered = false;
}
// The JSON goes to stdout when it is redirected or piped, not to a terminal.
if (!registered && import.meta.main) await runBenchmarks({ jsonToStdout: !process.stdout.isTTY });
