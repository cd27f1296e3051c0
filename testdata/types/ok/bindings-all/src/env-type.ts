// Exact runtime types of the bindings declared in alchemy.run.ts.
import type { api, backend, jobs } from "../alchemy.run.ts";
import type { Counter, Job, OrderParams } from "./api.ts";
import type { Backend } from "./backend.ts";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type Env = typeof api.Env;

export type Checks = [
  Expect<Equal<Env["KV"], KVNamespace>>,
  Expect<Equal<Env["BUCKET"], R2Bucket>>,
  Expect<Equal<Env["DB"], D1Database>>,
  Expect<Equal<Env["JOBS"], Queue<Job>>>,
  Expect<Equal<Env["COUNTER"], DurableObjectNamespace<Counter>>>,
  Expect<Equal<Env["ORDERS"], Workflow<OrderParams>>>,
  Expect<Equal<Env["BACKEND"], Service<Backend>>>,
  Expect<Equal<Env["PLAIN"], Fetcher>>,
  Expect<Equal<Env["LEGACY"], Service<Backend>>>,
  Expect<Equal<Env["SELF"], Fetcher>>,
  Expect<Equal<Env["ASSETS"], Fetcher>>,
  Expect<Equal<Env["VERSION"], WorkerVersionMetadata>>,
  Expect<Equal<Env["DEV_URL"], string>>,
  Expect<Equal<Env["CONFIG"], { readonly region: "eu"; readonly retries: 3 }>>,
  Expect<Equal<Env["API_KEY"], string>>,
  Expect<Equal<Env["TOKEN"], string>>,
  Expect<Equal<Env["GREETING"], string>>,
  Expect<Equal<Env["LIMIT"], number>>,
  Expect<Equal<Env["DEBUG"], boolean>>,
  Expect<Equal<Env["TAGS"], string[]>>,
  Expect<Equal<Env["SETTINGS"], { theme: string; beta: boolean }>>,
  Expect<Equal<Env["NOTHING"], null>>,
  Expect<Equal<keyof typeof backend.Env, never>>,
  Expect<Equal<typeof jobs.Body, Job>>,
  Expect<Equal<typeof jobs.Batch, MessageBatch<Job>>>,
];
