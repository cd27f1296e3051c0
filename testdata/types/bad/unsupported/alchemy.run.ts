// What the binary refuses is a type error: props of the TypeScript library that are not implemented,
// and modules it does not serve.
import alchemy from "alchemy";
import { D1Database, R2Bucket, Worker } from "alchemy/cloudflare";
import { CopyFile } from "alchemy/fs"; // error TS2305: Module '"alchemy/fs"' has no exported member 'CopyFile'
import { RandomString } from "alchemy/random"; // error TS2307: Cannot find module 'alchemy/random'

const app = await alchemy("unsupported", {
  stateStore: () => ({}), // error TS2322: Type '() => {}' is not assignable to type 'StateStoreType'
});

await Worker("ns", {
  entrypoint: "./src/worker.ts",
  namespace: "dispatch", // error TS2322: Type 'string' is not assignable to type 'undefined'
});
await Worker("bundled", {
  entrypoint: "./src/worker.ts",
  bundle: { minify: true }, // error TS2353: Object literal may only specify known properties, and 'minify' does not exist in type 'WorkerBundleOptions'
});
await R2Bucket("files", {
  domains: ["files.example.com"], // error TS2322: Type 'string[]' is not assignable to type 'undefined'
});
await R2Bucket("catalog", {
  dataCatalog: true, // error TS2322: Type 'true' is not assignable to type 'false'
});
await D1Database("copy", {
  clone: { name: "other" }, // error TS2322: Type '{ name: string; }' is not assignable to type 'undefined'
});

await app.finalize();
