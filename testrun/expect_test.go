package testrun

import (
	"fmt"
	"strings"
	"testing"
)

// TestExpect runs each matcher on values that pass and that fail, with
// .not, resolves and rejects. want is "" for a pass, else the failure's
// message (exactly).
func TestExpect(t *testing.T) {
	cases := []matcherCase{
		{`expect(2).toBe(2)`, ""},
		{`expect(NaN).toBe(NaN)`, ""},
		{`expect(0).toBe(-0)`, "AssertionError: expected 0 to be -0 (Object.is)"},
		{`expect({ a: 1 }).toBe({ a: 1 })`, `AssertionError: expected {"a": 1} to be {"a": 1} (Object.is) (the values are equal but not the same object: use toStrictEqual)`},
		{`expect(1).not.toBe(1)`, "AssertionError: expected 1 not to be 1 (Object.is)"},
		{`expect(1, "the count").toBe(2)`, "AssertionError: the count: expected 1 to be 2 (Object.is)"},

		{`expect({ a: 1, b: undefined }).toEqual({ a: 1 })`, ""},
		{`expect([1, [2, { c: 3 }]]).toEqual([1, [2, { c: 3 }]])`, ""},
		{`expect(new Map([["k", { v: 1 }]])).toEqual(new Map([["k", { v: 1 }]]))`, ""},
		{`expect(new Set([{ a: 1 }, 2])).toEqual(new Set([2, { a: 1 }]))`, ""},
		{`expect(new Date(5)).toEqual(new Date(5))`, ""},
		{`expect(/a/g).toEqual(/a/g)`, ""},
		{`expect(/a/g).toEqual(/a/i)`, "AssertionError: expected /a/g to deeply equal /a/i"},
		{`expect(new Uint8Array([1, 2])).toEqual(new Uint8Array([1, 2]))`, ""},
		{`expect(new Uint8Array([1, 2])).toEqual(new Uint8Array([1, 3]))`, "AssertionError: expected Uint8Array [1, 2] to deeply equal Uint8Array [1, 3]"},
		{`class P { constructor(public x: number) {} }; expect(new P(1)).toEqual({ x: 1 })`, ""},
		{`expect([1]).toEqual([1, 2])`, "AssertionError: expected [1] to deeply equal [1, 2]"},
		{`expect({ a: 1 }).not.toEqual({ a: 2 })`, ""},
		{`expect(new Error("x")).toEqual(new Error("y"))`, "AssertionError: expected [Error: x] to deeply equal [Error: y]"},
		{`const o: any = { n: 1 }; o.self = o; const p: any = { n: 1 }; p.self = p; expect(o).toEqual(p)`, ""},

		{`expect({ a: 1 }).toStrictEqual({ a: 1 })`, ""},
		{`expect({ a: undefined }).toStrictEqual({})`, `AssertionError: expected {"a": undefined} to strictly equal {}`},
		{`class P { constructor(public x: number) {} }; expect(new P(1)).toStrictEqual({ x: 1 })`, `AssertionError: expected P {"x": 1} to strictly equal {"x": 1}`},
		{`expect([, 1]).toStrictEqual([undefined, 1])`, "AssertionError: expected [<empty>, 1] to strictly equal [undefined, 1]"},

		{`expect({ a: 1, b: { c: 2, d: 3 }, e: [1] }).toMatchObject({ b: { c: 2 }, e: [1] })`, ""},
		{`expect({ a: 1, b: { c: 2 } }).toMatchObject({ b: { c: 3 } })`, `AssertionError: expected {"a": 1, "b": {"c": 2}} to match object {"b": {"c": 3}}`},
		{`expect([{ a: 1, b: 2 }]).toMatchObject([{ a: 1 }])`, ""},
		{`expect({}).toMatchObject(1 as any)`, "TypeError: toMatchObject: expected must be an object, got 1"},

		{`expect("alchemy").toContain("chem")`, ""},
		{`expect([1, 2, 3]).toContain(2)`, ""},
		{`expect(new Set(["a"])).toContain("a")`, ""},
		{`expect([{ a: 1 }]).toContain({ a: 1 })`, `AssertionError: expected [{"a": 1}] to contain {"a": 1}`},
		{`expect([{ a: 1 }]).toContainEqual({ a: 1 })`, ""},
		{`expect([1]).not.toContain(1)`, "AssertionError: expected [1] not to contain 1"},
		{`expect(5 as any).toContain(1)`, "TypeError: toContain: 5 is neither a string nor iterable"},

		{`expect("alchemy").toMatch(/^al/)`, ""},
		{`expect("alchemy").toMatch("chem")`, ""},
		{`expect("alchemy").toMatch(/x/)`, `AssertionError: expected "alchemy" to match /x/`},

		{`expect(() => { throw new TypeError("bad input") }).toThrow()`, ""},
		{`expect(() => { throw new TypeError("bad input") }).toThrow("bad")`, ""},
		{`expect(() => { throw new TypeError("bad input") }).toThrow(/^bad/)`, ""},
		{`expect(() => { throw new TypeError("bad input") }).toThrow(TypeError)`, ""},
		{`expect(() => { throw new TypeError("bad input") }).toThrowError(new Error("bad input"))`, ""},
		{`expect(() => { throw new TypeError("bad input") }).toThrow(RangeError)`, "AssertionError: expected to throw an instance of RangeError, but it threw [TypeError: bad input]"},
		{`expect(() => 1).toThrow()`, "AssertionError: expected the function to throw, but it returned normally"},
		{`expect(() => 1).not.toThrow()`, ""},
		{`expect(() => { throw new Error("x") }).not.toThrow()`, "AssertionError: expected the function not to throw, but it threw [Error: x]"},

		{`expect(1).toBeTruthy(); expect(0).toBeFalsy(); expect(null).toBeNull(); expect(undefined).toBeUndefined(); expect(0).toBeDefined(); expect(NaN).toBeNaN()`, ""},
		{`expect("").toBeTruthy()`, `AssertionError: expected "" to be truthy`},
		{`expect(undefined).toBeDefined()`, "AssertionError: expected undefined to be defined"},
		{`expect(null).not.toBeNull()`, "AssertionError: expected null not to be null"},

		{`expect([1, 2]).toHaveLength(2); expect("abc").toHaveLength(3)`, ""},
		{`expect([1, 2]).toHaveLength(3)`, "AssertionError: expected [1, 2] to have length 3, its length is 2"},
		{`expect(5).toHaveLength(1)`, "AssertionError: expected 5 to have length 1, it has no length"},

		{`expect({ a: { b: [{ c: 1 }] } }).toHaveProperty("a.b[0].c", 1)`, ""},
		{`expect({ a: { b: 1 } }).toHaveProperty(["a", "b"])`, ""},
		{`expect({ a: { b: 1 } }).toHaveProperty("a.c")`, `AssertionError: expected {"a": {"b": 1}} to have property "a.c"`},
		{`expect({ a: { b: 1 } }).toHaveProperty("a.b", 2)`, `AssertionError: expected {"a": {"b": 1}} to have property "a.b" equal to 2, it is 1`},
		{`expect({ a: undefined }).toHaveProperty("a")`, ""},

		{`expect(3).toBeGreaterThan(2); expect(3).toBeGreaterThanOrEqual(3); expect(1n).toBeLessThan(2n); expect(2).toBeLessThanOrEqual(2)`, ""},
		{`expect(2).toBeGreaterThan(2)`, "AssertionError: expected 2 to be greater than 2"},
		{`expect("3" as any).toBeLessThan(4)`, `TypeError: the value must be a number or bigint, got "3"`},

		{`expect(0.1 + 0.2).toBeCloseTo(0.3); expect(1.004).toBeCloseTo(1, 2)`, ""},
		{`expect(1.01).toBeCloseTo(1, 2)`, "AssertionError: expected 1.01 to be close to 1 (2 digits)"},

		{`expect(new Date()).toBeInstanceOf(Date)`, ""},
		{`expect({}).toBeInstanceOf(Date)`, "AssertionError: expected {} to be an instance of Date, it is Object"},

		{`await expect(Promise.resolve({ a: 1 })).resolves.toEqual({ a: 1 })`, ""},
		{`await expect(Promise.reject(new Error("no"))).rejects.toThrow("no")`, ""},
		{`await expect(Promise.resolve(1)).resolves.not.toBe(2)`, ""},
		{`await expect(Promise.reject(new Error("no"))).resolves.toBe(1)`, "AssertionError: expected the promise to resolve, but it rejected with [Error: no]"},
		{`await expect(Promise.resolve(1)).rejects.toThrow()`, "AssertionError: expected the promise to reject, but it resolved with 1"},
		{`await expect(1 as any).resolves.toBe(1)`, "TypeError: expect(value).resolves: the value must be a promise, got 1"},
	}
	runMatcherCases(t, cases)
}

// matcherCase is a test body and the exact failure message it must give ("" for
// a pass).
type matcherCase struct{ code, want string }

// runMatcherCases runs each case as one test of a file (expect, test and vi
// imported from vitest) and checks its outcome and that a failure has a
// location.
func runMatcherCases(t *testing.T, cases []matcherCase) {
	t.Helper()
	var b strings.Builder
	b.WriteString("import { expect, test, vi } from \"vitest\";\n")
	for i, c := range cases {
		fmt.Fprintf(&b, "test(%q, async () => { %s; });\n", fmt.Sprint(i), c.code)
	}
	fr := runSource(t, b.String(), Options{})
	if len(fr.Results) != len(cases) {
		t.Fatalf("%d results for %d cases: %q", len(fr.Results), len(cases), summary(fr))
	}
	for i, c := range cases {
		r := fr.Results[i]
		got := ""
		if r.Failure != nil {
			got = r.Failure.Message
		}
		if got != c.want {
			t.Errorf("%s\n got: %q\nwant: %q", c.code, got, c.want)
		}
		if c.want != "" && r.Failure.Location == nil {
			t.Errorf("%s: no location", c.code)
		}
	}
}
