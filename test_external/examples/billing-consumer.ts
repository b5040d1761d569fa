// A durable consumer (PROTOCOL.md §8), as the README shows it: run several
// copies and they split the "account" category between them; stop one (or
// kill it) and another takes over its member from its last ack.
//
//   cd test_external
//   EVENTODB_URL=http://localhost:8080 EVENTODB_TOKEN=ns_… npx bun examples/billing-consumer.ts
import { EventoDBClient } from "../client";

const client = new EventoDBClient(process.env.EVENTODB_URL ?? "http://localhost:8080", {
  token: process.env.EVENTODB_TOKEN,
});

// Idempotent: every copy may create it at start.
await client.createGroup("billing", { category: "account", size: 2 });

const consumer = client.consume(
  "billing",
  async ([id, stream, type, position, globalPosition, data], { member }) => {
    console.log(`member ${member}: ${stream}@${position} (${globalPosition}) ${type} ${id}`, data);
  },
  { ttl: "30s", batchSize: 100, onError: (e) => console.error(e) },
);

// Ctrl-C: finish the message in hand, ack, stop.
process.on("SIGINT", () => void consumer.stop());
await consumer.done;
