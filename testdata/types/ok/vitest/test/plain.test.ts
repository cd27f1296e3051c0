// The vitest surface alchemy test provides.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, test } from "vitest";

let setup = 0;
beforeAll(() => {
  setup++;
});
afterAll(async () => {});
beforeEach(() => {});
afterEach(async () => {});

describe("matchers", () => {
  it("compares", () => {
    expect(1 + 1).toBe(2);
    expect({ a: [1, { b: 2 }] }).toEqual({ a: [1, { b: 2 }] });
    expect({ a: undefined }).not.toStrictEqual({});
    expect({ a: 1, b: 2 }).toMatchObject({ a: 1 });
    expect([1, 2, 3]).toContain(2);
    expect([{ a: 1 }]).toContainEqual({ a: 1 });
    expect("alchemy").toMatch("chem");
    expect(() => JSON.parse("{")).toThrow(SyntaxError);
    expect(() => {
      throw new Error("boom");
    }).toThrowError(/boom/);
    expect(1).toBeTruthy();
    expect(0).toBeFalsy();
    expect(setup).toBeDefined();
    expect(undefined).toBeUndefined();
    expect(null).toBeNull();
    expect(NaN).toBeNaN();
    expect("abc").toHaveLength(3);
    expect({ a: { b: [1] } }).toHaveProperty("a.b.0", 1);
    expect({ a: { b: 1 } }).toHaveProperty(["a", "b"]);
    expect(3).toBeGreaterThan(2);
    expect(3).toBeGreaterThanOrEqual(3);
    expect(1n).toBeLessThan(2n);
    expect(2).toBeLessThanOrEqual(2);
    expect(0.1 + 0.2).toBeCloseTo(0.3, 5);
    expect(new Date()).toBeInstanceOf(Date);
  });

  test("promises", async () => {
    await expect(Promise.resolve(1)).resolves.toBe(1);
    await expect(Promise.reject(new Error("no"))).rejects.toThrow("no");
    await expect(Promise.resolve({ a: 1 })).resolves.not.toEqual({ a: 2 });
  });

  test.each([
    [1, 2, 3],
    [2, 3, 5],
  ])("add(%i, %i) = %i", (a, b, sum) => {
    expect(a + b).toBe(sum);
  });

  test.each([{ name: "kv" }, { name: "r2" }])("object case $name", ({ name }) => {
    expect(name.length).toBeGreaterThan(1);
  });

  test.skipIf(process.platform === "win32")("posix only", () => {});
  test.runIf(process.env.CI)("ci only", () => {});
  test.skip("skipped", () => {});
  test.todo("later");
  it.only("focused", { timeout: 1000 }, () => {});
});

describe.skip("skipped suite", () => {});
describe.each(["a", "b"])("suite %s", (letter) => {
  it("has a letter", () => expect(letter).toHaveLength(1));
});
