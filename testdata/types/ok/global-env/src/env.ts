import type { worker } from "../alchemy.run.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {}
  }
}

type WorkerEnv = typeof worker.Env;
