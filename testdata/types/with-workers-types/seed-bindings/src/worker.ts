// Seed "Bindings" (000), the typed worker and the global import. Changes: WorkerEnv is imported.
import { env } from "cloudflare:workers";
import type { WorkerEnv } from "./env";

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: any) {
    // Type-safe access to bindings
    const value = await env.MY_KV.get("key");
    const apiKey = env.API_KEY;
    
    return new Response(`Value: ${value}`);
  }
};

await env.MY_KV.get("key")

const debug: boolean = env.DEBUG_MODE;
const apiKey: string = env.API_KEY;
export { apiKey, debug };
