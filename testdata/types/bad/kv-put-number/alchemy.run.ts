import alchemy from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";

await alchemy("kv-put-number");
export const api = await Worker("api", {
  entrypoint: "./src/api.ts",
  bindings: { KV: await KVNamespace("cache") },
});
