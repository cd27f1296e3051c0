// The remaining Cloudflare resources and Worker props.
import alchemy from "alchemy";
import {
  CustomDomain,
  D1Database,
  DEFAULT_COMPATIBILITY_DATE,
  isKVNamespace,
  isWorker,
  KVNamespace,
  Queue,
  QueueConsumer,
  R2Bucket,
  Route,
  Worker,
  WorkerSubdomain,
  type WorkerProps,
} from "alchemy/cloudflare";
import type { Message } from "./src/consumer.ts";

const app = await alchemy("cloudflare-resources", { password: "pw" });

const bucket = await R2Bucket("assets", {
  name: "assets-bucket",
  locationHint: "weur",
  jurisdiction: "eu",
  devDomain: true,
  cors: [{ allowed: { methods: ["GET", "HEAD"], origins: ["*"] }, maxAgeSeconds: 3600 }],
  lifecycle: [{ id: "expire", conditions: { prefix: "tmp/" }, deleteObjectsTransition: { condition: { maxAge: 86400, type: "Age" } } }],
  adopt: true,
  dev: { remote: false },
});
await bucket.put("index.html", "<h1>hi</h1>", { httpMetadata: { contentType: "text/html" } });
const object = await bucket.get("index.html");
const html: string = object ? await object.text() : "";
const page = await bucket.list({ prefix: "i" });
const more: string | undefined = page.truncated ? page.cursor : undefined;

const db = await D1Database("db", {
  migrationsDir: "./migrations",
  migrationsTable: "migrations",
  primaryLocationHint: "enam",
  readReplication: { mode: "auto" },
  delete: false,
});
const clone = await D1Database("db-copy", { importFiles: ["./seed.sql"] });

const dlq = await Queue("dead-letters");
const messages = await Queue<Message>("messages", {
  settings: { deliveryDelay: 0, messageRetentionPeriod: 86400 },
  dlq,
});

const consumer = await Worker("consumer", {
  entrypoint: "./src/consumer.ts",
  bindings: { DB: db, OUT: bucket },
  eventSources: [messages, { queue: dlq, settings: { batchSize: 1, maxRetries: 0, deadLetterQueue: "dropped" } }],
  crons: ["0 * * * *"],
  routes: ["api.example.com/*", { pattern: "example.com/api/*", zoneId: "zone", adopt: true }],
  domains: ["worker.example.com", { domainName: "www.example.com", overrideExistingOrigin: true }],
  compatibilityDate: DEFAULT_COMPATIBILITY_DATE,
  compatibility: "node",
  observability: { enabled: true, logs: { invocationLogs: true } },
  placement: { mode: "smart" },
  limits: { cpu_ms: 50 },
  dev: { port: 1338 },
  bundle: { define: { DEBUG: "false" } },
  assets: { not_found_handling: "single-page-application", run_worker_first: ["/api/*"] },
  url: false,
});

const props: WorkerProps = { script: "export default {}", bindings: { X: "y" } };
const inline = await Worker("inline", props);

const route = await Route("extra-route", { pattern: "extra.example.com/*", script: consumer });
const domain = await CustomDomain("extra-domain", { name: "extra.example.com", workerName: consumer.name, zoneId: "zone" });
const manual = await QueueConsumer("manual", { queue: messages, scriptName: inline.name, settings: { batchSize: 5 } });
await WorkerSubdomain("subdomain", { scriptName: inline.name, previewsEnabled: false });

console.log(
  html, more, clone.id, db.migrationsTable, messages.settings?.deliveryDelay, route.zoneId, domain.createdAt,
  manual.queueId, consumer.routes?.map((r) => r.pattern), consumer.domains?.[0]?.name, consumer.url ?? "no url",
  isWorker(consumer), isKVNamespace(await KVNamespace("kv", { delete: false })), consumer.updatedAt.getTime(),
);
await app.finalize();
