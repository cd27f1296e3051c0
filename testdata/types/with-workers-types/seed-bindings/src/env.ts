// Seed "Bindings" (000), env.ts. Changes: Cloudflare.Env is augmented globally (`declare global`): the
// seed's `declare module "cloudflare:workers" { namespace Cloudflare … }` form breaks
// @cloudflare/workers-types' own declarations (TS2694 in its index.d.ts), alchemy's types or not.
import type { myWorker } from "../alchemy.run";

export type WorkerEnv = typeof myWorker.Env;

declare global {
  namespace Cloudflare {
    export interface Env extends WorkerEnv {}
  }
}
