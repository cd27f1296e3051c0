// Seed "What is Alchemy" (002), "Testing". Changes: Worker and expect are imported.
import { alchemy, destroy } from "alchemy";
import { Worker } from "alchemy/cloudflare";
import "alchemy/test/vitest";
import { expect } from "vitest";

const test = alchemy.test(import.meta);

test("create worker", async (scope) => {
  const worker = await Worker("test-worker", {
    script: "export default { fetch() { return new Response('ok') } }"
  });
  
  expect(worker.url).toBeTruthy();
  
  // Cleanup
  await destroy(scope);
});
