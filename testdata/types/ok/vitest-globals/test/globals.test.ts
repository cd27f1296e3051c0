/// <reference types="vitest/globals" />
// A test file that uses the globals alchemy test gives it, as with vitest's globals: true.
import alchemy, { destroy } from "alchemy";
import { KVNamespace } from "alchemy/cloudflare";
import "alchemy/test/vitest";

const scoped = alchemy.test(import.meta);

let runs = 0;
beforeAll(() => {
  runs++;
});
afterEach(() => {});

describe("globals", () => {
  it("compares", () => {
    expect(runs).toBeGreaterThan(0);
  });
  test.skip("skipped", () => {});
  scoped("makes a namespace", async (scope) => {
    const kv = await KVNamespace("cache");
    expect(kv.title).toContain("cache");
    await destroy(scope);
  });
});
