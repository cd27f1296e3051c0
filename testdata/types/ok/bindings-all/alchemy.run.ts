// Every kind of binding, and the runtime type each one gets in the Worker (see src/env-type.ts).
import alchemy, { type } from "alchemy";
import {
  Assets,
  D1Database,
  DurableObjectNamespace,
  Json,
  KVNamespace,
  Queue,
  R2Bucket,
  Self,
  VersionMetadata,
  Worker,
  WorkerRef,
  Workflow,
} from "alchemy/cloudflare";
import type { Counter, Job, OrderParams } from "./src/api.ts";
import type { Backend } from "./src/backend.ts";

const app = await alchemy("bindings-all", { password: process.env.ALCHEMY_PASSWORD });

const kv = await KVNamespace("cache", {
  values: [
    { key: "a", value: "1" },
    { key: "b", value: { x: 1 }, expirationTtl: 3600 },
  ],
});
const bucket = await R2Bucket("files", { empty: true });
const db = await D1Database("db", { migrationsDir: "./migrations" });
export const jobs = await Queue<Job>("jobs", { settings: { deliveryDelay: 5 } });

export const backend = await Worker("backend", {
  entrypoint: "./src/backend.ts",
  rpc: type<Backend>,
});

export const api = await Worker("api", {
  entrypoint: "./src/api.ts",
  compatibilityDate: "2025-09-01",
  compatibilityFlags: ["nodejs_compat"],
  bindings: {
    KV: kv,
    BUCKET: bucket,
    DB: db,
    JOBS: jobs,
    COUNTER: DurableObjectNamespace<Counter>("counter", { className: "Counter", sqlite: true }),
    ORDERS: Workflow<OrderParams>("orders", { className: "Orders" }),
    BACKEND: backend,
    PLAIN: await Worker("plain", { script: "export default { fetch() { return new Response('plain') } }" }),
    LEGACY: WorkerRef<Backend>({ service: "legacy-backend" }),
    SELF: Self,
    ASSETS: await Assets({ path: "./public" }),
    VERSION: VersionMetadata(),
    DEV_URL: Worker.DevUrl,
    CONFIG: Json({ region: "eu", retries: 3 }),
    API_KEY: alchemy.secret("key"),
    TOKEN: alchemy.secret.env.API_TOKEN,
    GREETING: "hello",
    LIMIT: 10,
    DEBUG: true,
    TAGS: ["a", "b"],
    SETTINGS: { theme: "dark", beta: false },
    NOTHING: null,
  },
  eventSources: [{ queue: jobs, settings: { batchSize: 10, maxRetries: 3 } }],
  crons: ["*/5 * * * *"],
  url: true,
});

console.log(api.url, api.name, api.bindings.KV.namespaceId, api.createdAt.toISOString());
await app.finalize();
