package runtime_test

import (
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

func TestConsoleFormatsLikeNode(t *testing.T) {
	tests := []struct {
		expr string
		want string
	}{
		{`"plain", 1, true, null, undefined`, "plain 1 true null undefined"},
		{`"%s is %d years and %i", "Bob", 42.5, 42.9`, "Bob is 42.5 years and 42"},
		{`"%j %o", { a: [1] }, [1]`, `{"a":[1]} [ 1 ]`},
		{`"100%% sure %s"`, "100% sure %s"},
		{`"%c styled", "color: red"`, " styled"},
		{`{ a: 1, b: "two", c: [1, 2, { d: 3 }] }`, "{ a: 1, b: 'two', c: [ 1, 2, { d: 3 } ] }"},
		{`{ nested: { deeper: { deepest: { gone: 1 } } } }`, "{ nested: { deeper: { deepest: [Object] } } }"},
		{`{ "with-dash": 1, valid_id: 2, 3: 4 }`, "{ '3': 4, 'with-dash': 1, valid_id: 2 }"},
		{`[]`, "[]"},
		{`{}`, "{}"},
		{`-0, 0, NaN, 10n, Symbol("s")`, "-0 0 NaN 10n Symbol(s)"},
		{`["it's", 'say "hi"']`, `[ "it's", 'say "hi"' ]`},
		{`new Map([["a", 1], ["b", { c: 2 }]])`, "Map(2) { 'a' => 1, 'b' => { c: 2 } }"},
		{`new Set([1, "x"])`, "Set(2) { 1, 'x' }"},
		{`new Date(0)`, "1970-01-01T00:00:00.000Z"},
		{`/ab+c/gi`, "/ab+c/gi"},
		{`function named() {}, () => {}, class Foo {}, async function af() {}`, "[Function: named] [Function (anonymous)] [class Foo] [AsyncFunction: af]"},
		{`new (class Point { constructor(public x = 1, public y = 2) {} })()`, "Point { x: 1, y: 2 }"},
		{`Object.create(null)`, "[Object: null prototype] {}"},
		{`new Uint8Array([1, 2, 3])`, "Uint8Array(3) [ 1, 2, 3 ]"},
		{`Buffer.from("hi")`, "<Buffer 68 69>"},
		{`Promise.resolve(5), new Promise(() => {})`, "Promise { 5 } Promise { <pending> }"},
		{`(() => { const o: any = { name: "loop" }; o.self = o; return o; })()`, "{ name: 'loop', self: [Circular *1] }"},
		{`[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]`, "[\n  1, 2, 3, 4,  5,\n  6, 7, 8, 9, 10\n]"},
		{`{ description: "a fairly long string value", another: "another long string value", third: 3 }`,
			"{\n  description: 'a fairly long string value',\n  another: 'another long string value',\n  third: 3\n}"},
	}
	var src strings.Builder
	for _, tt := range tests {
		src.WriteString("console.log(" + tt.expr + ");\nconsole.log(\"--\");\n")
	}
	out := runtimetest.Program(t, src.String())
	got := strings.Split(strings.TrimSuffix(out, "\n--\n"), "\n--\n")
	if len(got) != len(tests) {
		t.Fatalf("got %d outputs for %d cases:\n%s", len(got), len(tests), out)
	}
	for i, tt := range tests {
		if got[i] != tt.want {
			t.Errorf("console.log(%s)\n got: %s\nwant: %s", tt.expr, got[i], tt.want)
		}
	}
}

func TestConsoleStreams(t *testing.T) {
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": `
console.log("out");
console.info("info");
console.error("err");
console.warn("warn");
console.group("group");
console.log("indented");
console.groupEnd();
console.count(); console.count();
console.assert(1 === 2, "math", "broke");
process.stdout.write("raw\n");
`}, runtimetest.Options{})
	if res.Err != nil {
		t.Fatal(res.Formatted)
	}
	if want := "out\ninfo\ngroup\n  indented\ndefault: 1\ndefault: 2\nraw\n"; res.Stdout != want {
		t.Errorf("stdout = %q, want %q", res.Stdout, want)
	}
	if want := "err\nwarn\nAssertion failed: math broke\n"; res.Stderr != want {
		t.Errorf("stderr = %q, want %q", res.Stderr, want)
	}
}

func TestErrorsInspectWithStack(t *testing.T) {
	out := runtimetest.MustRun(t, map[string]string{
		"alchemy.run.ts": "const e: any = new Error(\"bad\");\ne.code = \"E_BAD\";\nconsole.log(String(e));\nconsole.log(e.stack.includes(\"alchemy.run.ts:1:16\"), e.stack.includes(\")(\"));\n",
	}, runtimetest.Options{})
	if out != "Error: bad\ntrue false\n" {
		t.Fatalf("stdout = %q", out)
	}
}
