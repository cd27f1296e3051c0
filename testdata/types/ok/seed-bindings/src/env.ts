// Seed "Bindings" (000), "Type-Safe Bindings". Changes: the import names the file with its extension.
import type { myWorker } from "../alchemy.run.ts";

export type WorkerEnv = typeof myWorker.Env;

declare module "cloudflare:workers" {
  namespace Cloudflare {
    export interface Env extends WorkerEnv {}
  }
}
