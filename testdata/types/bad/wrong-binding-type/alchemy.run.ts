// A binding must be a resource, a descriptor, a string, a Secret or a json value.
import alchemy from "alchemy";
import { KVNamespace, Route, Worker } from "alchemy/cloudflare";

await alchemy("wrong-binding-type");
const kv = await KVNamespace("cache");
const route = await Route("route", { pattern: "example.com/*", script: "api" });

await Worker("functions", {
  entrypoint: "./src/api.ts",
  bindings: {
    HANDLER: () => "not bindable", // error TS2322: Type '() => string' is not assignable to type 'Binding'
  },
});
await Worker("routes", {
  entrypoint: "./src/api.ts",
  bindings: {
    ROUTE: route, // error TS2322: Type 'Route' is not assignable to type 'Binding'
  },
});
await Worker("dates", {
  entrypoint: "./src/api.ts",
  bindings: {
    WHEN: new Date(), // error TS2322: Type 'Date' is not assignable to type 'Binding'
  },
});
await Worker("consumer", {
  entrypoint: "./src/api.ts",
  eventSources: [kv], // error TS2322: Type 'KVNamespace' is not assignable to type 'EventSource'
});
