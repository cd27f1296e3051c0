// Resource functions return promises: using one without await is an error.
import alchemy from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";

await alchemy("missing-await");
const kv = KVNamespace("cache");
const api = Worker("api", {
  entrypoint: "./src/api.ts",
  bindings: {
    KV: kv, // error TS2322: Type 'Promise<KVNamespace>' is not assignable to type 'Binding'
  },
});
console.log(api.url); // error TS2339: Property 'url' does not exist on type 'Promise<Worker<
