package testrun

import "testing"

// TestMocksAndAsymmetricMatchers runs vi.fn, vi.spyOn, the call matchers,
// the asymmetric matchers and expect.assertions on code that passes and
// that fails. want is "" for a pass, else the failure's message (exactly).
func TestMocksAndAsymmetricMatchers(t *testing.T) {
	cases := []matcherCase{
		{`const f = vi.fn(); f(1, "a"); expect(f).toHaveBeenCalled(); expect(f).toHaveBeenCalledTimes(1); expect(f).toHaveBeenCalledWith(1, "a"); expect(f.mock.calls).toEqual([[1, "a"]])`, ""},
		{`const f = vi.fn(); expect(f).toHaveBeenCalled()`, `AssertionError: expected "spy" to be called at least once`},
		{`const f = vi.fn(); f(); expect(f).not.toHaveBeenCalled()`, `AssertionError: expected "spy" to not be called at all, but actually been called 1 time`},
		{`const f = vi.fn(); f(); f(); expect(f).toHaveBeenCalledTimes(1)`, `AssertionError: expected "spy" to be called 1 time, but got 2 times`},
		{`const f = vi.fn(); f(2); f(3); expect(f).toHaveBeenCalledWith(1)`, `AssertionError: expected "spy" to be called with arguments: [1]; calls: [2], [3]`},
		{`const f = vi.fn().mockName("fetcher"); expect(f).toHaveBeenCalledWith(1)`, `AssertionError: expected "fetcher" to be called with arguments: [1], but it was never called`},
		{`const f = vi.fn(); f(1); f(2); expect(f).toHaveBeenLastCalledWith(2); expect(f).toHaveBeenNthCalledWith(1, 1)`, ""},
		{`const f = vi.fn(); f(1); f(2); expect(f).toHaveBeenLastCalledWith(1)`, `AssertionError: expected last call of "spy" to be called with arguments: [1]; calls: [1], [2]`},
		{`expect(() => 1).toHaveBeenCalled()`, `TypeError: toHaveBeenCalled: [Function anonymous] is not a spy or a call to a spy!`},

		{`const f = vi.fn((x: number) => x * 2); expect(f(2)).toBe(4); expect(f).toHaveReturned(); expect(f).toHaveReturnedWith(4); expect(f).toHaveLastReturnedWith(4); expect(f.mock.results).toEqual([{ type: "return", value: 4 }])`, ""},
		{`const f = vi.fn(() => { throw new Error("x") }); expect(() => f()).toThrow("x"); expect(f).not.toHaveReturned(); expect(f.mock.results[0].type).toBe("throw")`, ""},
		{`const f = vi.fn((x: number) => x); f(1); expect(f).toHaveReturnedWith(2)`, `AssertionError: expected "spy" to return 2; returns: 1`},
		{`const f = vi.fn().mockReturnValue(7).mockReturnValueOnce(1); expect([f(), f(), f()]).toEqual([1, 7, 7])`, ""},
		{`const f = vi.fn().mockResolvedValue("ok"); await expect(f()).resolves.toBe("ok")`, ""},
		{`const f = vi.fn().mockRejectedValueOnce(new Error("no")); await expect(f()).rejects.toThrow("no"); expect(f()).toBeUndefined()`, ""},
		{`const f = vi.fn(() => 1).mockImplementation(() => 2); expect(f()).toBe(2); f.mockReset(); expect(f()).toBe(1); expect(f.mock.calls).toHaveLength(1)`, ""},
		{`const f = vi.fn(); f(); f.mockClear(); expect(f).not.toHaveBeenCalled(); expect(vi.isMockFunction(f)).toBe(true)`, ""},
		{`class C { constructor(public n: number) {} }; const F = vi.fn(C); const c = new F(3); expect(c.n).toBe(3); expect(F.mock.instances[0]).toBe(c)`, ""},

		{`const o = { add(a: number, b: number) { return a + b; } }; const s = vi.spyOn(o, "add"); expect(o.add(1, 2)).toBe(3); expect(s).toHaveBeenCalledWith(1, 2); s.mockReturnValue(0); expect(o.add(1, 2)).toBe(0); s.mockRestore(); expect(o.add(1, 2)).toBe(3); expect(vi.isMockFunction(o.add)).toBe(false)`, ""},
		{`class A { hi() { return "a"; } }; const a = new A(); const s = vi.spyOn(a, "hi").mockImplementation(() => "b"); expect(a.hi()).toBe("b"); s.mockRestore(); expect(a.hi()).toBe("a"); expect(Object.keys(a)).toEqual([])`, ""},
		{`const o = { get v() { return 1; } }; const s = vi.spyOn(o, "v", "get").mockReturnValue(5); expect(o.v).toBe(5); expect(s).toHaveBeenCalledTimes(1); vi.restoreAllMocks(); expect(o.v).toBe(1)`, ""},
		{`vi.spyOn({ a: 1 } as any, "a")`, `TypeError: vi.spyOn: a is not a function, it is 1`},
		{`const f = vi.fn(); f(); vi.clearAllMocks(); expect(f).toHaveBeenCalledTimes(0)`, ""},

		{`let n = 0; const v = await vi.waitFor(() => { n++; if (n < 3) throw new Error("not yet"); return n; }, { interval: 1 }); expect(v).toBe(3)`, ""},
		{`await vi.waitFor(() => { throw new Error("never") }, { timeout: 20, interval: 5 })`, "Error: never"},
		{`let n = 0; expect(await vi.waitUntil(() => ++n >= 2 && "done", { interval: 1 })).toBe("done")`, ""},
		{`await vi.waitUntil(() => false, { timeout: 20, interval: 5 })`, "Error: Timed out in waitUntil!"},

		{`expect({ id: 7, at: new Date(), name: "x", tags: ["a", "b"] }).toEqual({ id: expect.any(Number), at: expect.any(Date), name: expect.anything(), tags: expect.arrayContaining(["b"]) })`, ""},
		{`expect({ id: "7" }).toEqual({ id: expect.any(Number) })`, `AssertionError: expected {"id": "7"} to deeply equal {"id": Any<Number>}`},
		{`expect({ a: null }).toEqual({ a: expect.anything() })`, `AssertionError: expected {"a": null} to deeply equal {"a": Anything}`},
		{`expect({ a: 1, b: { c: 2, d: 3 } }).toStrictEqual(expect.objectContaining({ b: expect.objectContaining({ c: 2 }) }))`, ""},
		{`expect({ a: 1 }).toEqual(expect.objectContaining({ a: 2 }))`, `AssertionError: expected {"a": 1} to deeply equal ObjectContaining {"a": 2}`},
		{`expect("hello world").toEqual(expect.stringContaining("lo w")); expect("v1.2").toEqual(expect.stringMatching(/^v\d/)); expect("abc").toEqual(expect.stringMatching("b"))`, ""},
		{`expect(["a"]).toEqual(expect.arrayContaining(["a", "b"]))`, `AssertionError: expected ["a"] to deeply equal ArrayContaining ["a", "b"]`},
		{`expect({ a: "x" }).toEqual({ a: expect.not.stringContaining("y") }); expect([1]).toEqual(expect.not.arrayContaining([2])); expect({ a: 1 }).toEqual(expect.not.objectContaining({ b: 1 }))`, ""},
		{`expect("xy").toEqual(expect.not.stringMatching(/y/))`, `AssertionError: expected "xy" to deeply equal StringNotMatching /y/`},
		{`expect({ n: 0.1 + 0.2, s: "id-1", deep: { t: 1 } }).toMatchObject({ n: expect.closeTo(0.3), s: expect.stringMatching(/^id-/), deep: expect.anything() })`, ""},
		{`const f = vi.fn(); f({ id: 1, at: Date.now() }); expect(f).toHaveBeenCalledWith(expect.objectContaining({ id: 1 })); expect(f).toHaveBeenCalledWith({ id: 1, at: expect.any(Number) })`, ""},
		{`expect.any(1 as any)`, "TypeError: expect.any(constructor): expected a class or constructor, got 1"},

		{`expect.assertions(2); expect(1).toBe(1); await expect(Promise.resolve(1)).resolves.toBe(1)`, ""},
		{`expect.assertions(2); expect(1).toBe(1)`, "AssertionError: expected number of assertions to be 2, but got 1"},
		{`expect.hasAssertions()`, "AssertionError: expected any number of assertion, but got none"},
		{`expect.hasAssertions(); expect(1).toBeTruthy()`, ""},
	}
	runMatcherCases(t, cases)
}
