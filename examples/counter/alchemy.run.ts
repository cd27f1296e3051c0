// A Worker with a KV namespace, served on localhost by
// `alchemy dev examples/counter/alchemy.run.ts`: no Cloudflare account
// needed. Edit worker.ts and reload the page: the Worker is swapped in
// place; add a binding here and the program applies only that.
import alchemy from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";
import { join } from "node:path";

const app = await alchemy("counter");

const visits = await KVNamespace("visits", {
  values: [{ key: "greeting", value: "Hello from a Worker" }],
});

export const counter = await Worker("counter", {
  // Entrypoints resolve from the working directory; this one sits beside the program.
  entrypoint: join(import.meta.dirname, "worker.ts"),
  bindings: { VISITS: visits },
});

console.log(`counter: ${counter.url}`);

await app.finalize();
