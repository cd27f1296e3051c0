// A Worker has an entrypoint or an inline script.
import alchemy from "alchemy";
import { Worker } from "alchemy/cloudflare";

await alchemy("worker-props");
await Worker("neither", { // error TS2345: Argument of type '{ name: string; }' is not assignable to parameter of type 'WorkerProps<{}, WorkerEntrypointBranded>'
  name: "neither",
});
await Worker("both", { // error TS2345: Argument of type '{ entrypoint: string; script: string; }' is not assignable to parameter of type 'WorkerProps<{}, WorkerEntrypointBranded>'
  entrypoint: "./src/api.ts",
  script: "export default {}",
});
const w = await Worker("ok", { script: "export default {}", url: false });
const url: string = w.url; // error TS2322: Type 'string | undefined' is not assignable to type 'string'
