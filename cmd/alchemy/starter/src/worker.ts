// The Worker. Its env is typed from the bindings it gets in alchemy.run.ts.
import type { worker } from "../alchemy.run.ts";

type Env = typeof worker.Env;

export default {
  // Counts the requests to each path in the KV namespace.
  async fetch(request: Request, env: Env): Promise<Response> {
    const key = new URL(request.url).pathname;
    const count = Number((await env.KV.get(key)) ?? "0") + 1;
    await env.KV.put(key, String(count));
    return new Response(`${key} ${count}\n`);
  },
} satisfies ExportedHandler<Env>;
