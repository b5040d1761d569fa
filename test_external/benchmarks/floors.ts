// Floors: the least this machine can do for one operation, measured by the
// benchmark itself in the same run, in slices interleaved with the slices of
// the row they belong to (so both see the same machine: a busy neighbour or a
// slow disk moment slows both). A row's ratio to its floor travels between
// machines far better than its ops/s: a faster disk or CPU moves both.
//
//   http-request   a POST /rpc to a trivial Bun.serve server, in a child
//                  process started by the benchmark, that answers every
//                  request with the same tiny JSON body; sent with the same
//                  client (EventoDBClient over fetch, keep-alive) the rows use.
//                  The floor of the read rows.
//   sqlite-commit  a durable one-row SQLite commit through bun:sqlite: WAL,
//                  synchronous=FULL, one INSERT per transaction, in a temporary
//                  directory (BENCH_FLOOR_DIR, default the system's temp dir,
//                  where the self-started server keeps its data too). The
//                  floor of the rows whose every operation is a durable write.
import { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventoDBClient } from "../client";

export type FloorName = "http-request" | "sqlite-commit";

export const FLOOR_DESCRIPTIONS: Record<FloorName, string> = {
  "http-request": "POST /rpc answered by an empty Bun.serve handler (child process), same client as the rows",
  "sqlite-commit": "one-row INSERT committed by bun:sqlite, WAL (warm), synchronous=FULL, one commit per operation",
};

/** Latencies in ms. */
export interface Measured {
  ops: number;
  opsPerSec: number;
  avg: number;
  /** The fast end: least disturbed by other work on the machine; floor ratios use it. */
  p10: number;
  p50: number;
  p95: number;
  p99: number;
}

/** Timed operations: latencies and the time they took together, in ms. */
export interface Samples {
  latencies: number[];
  elapsed: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Mean and nearest-rank percentiles of latencies (ms) over elapsedMs. */
export function measured(latencies: number[], elapsedMs: number): Measured {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    ops: sorted.length,
    opsPerSec: sorted.length / (elapsedMs / 1000),
    avg: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length),
    p10: percentile(sorted, 10),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** Runs op n times, one at a time, timing each. */
export async function timed(n: number, op: () => unknown): Promise<Samples> {
  const latencies: number[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op();
    latencies.push(performance.now() - t0);
  }
  return { latencies, elapsed: performance.now() - start };
}

// --- http-request ----------------------------------------------------------

// The trivial server: every request gets the same small JSON answer. It
// exits when its stdin closes, so it never outlives the benchmark, however
// that ends.
const TRIVIAL_SERVER = `
const server = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch: () => new Response('"0.0.0"', { headers: { "Content-Type": "application/json" } }),
});
console.log(server.port);
for await (const _ of Bun.stdin.stream()) {}
process.exit(0);
`;

/** Untimed requests to a newly started trivial server: its first requests run cold code on both sides. */
const HTTP_WARMUP = 300;

/** The trivial Bun.serve server in a child process (the same bun binary), and a client of it. */
export class HttpRequestFloor {
  private readonly client: EventoDBClient;

  private constructor(
    readonly url: string,
    private readonly proc: ReturnType<typeof Bun.spawn>,
  ) {
    this.client = new EventoDBClient(url, {});
  }

