// Seed "Bindings" (000): "Then, use the type in your worker". Changes: WorkerEnv is imported from env.ts.
import type { WorkerEnv } from "./env.ts";

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: any) {
    // Type-safe access to bindings
    const value = await env.MY_KV.get("key");
    const apiKey = env.API_KEY;
    
    return new Response(`Value: ${value}`);
  }
};
