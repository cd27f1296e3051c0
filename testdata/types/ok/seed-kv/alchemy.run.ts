// Seed "KV bindings" (001) describes a wrangler.toml binding `TODO` to the namespace "My Tasks". This is
// the same binding made by a program.
import alchemy from "alchemy";
import { DurableObjectNamespace, KVNamespace, Worker } from "alchemy/cloudflare";

await alchemy("seed-kv");
const todo = await KVNamespace("todo", { title: "My Tasks" });

export const worker = await Worker("worker", {
  entrypoint: "./src/index.ts",
  bindings: {
    TODO: todo,
    NAMESPACE: todo,
    STORE: DurableObjectNamespace("store", { className: "DurableObject" }),
  },
});
