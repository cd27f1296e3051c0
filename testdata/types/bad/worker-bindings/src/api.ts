// Bindings have their runtime types in the Worker: misuse of one is an error.
import { DurableObject } from "cloudflare:workers";
import type { api } from "../alchemy.run.ts";

type Env = typeof api.Env;

export class Counter extends DurableObject<Env> {
  async increment(by: number): Promise<number> {
    return by;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    await env.NOPE.get("key"); // error TS2339: Property 'NOPE' does not exist on type '{ KV: KVNamespace<string>; JOBS: Queue<{ id: number; }>; COUNTER: DurableObjectNamespace<Counter>;
    const n: number = env.API_KEY; // error TS2322: Type 'string' is not assignable to type 'number'
    const stub = env.COUNTER.get(env.COUNTER.idFromName("a"));
    await stub.increment("one"); // error TS2345: Argument of type 'string' is not assignable to parameter of type 'number'
    await stub.decrement(1); // error TS2339: Property 'decrement' does not exist on type 'DurableObjectStub<Counter>'
    await env.JOBS.send({ id: "1" }); // error TS2322: Type 'string' is not assignable to type 'number'
    await env.BACKEND.fetch(request, { method: 1 }); // error TS2322: Type 'number' is not assignable to type 'string'
    return new Response(String(n));
  },
} satisfies ExportedHandler<Env>;
