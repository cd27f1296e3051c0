// A first program: TypeScript with top-level await, a local module and Node
// built-ins, run by `alchemy run examples/hello/alchemy.run.ts`.
import os from "node:os";
import { basename } from "node:path";
import { checklist, type Step } from "./steps";

console.log(`Hello from alchemy on ${os.platform()}/${os.arch()}!`);

const started = Date.now();
const done: Step[] = await Promise.all(checklist.map((step) => step.run()));
for (const step of done) {
  console.log(`  ✓ ${step.name}`);
}
console.log(`${done.length} steps in ${Date.now() - started} ms, from ${basename(import.meta.filename)}`);
