// "Data survives a restart": run.sh runs this file twice against a file-backed
// server: RESTART_PHASE=write before stopping it, RESTART_PHASE=verify after
// starting it again on the same data directory. RESTART_STATE names the file
// that carries what was written from one phase to the other.
import { describe, expect, test } from "bun:test";
import { EventoDBClient } from "../client";

const URL = process.env.EVENTODB_URL ?? "http://localhost:8080";
const ADMIN = process.env.EVENTODB_TOKEN;
const PHASE = process.env.RESTART_PHASE;
const STATE = process.env.RESTART_STATE ?? "/tmp/eventodb-restart-state.json";

interface State {
  namespace: string;
  token: string;
  defaultStream: string;
  written: { stream: string; position: number; globalPosition: number; id: string; type: string }[];
  createdAt: string;
}

const admin = new EventoDBClient(URL, { token: ADMIN });

if (PHASE === "write") describe("restart: write phase", () => {
  test("writes data in a new namespace and in default", async () => {
    const namespace = `restart-${Date.now().toString(36)}`;
    const created = await admin.createNamespace(namespace, { description: "survives a restart" });
    const c = new EventoDBClient(URL, { token: created.token });
    const written: State["written"] = [];
    for (const [stream, type] of [["acct-1", "Opened"], ["acct-2", "Opened"], ["acct-1", "Deposited"]] as const) {
      const id = crypto.randomUUID();
      const r = await c.writeMessage(stream, { type, data: { stream, type }, metadata: { correlationStreamName: "flow-1" } }, { id });
      written.push({ stream, position: r.position, globalPosition: r.globalPosition, id, type });
    }
    const batch = await c.writeMessages("acct-3", [
      { type: "A", data: {} },
      { type: "B", data: {} },
    ]);
    const batchMsgs = await c.getStream("acct-3");
    for (const m of batchMsgs) written.push({ stream: "acct-3", position: m[2], globalPosition: m[3], id: m[0], type: m[1] });
    expect(batch.count).toBe(2);
    const defaultStream = `restartdefault-${Date.now().toString(36)}`;
    await admin.writeMessage(defaultStream, { type: "InDefault", data: {} });
    const state: State = { namespace, token: created.token, defaultStream, written, createdAt: created.createdAt };
    await Bun.write(STATE, JSON.stringify(state));
  });
});

if (PHASE === "verify") describe("restart: verify phase", () => {
  test("everything written before the restart is there, unchanged, and writing continues after it", async () => {
    const state = JSON.parse(await Bun.file(STATE).text()) as State;
    const c = new EventoDBClient(URL, { token: state.token });
    // the namespace token still works (the server keeps token hashes)
    const cat = await c.getCategory("acct");
    expect(cat.map((m) => [m[1], m[3], m[4], m[0].toLowerCase(), m[2]])).toEqual(
      [...state.written].sort((a, b) => a.globalPosition - b.globalPosition).map((w) => [w.stream, w.position, w.globalPosition, w.id.toLowerCase(), w.type]),
    );
    expect(await c.getStreamVersion("acct-1")).toBe(1);
    expect(await c.getStreamVersion("acct-3")).toBe(1);
    const info = await admin.getNamespaceInfo(state.namespace);
    expect(info.description).toBe("survives a restart");
    expect(info.createdAt).toBe(state.createdAt);
    expect(info.messageCount).toBe(state.written.length);
    expect(info.streamCount).toBe(3);
    expect((await c.getCategory("acct", { correlation: "flow" })).length).toBe(3);
    // an idempotent retry after the restart still answers the original positions
    const first = state.written[0]!;
    const retry = await c.writeMessage(first.stream, { type: first.type, data: { stream: first.stream, type: first.type } }, { id: first.id });
    expect(retry).toMatchObject({ position: first.position, globalPosition: first.globalPosition });
    // global positions continue, never reused
    const maxGp = Math.max(...state.written.map((w) => w.globalPosition));
    const next = await c.writeMessage("acct-1", { type: "AfterRestart", data: {} }, { expectedVersion: 1 });
    expect(next.position).toBe(2);
    expect(next.globalPosition).toBeGreaterThan(maxGp);
    // the admin token (same --token) still reaches default and its data
    expect(await admin.getStreamVersion(state.defaultStream)).toBe(0);
    await admin.deleteNamespace(state.namespace);
  });
});

// Durable consumer groups (PROTOCOL.md §8) keep their checkpoints across a
// restart: an ack is answered only once it is committed.
const GROUP_STATE = `${STATE}.groups`;

interface GroupState {
  namespace: string;
  token: string;
  info: unknown;
  written: number[];
}

if (PHASE === "write") describe("restart: write phase", () => {
  test("creates a consumer group and acks part of its category", async () => {
    const namespace = `restartg-${Date.now().toString(36)}`;
    const { token } = await admin.createNamespace(namespace);
    const c = new EventoDBClient(URL, { token });
    const written: number[] = [];
    for (let i = 0; i < 5; i++) written.push((await c.writeMessage(`job-${i}`, { type: "Queued", data: { i } })).globalPosition);
    await c.createGroup("workers", { category: "job", size: 1 });
    await c.ackGroup("workers", { member: 0, globalPosition: written[2]! });
    const state: GroupState = { namespace, token, info: await c.getGroupInfo("workers"), written };
    await Bun.write(GROUP_STATE, JSON.stringify(state));
  });
});

if (PHASE === "verify") describe("restart: verify phase", () => {
  test("the consumer group's checkpoint survived the restart", async () => {
    const state = JSON.parse(await Bun.file(GROUP_STATE).text()) as GroupState;
    const c = new EventoDBClient(URL, { token: state.token });
    expect(await c.getGroupInfo("workers")).toEqual(state.info as never);
    expect((await c.fetchGroup("workers", { member: 0 })).map((m) => m[4])).toEqual(state.written.slice(3));
    await admin.deleteNamespace(state.namespace);
  });
});

// Without RESTART_PHASE (a plain `bun test`), this file registers no test.
