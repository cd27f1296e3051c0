// Infrastructure tests: alchemy.test gives each test its own scope.
import alchemy, { destroy } from "alchemy";
import { KVNamespace, Worker } from "alchemy/cloudflare";
import "alchemy/test/vitest";
import { afterAll, beforeAll, describe, expect } from "vitest";

const test = alchemy.test(import.meta, { prefix: "ci", quiet: true, destroyStrategy: "parallel" });

describe("KV", () => {
  test("creates a namespace", async (scope) => {
    try {
      const kv = await KVNamespace("cache", { values: [{ key: "a", value: "1" }] });
      expect(kv.namespaceId).toBeTruthy();
      expect(kv.title).toContain("cache");
      expect(kv).toMatchObject({ type: "kv_namespace" });
      expect(scope.fqn("cache")).toMatch(/cache$/);
    } finally {
      await destroy(scope);
    }
  });

  test("binds it to a Worker", { quiet: false }, async (scope) => {
    const kv = await KVNamespace("cache");
    const worker = await Worker("api", {
      script: "export default { fetch: () => new Response('ok') }",
      bindings: { KV: kv },
    });
    const res = await fetch(worker.url!);
    expect(res.status).toBe(200);
    await expect(res.text()).resolves.toBe("ok");
    await destroy(scope);
  }, 60_000);

  test.skipIf(!process.env.CLOUDFLARE_API_TOKEN)("runs remotely", async () => {});
  test.skip("not yet", async () => {});
});

test.beforeAll(async (scope) => {
  expect(scope.stage).toBeDefined();
});
test.afterAll(async (scope) => {
  await destroy(scope);
});
