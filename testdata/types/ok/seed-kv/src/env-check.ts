// The program's bindings give the Worker the Env the seed declares by hand.
import type { worker } from "../alchemy.run.ts";

type ProgramEnv = typeof worker.Env;
export const check = (env: ProgramEnv): { TODO: KVNamespace; NAMESPACE: KVNamespace } => env;
