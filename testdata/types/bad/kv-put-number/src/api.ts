// The KV binding's methods are typed: keys are strings.
import type { api } from "../alchemy.run.ts";

export default {
  async fetch(request: Request, env: typeof api.Env): Promise<Response> {
    await env.KV.put(1, "x"); // error TS2345: Argument of type 'number' is not assignable to parameter of type 'string'
    await env.KV.put("key", { not: "a string" }); // error TS2353: Object literal may only specify known properties, and 'not' does not exist in type
    const n: number | null = await env.KV.get("key"); // error TS2322: Type 'string | null' is not assignable to type 'number | null'
    return new Response("ok");
  },
};
