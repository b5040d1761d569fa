// A consumer process for the "killed mid-batch" test of tests/groups.test.ts:
// it runs EventoDBClient.consume on a group and appends "globalPosition
// member pid" to a log file for every message it handled. The test kills it
// with SIGKILL in the middle of a batch and starts another.
//
// Environment: EVENTODB_URL, GROUP_TOKEN, GROUP_NAME, GROUP_LOG (file),
// HANDLE_MS (time per message, default 10), GROUP_TTL (default "1s"),
// GROUP_BATCH (default 10).
import { appendFileSync } from "node:fs";
import { EventoDBClient } from "../client";

const client = new EventoDBClient(process.env.EVENTODB_URL!, { token: process.env.GROUP_TOKEN || undefined, retryRateLimited: true });
const log = process.env.GROUP_LOG!;
const handleMs = Number(process.env.HANDLE_MS ?? 10);

client.consume(
  process.env.GROUP_NAME!,
  async (message, context) => {
    await Bun.sleep(handleMs);
    appendFileSync(log, `${message[4]} ${context.member} ${process.pid}\n`);
  },
  {
    ttl: process.env.GROUP_TTL ?? "1s",
    batchSize: Number(process.env.GROUP_BATCH ?? 10),
    idleWait: 200,
    joinRetry: 100,
    onError: (e) => console.error("consumer:", e),
  },
);
