// Props are checked against the resource's Props interface: a misspelt or unknown prop is an error.
import alchemy from "alchemy";
import { KVNamespace, R2Bucket, Worker } from "alchemy/cloudflare";

const app = await alchemy("unknown-prop", { stge: "dev" }); // error TS2561: Object literal may only specify known properties, but 'stge' does not exist in type 'AlchemyOptions'
const kv = await KVNamespace("cache", { titel: "cache" }); // error TS2561: Object literal may only specify known properties, but 'titel' does not exist in type 'KVNamespaceProps'
const bucket = await R2Bucket("files", { name: "files", jurisdictionn: "eu" }); // error TS2561: Object literal may only specify known properties, but 'jurisdictionn' does not exist in type 'R2BucketProps'
await Worker("api", {
  entrypoint: "./src/api.ts",
  bindngs: { KV: kv }, // error TS2561: Object literal may only specify known properties, but 'bindngs' does not exist in type 'EntrypointWorkerProps
});
await Worker("inline", {
  script: "export default {}",
  compatibilityDate: 20250101, // error TS2322: Type 'number' is not assignable to type 'string'
});
await app.finalize();
