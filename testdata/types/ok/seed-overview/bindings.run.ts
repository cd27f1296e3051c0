// Seed "What is Alchemy" (002), "Bindings". Changes: imports and the app are added.
import alchemy from "alchemy";
import { KVNamespace, Queue, Worker } from "alchemy/cloudflare";

await alchemy("my-app");

const kv = await KVNamespace("data");
const queue = await Queue("tasks");

export const worker = await Worker("processor", {
  entrypoint: "./processor.ts",
  bindings: {
    DATA: kv,      // KV namespace binding
    TASKS: queue,  // Queue binding
    API_KEY: alchemy.secret(process.env.API_KEY) // Secret
  }
});
