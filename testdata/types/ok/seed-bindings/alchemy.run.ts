// Seed "Bindings" (000), "Using Bindings in Workers". Changes: `myWorker` is exported so that env.ts can
// `import type` it, and `alchemy` is imported for the second snippet.
import alchemy from "alchemy";
import { DurableObjectNamespace, KVNamespace, R2Bucket, Worker } from "alchemy/cloudflare";
import type { Counter } from "./src/counter.ts";

// Create a KV namespace
const myKV = await KVNamespace("MY_KV", {
  title: "my-kv-namespace"
});

// Bind the KV namespace to a worker
export const myWorker = await Worker("my-worker", {
  name: "my-worker",
  entrypoint: "./src/worker.ts",
  bindings: {
    MY_KV: myKV,
    API_KEY: "secret-key",
    DEBUG_MODE: true
  }
});

// "Binding Resources vs Values". Changes: the resources the snippet elides are declared.
const kvNamespace = await KVNamespace("kv-store");
const durableObject = DurableObjectNamespace<Counter>("counter", { className: "Counter" });
const r2Bucket = await R2Bucket("bucket");

export const worker = await Worker("worker", {
  // ...
  entrypoint: "./src/counter.ts",
  bindings: {
    // Resource bindings (automatically set up in Cloudflare)
    KV_STORE: kvNamespace,
    COUNTER: durableObject,
    BUCKET: r2Bucket,

    // Value bindings (passed as environment variables)
    API_KEY: alchemy.secret(process.env.API_KEY),
    DEBUG: "true",
    VERSION: "1.0.0"
  }
});