  static async start(): Promise<HttpRequestFloor> {
    const proc = Bun.spawn([process.execPath, "-e", TRIVIAL_SERVER], { stdout: "pipe", stderr: "inherit", stdin: "pipe" });
    const reader = proc.stdout.getReader();
    let text = "";
    let timer: Timer | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), 10_000);
    });
    try {
      while (!text.includes("\n")) {
        const chunk = await Promise.race([reader.read(), timeout]);
        if (!chunk || chunk.done) {
          proc.kill();
          throw new Error("the trivial Bun.serve server did not print its port within 10 s");
        }
        text += new TextDecoder().decode(chunk.value);
      }
    } finally {
      clearTimeout(timer); // a pending timer would keep the benchmark's process alive
      try {
        reader.releaseLock();
      } catch {
        // a read still pending after the timeout: the process is gone anyway
      }
    }
    const floor = new HttpRequestFloor(`http://127.0.0.1:${Number(text.trim())}`, proc);
    for (let i = 0; i < HTTP_WARMUP; i++) await floor.request();
    return floor;
  }

  /** One request, checked. */
  async request(): Promise<void> {
    const v = await this.client.rpc<string>("sys.version");
    if (v !== "0.0.0") throw new Error(`the trivial server answered ${JSON.stringify(v)}`);
  }

  async close(): Promise<void> {
    this.proc.kill();
    await this.proc.exited;
  }
}

// --- sqlite-commit ---------------------------------------------------------

/** Commits that take a fresh WAL past its first automatic checkpoint (1000 pages). */
export const WAL_WARM_COMMITS = 1500;

/** A SQLite database in a temporary directory, committing one row per operation durably. */
export class SqliteCommitFloor {
  readonly path: string;
  private readonly dir: string;
  private readonly db: Database;
  private readonly insert: ReturnType<Database["prepare"]>;
  private next = 0;

  constructor(parent: string = process.env.BENCH_FLOOR_DIR ?? tmpdir()) {
    this.dir = mkdtempSync(join(parent, "eventodb-floor-"));
    this.path = join(this.dir, "floor.db");
    this.db = new Database(this.path, { create: true, strict: true });
    this.db.run("PRAGMA journal_mode = WAL");
    this.db.run("CREATE TABLE messages (id INTEGER PRIMARY KEY, type TEXT NOT NULL, data TEXT NOT NULL)");
    this.warmWAL();
    this.db.run("PRAGMA synchronous = FULL");
    this.insert = this.db.prepare("INSERT INTO messages (type, data) VALUES (?, ?)");
  }

  /**
   * Brings the fresh WAL to its steady state, as in a server that has been
   * running: undurable commits grow the WAL file past the automatic
   * checkpoint, after which commits reuse the file instead of growing it. (A
   * growing file costs each fsync a metadata update too: about twice the time
   * of a commit in steady state.)
   */
  private warmWAL(): void {
    this.db.run("PRAGMA synchronous = OFF");
    this.db.run("CREATE TABLE warm (id INTEGER PRIMARY KEY, data TEXT NOT NULL)");
    const warm = this.db.prepare("INSERT INTO warm (data) VALUES (?)");
    for (let i = 0; i < WAL_WARM_COMMITS; i++) warm.run("warming the write-ahead log");
    warm.finalize();
  }

  /** One autocommitted INSERT: one transaction, one fsync of the WAL. */
  commit(): void {
    this.insert.run("Bench", `{"i":${this.next++}}`);
  }

  /** The connection's journal mode and synchronous level (2 = FULL). */
  settings(): { journalMode: string; synchronous: number } {
    const j = this.db.query("PRAGMA journal_mode").get() as { journal_mode: string };
    const s = this.db.query("PRAGMA synchronous").get() as { synchronous: number };
    return { journalMode: j.journal_mode, synchronous: s.synchronous };
  }

  close(): void {
    this.insert.finalize();
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// --- both ------------------------------------------------------------------

/** The floors of one run: each set up on first use, all closed by close(). */
export class FloorMeter {
  private http?: HttpRequestFloor;
  private sqlite?: SqliteCommitFloor;

  /** Times n operations of the named floor. */
  async slice(name: FloorName, n: number): Promise<Samples> {
    if (name === "sqlite-commit") {
      const floor = (this.sqlite ??= new SqliteCommitFloor());
      return timed(n, () => floor.commit());
    }
    const floor = (this.http ??= await HttpRequestFloor.start());
    return timed(n, () => floor.request());
  }

  async close(): Promise<void> {
    this.sqlite?.close();
    this.sqlite = undefined;
    await this.http?.close();
    this.http = undefined;
  }
}
