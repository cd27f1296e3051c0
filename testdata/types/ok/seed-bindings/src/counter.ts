// The Durable Object bound as COUNTER by the second snippet.
import { DurableObject } from "cloudflare:workers";
import type { worker } from "../alchemy.run.ts";

type Env = typeof worker.Env;

export class Counter extends DurableObject<Env> {
  async increment(by = 1): Promise<number> {
    const count = ((await this.ctx.storage.get<number>("count")) ?? 0) + by;
    await this.ctx.storage.put("count", count);
    return count;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const stub = env.COUNTER.get(env.COUNTER.idFromName(new URL(request.url).pathname));
    const count: number = await stub.increment();
    await env.BUCKET.put("last", String(count));
    await env.KV_STORE.put("count", String(count), { expirationTtl: 60 });
    const key: string = env.API_KEY;
    const flags: [string, string] = [env.DEBUG, env.VERSION];
    return Response.json({ count, key: key.length, flags });
  },
} satisfies ExportedHandler<Env>;
