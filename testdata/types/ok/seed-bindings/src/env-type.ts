// The acceptance check of the seed's bindings example: typeof myWorker.Env maps each binding to its
// runtime type. Equal is exact: neither side may be wider.
import type { myWorker, worker } from "../alchemy.run.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;

export type MyWorkerEnv = Expect<Equal<typeof myWorker.Env, { MY_KV: KVNamespace; API_KEY: string; DEBUG_MODE: boolean }>>;

export type WorkerEnv = Expect<
  Equal<
    typeof worker.Env,
    {
      KV_STORE: KVNamespace;
      COUNTER: DurableObjectNamespace<import("./counter.ts").Counter>;
      BUCKET: R2Bucket;
      API_KEY: string;
      DEBUG: string;
      VERSION: string;
    }
  >
>;
