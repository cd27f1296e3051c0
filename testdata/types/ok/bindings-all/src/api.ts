// A Worker that uses every binding through its runtime type.
import { DurableObject, WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from "cloudflare:workers";
import type { api } from "../alchemy.run.ts";

type Env = typeof api.Env;

export interface Job {
  id: number;
  kind: "email" | "sms";
}

export interface OrderParams {
  orderId: string;
}

export class Counter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hits (path TEXT PRIMARY KEY, n INTEGER)");
    });
  }

  async hit(path: string): Promise<number> {
    this.ctx.storage.sql.exec("INSERT INTO hits VALUES (?, 1) ON CONFLICT(path) DO UPDATE SET n = n + 1", path);
    const row = this.ctx.storage.sql.exec<{ n: number }>("SELECT n FROM hits WHERE path = ?", path).one();
    await this.ctx.storage.setAlarm(Date.now() + 60_000);
    return row.n;
  }

  async total(): Promise<number> {
    let sum = 0;
    for (const row of this.ctx.storage.sql.exec<{ n: number }>("SELECT n FROM hits")) {
      sum += row.n;
    }
    const stored = await this.ctx.storage.get<number>("total");
    await this.ctx.storage.put("total", sum);
    const all: Map<string, number> = await this.ctx.storage.list<number>({ prefix: "t" });
    return sum + (stored ?? 0) + all.size;
  }

  async alarm(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }
}

export class Orders extends WorkflowEntrypoint<Env, OrderParams> {
  async run(event: Readonly<WorkflowEvent<OrderParams>>, step: WorkflowStep): Promise<string> {
    const order = await step.do("load", async () => ({ id: event.payload.orderId, total: 3 }));
    await step.sleep("wait", "1 minute");
    await step.do("charge", { retries: { limit: 3, delay: "5 seconds", backoff: "exponential" } }, async () => {
      await this.env.KV.put(`order:${order.id}`, String(order.total));
    });
    return order.id;
  }
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url);

    // KV
    const text: string | null = await env.KV.get("a");
    const json = await env.KV.get<{ x: number }>("b", "json");
    const bytes: ArrayBuffer | null = await env.KV.get("b", { type: "arrayBuffer", cacheTtl: 60 });
    const { value, metadata } = await env.KV.getWithMetadata<{ owner: string }>("a");
    const many: Map<string, string | null> = await env.KV.get(["a", "b"]);
    await env.KV.put("c", "3", { expirationTtl: 120, metadata: { owner: "me" } });
    const listed = await env.KV.list<{ owner: string }>({ prefix: "c", limit: 10 });
    const cursor = listed.list_complete ? undefined : listed.cursor;
    await env.KV.delete("c");

    // R2
    const put = await env.BUCKET.put("hello.txt", "hi", { httpMetadata: { contentType: "text/plain" } });
    const object = await env.BUCKET.get("hello.txt");
    const body = object ? await object.text() : "";
    const head = await env.BUCKET.head("hello.txt");
    const page = await env.BUCKET.list({ prefix: "h", include: ["customMetadata"] });
    await env.BUCKET.delete(["a", "b"]);

    // D1
    const user = await env.DB.prepare("SELECT id, name FROM users WHERE id = ?1").bind(1).first<{ id: number; name: string }>();
    const name = await env.DB.prepare("SELECT name FROM users").first<string>("name");
    const rows = await env.DB.prepare("SELECT * FROM users").all<{ id: number }>();
    const [first] = await env.DB.batch([env.DB.prepare("DELETE FROM users"), env.DB.prepare("VACUUM")]);
    await env.DB.exec("CREATE TABLE IF NOT EXISTS t (x INTEGER)");

    // Queue
    await env.JOBS.send({ id: 1, kind: "email" });
    await env.JOBS.sendBatch([{ body: { id: 2, kind: "sms" }, delaySeconds: 10 }]);

    // Durable Object over RPC
    const stub = env.COUNTER.get(env.COUNTER.idFromName(url.pathname));
    const hits: number = await stub.hit(url.pathname);
    const total: number = await env.COUNTER.getByName("all").total();
    const viaFetch = await stub.fetch(request);

    // Workflow
    const instance = await env.ORDERS.create({ id: "o-1", params: { orderId: "o-1" } });
    const status = await instance.status();

    // Service bindings: typed RPC, and plain fetch
    const sum: number = await env.BACKEND.add(1, 2);
    const greeting: string = await env.BACKEND.greet("you");
    const legacy: number = await env.LEGACY.add(3, 4);
    const plain = await env.PLAIN.fetch("https://plain/", { method: "POST", body: "x" });
    const self = await env.SELF.fetch(new Request("https://self/health"));
    const asset = await env.ASSETS.fetch(request);

    // Values
    const region: "eu" = env.CONFIG.region;
    const retries: number = env.CONFIG.retries + env.LIMIT;
    const key: string = env.API_KEY + env.TOKEN + env.GREETING + env.DEV_URL + env.VERSION.id;
    const flags: boolean = env.DEBUG && !env.SETTINGS.beta;
    const tags: string[] = env.TAGS.map((t) => t.toUpperCase());
    const nothing: null = env.NOTHING;

    ctx.waitUntil(env.KV.put("last", url.pathname));
    return Response.json({
      text, json, bytes: bytes?.byteLength, value, metadata, many: many.size, cursor,
      put: put.etag, body, head: head?.size, page: page.objects.length, truncated: page.truncated,
      user, name, rows: rows.results.length, first: first?.meta.changes,
      hits, total, viaFetch: viaFetch.status, status: status.status,
      sum, greeting, legacy, plain: plain.ok, self: self.status, asset: asset.headers.get("content-type"),
      region, retries, key, flags, tags, nothing, theme: env.SETTINGS.theme,
    });
  },

  async queue(batch, env) {
    for (const message of batch.messages) {
      const job: Job = message.body;
      if (job.kind === "sms") message.retry({ delaySeconds: 30 });
      else message.ack();
    }
    await env.KV.put("batch", batch.queue);
  },

  async scheduled(controller, env, ctx) {
    ctx.waitUntil(env.KV.put("cron", `${controller.cron} ${controller.scheduledTime}`));
  },
} satisfies ExportedHandler<Env, Job>;
