// Cloudflare.Env augmented globally (the form wrangler's generated types use) types `env` from
// "cloudflare:workers" and the default Env of WorkerEntrypoint and DurableObject.
import alchemy from "alchemy";
import { DurableObjectNamespace, KVNamespace, Worker } from "alchemy/cloudflare";
import type { Room } from "./src/worker.ts";

await alchemy("global-env");

export const worker = await Worker("chat", {
  entrypoint: "./src/worker.ts",
  bindings: {
    MESSAGES: await KVNamespace("messages"),
    ROOMS: DurableObjectNamespace<Room>("rooms", { className: "Room", sqlite: true }),
    MAX_MESSAGES: 100,
  },
});
