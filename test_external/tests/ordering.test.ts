// A reader that tails a category by global position must never skip a message,
// even while many writers append concurrently (PROTOCOL.md §1 globalPosition, §2
// category.get; ARCHITECTURE "no reader following global positions may ever skip").
import { afterAll, expect, test } from "bun:test";
import { cleanupNamespaces, freshNamespace } from "./support";

afterAll(cleanupNamespaces);

test("a tailing category reader sees every message written by 8 concurrent writers", async () => {
  const { client } = await freshNamespace("tail");
  const writers = 8;
  const perWriter = 60;
  let done = false;
  const seen: number[] = [];
  const reader = (async () => {
    let cursor = 1;
    for (;;) {
      const finished = done; // read once more after the writers finished
      const page = await client.getCategory("tail", { globalPosition: cursor, batchSize: 7 });
      for (const m of page) seen.push(m[4]);
      if (page.length > 0) cursor = page[page.length - 1]![4] + 1;
      else if (finished) return;
      else await Bun.sleep(1);
    }
  })();
  const written: number[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) {
        const r = await client.writeMessage(`tail-${w}`, { type: "T", data: { w, i } });
        written.push(r.globalPosition);
      }
    }),
  );
  done = true;
  await reader;
  expect(seen.length).toBe(writers * perWriter);
  expect(seen).toEqual([...written].sort((a, b) => a - b));
}, 60_000);
