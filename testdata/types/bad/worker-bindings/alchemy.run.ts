import alchemy from "alchemy";
import { DurableObjectNamespace, KVNamespace, Queue, Worker } from "alchemy/cloudflare";
import type { Counter } from "./src/api.ts";

await alchemy("worker-bindings");
export const backend = await Worker("backend", { entrypoint: "./src/backend.ts" });
export const api = await Worker("api", {
  entrypoint: "./src/api.ts",
  bindings: {
    KV: await KVNamespace("cache"),
    JOBS: await Queue<{ id: number }>("jobs"),
    COUNTER: DurableObjectNamespace<Counter>("counter", { className: "Counter" }),
    BACKEND: backend,
    API_KEY: alchemy.secret("key"),
  },
});
