// Seed "Bindings" (000): "Or use the global import". The augmentation in env.ts types `env`.
import { env } from "cloudflare:workers";

await env.MY_KV.get("key")

const apiKey: string = env.API_KEY;
const debug: boolean = env.DEBUG_MODE;
export { apiKey, debug };
