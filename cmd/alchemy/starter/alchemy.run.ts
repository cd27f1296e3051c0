// The program: `alchemy dev` runs it all locally and reloads on every change; `alchemy run` deploys it to
// the Cloudflare account of CLOUDFLARE_API_TOKEN; `alchemy destroy` deletes what it made.
import alchemy from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";

const app = await alchemy("__APP__");

export const kv = await KVNamespace("kv");

export const worker = await Worker("worker", {
  entrypoint: "./src/worker.ts",
  bindings: { KV: kv },
});

console.log(`worker: ${worker.url}`);

await app.finalize();
