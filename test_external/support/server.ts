// Builds the server from the repository root (or takes EVENTODB_BIN) and runs
// it on a free port, for the benchmark when no EVENTODB_URL is given (run.sh
// does the same in bash).
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export interface RunningServer {
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra `serve` flags; default ["--test-mode"]. */
  args?: string[];
  /** Add --data-dir with a fresh directory, removed on stop(). */
  dataDir?: boolean;
  /** Seconds to wait for GET /health. */
  timeoutSeconds?: number;
}

const repoRoot = resolve(import.meta.dir, "..", "..");

/** A TCP port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

/** Builds cmd/eventodb into a temporary directory and returns the binary path. */
export async function buildServer(dir: string): Promise<string> {
  const bin = join(dir, "eventodb");
  const p = Bun.spawn(["go", "build", "-o", bin, "./cmd/eventodb"], { cwd: repoRoot, stdout: "inherit", stderr: "inherit" });
  if ((await p.exited) !== 0) throw new Error("go build ./cmd/eventodb failed");
  return bin;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "eventodb-bench-"));
  const bin = process.env.EVENTODB_BIN ? resolve(process.env.EVENTODB_BIN) : await buildServer(dir);
  const port = await freePort();
  const args = [bin, "serve", ...(options.args ?? ["--test-mode"]), "--port", String(port)];
  if (options.dataDir) args.push("--data-dir", join(dir, "data"));
  const log = join(dir, "server.err.log");
  // output goes to files: an unread pipe would block a chatty server
  // The benchmark measures the server, not the cost of logging every request:
  // EVENTODB_LOG_LEVEL turns request logs back on.
  const env = {
    ...process.env,
    EVENTODB_LOG_LEVEL: process.env.EVENTODB_LOG_LEVEL ?? "warn",
  };
  const proc = Bun.spawn(args, { cwd: dir, env, stdout: Bun.file(join(dir, "server.out.log")), stderr: Bun.file(log) });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutSeconds ?? 30) * 1000;
  const stop = async () => {
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
    await proc.exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  for (;;) {
    if (proc.exitCode !== null) {
      const err = await Bun.file(log).text().catch(() => "");
      await stop();
      throw new Error(`the server exited with ${proc.exitCode}: ${err.slice(-2000)}`);
    }
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the server did not answer GET /health on ${url} in time`);
    }
    await Bun.sleep(100);
  }
  return { url, stop };
}
