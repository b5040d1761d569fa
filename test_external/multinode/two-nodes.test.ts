// Two server nodes on one PostgreSQL database (run.sh phase 3b): writes
// through both, reads through either must show one gap-free, ordered history,
// and a write on one node must wake subscribers on the other.
import { describe, expect, test } from "bun:test";
import { EventoDBClient, makeToken, type Poke } from "../client";

const URL_A = process.env.EVENTODB_URL ?? "";
const URL_B = process.env.EVENTODB_URL_2 ?? "";
const ADMIN = process.env.EVENTODB_TOKEN;

describe.skipIf(!URL_A || !URL_B)("two nodes on one database", () => {
  test("concurrent writes through both nodes form one ordered, gap-free history", async () => {
    const adminA = new EventoDBClient(URL_A, { token: ADMIN, retryRateLimited: true });
    const ns = `nodes-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const { token } = await adminA.createNamespace(ns);
    const nodes = [new EventoDBClient(URL_A, { token, retryRateLimited: true }), new EventoDBClient(URL_B, { token, retryRateLimited: true })];

    const workers = 8;
    const each = 40;
    const acked: number[] = [];
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const node = nodes[w % 2];
        for (let i = 0; i < each; i++) {
          const r = await node.writeMessage(`ledger-${(w * each + i) % 7}`, { type: "Posted", data: { w, i } });
          acked.push(r.globalPosition);
        }
      }),
    );
    expect(acked.length).toBe(workers * each);

    const [viaA, viaB] = await Promise.all(nodes.map((n) => n.getCategory("ledger", { batchSize: -1 })));
    expect(viaB).toEqual(viaA);
    expect(viaA.length).toBe(workers * each);
    const globals = viaA.map((m) => m[4]);
    for (let i = 1; i < globals.length; i++) expect(globals[i]).toBeGreaterThan(globals[i - 1]);
    expect(new Set(globals)).toEqual(new Set(acked));
    // Stream positions are gap-free whichever node wrote them.
    const next = new Map<string, number>();
    for (const m of viaA) {
      expect(m[3]).toBe(next.get(m[1]) ?? 0);
      next.set(m[1], m[3] + 1);
    }
  });

  test("a write on one node wakes a subscriber on the other", async () => {
    const adminA = new EventoDBClient(URL_A, { token: ADMIN, retryRateLimited: true });
    const ns = `wake-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const { token } = await adminA.createNamespace(ns);
    const writer = new EventoDBClient(URL_A, { token });
    const reader = new EventoDBClient(URL_B, { token });
    const pokes: Poke[] = [];
    let woken: () => void = () => {};
    const gotThree = new Promise<void>((resolve) => (woken = resolve));
    const sub = reader.subscribeToCategory("signal", {
      onPoke: (p) => {
        pokes.push(p);
        if (pokes.length === 3) woken();
      },
    });
    try {
      await sub.ready;
      for (let i = 0; i < 3; i++) await writer.writeMessage(`signal-${i}`, { type: "Raised", data: { i } });
      await Promise.race([gotThree, Bun.sleep(10_000).then(() => Promise.reject(new Error("no poke on node B within 10 s")))]);
      expect(pokes.map((p) => p.stream)).toEqual(["signal-0", "signal-1", "signal-2"]);
    } finally {
      sub.close();
    }
  });

  test("a delete on one node ends the old token on the other at once: requests are refused and its subscription ends", async () => {
    const adminA = new EventoDBClient(URL_A, { token: ADMIN, retryRateLimited: true });
    const ns = `del-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
    const token = makeToken(ns);
    await adminA.createNamespace(ns, { token });
    const onB = new EventoDBClient(URL_B, { token });
    await onB.writeMessage("acct-1", { type: "Old", data: {} }); // node B has checked (and cached) the token

    const controller = new AbortController();
    const sub = await fetch(`${URL_B}/subscribe?category=acct&token=${token}`, { signal: controller.signal });
    expect(sub.status).toBe(200);
    await adminA.deleteNamespace(ns);
    const refused = await onB.raw(["stream.version", "acct-1"]);
    expect(refused.status).toBe(401);
    expect((refused.json as { error: { code: string } }).error.code).toBe("AUTH_INVALID");

    await adminA.createNamespace(ns, { token }); // same id and token: a new registration
    await new EventoDBClient(URL_A, { token }).writeMessage("acct-2", { type: "New", data: {} });
    const reader = sub.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    const deadline = Date.now() + 5000;
    for (let done = false; !done && Date.now() < deadline; ) {
      const next = await Promise.race([reader.read(), Bun.sleep(deadline - Date.now()).then(() => ({ done: true, value: "" }))]);
      done = next.done;
      text += next.value ?? "";
    }
    controller.abort();
    expect(text).toContain("NAMESPACE_NOT_FOUND");
    expect(text).not.toContain("acct-2");
    await adminA.deleteNamespace(ns);
  });
});
