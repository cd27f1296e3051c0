package runtime_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

// Each case throws somewhere and names the exact original position the
// error must be reported at (1-based line and column of the throw's
// expression, as node reports them).
func TestThrowPositionsAreOriginal(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		head  string // first line of the formatted error
		line  string // the source line shown under it
	}{
		{
			name:  "entry",
			files: map[string]string{"alchemy.run.ts": "const x: number = 1;\nif (x) throw new Error(\"top\");\n"},
			head:  "alchemy.run.ts:2:14: error: Error: top",
			line:  "  2 | if (x) throw new Error(\"top\");\n    |              ^\n",
		},
		{
			name: "imported TypeScript with types erased",
			files: map[string]string{
				"alchemy.run.ts": "import { parse } from \"./src/parse\";\nparse(\"{\");\n",
				"src/parse.ts": "interface Options { strict: boolean }\n" +
					"export function parse(text: string, opts: Options = { strict: true }): unknown {\n" +
					"  if (opts.strict) {\n" +
					"    return JSON.parse(text);\n" +
					"  }\n" +
					"}\n",
			},
			head: "src/parse.ts:4:17: error: SyntaxError:",
			line: "  4 |     return JSON.parse(text);\n    |                 ^\n",
		},
		{
			name: "first line of a file that uses import.meta",
			files: map[string]string{
				"alchemy.run.ts": "import { where } from \"./lib/where\";\nwhere();\n",
				"lib/where.ts":   "export function where() { throw new Error(import.meta.filename.endsWith(\"where.ts\") ? \"here\" : \"?\"); }\n",
			},
			head: "lib/where.ts:1:33: error: Error: here",
			line: "  1 | export function where() { throw new Error(import.meta.filename.endsWith(\"where.ts\") ? \"here\" : \"?\"); }\n    |                                 ^\n",
		},
		{
			name: "CommonJS package in node_modules",
			files: map[string]string{
				"alchemy.run.ts":                    "import check from \"checker\";\ncheck(-1);\n",
				"node_modules/checker/package.json": `{"name":"checker","main":"lib/index.js"}`,
				"node_modules/checker/lib/index.js": "\"use strict\";\nmodule.exports = function check(n) {\n  if (n < 0) throw new RangeError(\"negative: \" + n + \" in \" + require(\"path\").basename(__filename));\n  return n;\n};\n",
			},
			head: "node_modules/checker/lib/index.js:3:20: error: RangeError: negative: -1 in index.js",
			line: "  3 |   if (n < 0) throw new RangeError(\"negative: \" + n + \" in \" + require(\"path\").basename(__filename));\n    |                    ^\n",
		},
		{
			name:  "class method called after an await",
			files: map[string]string{"alchemy.run.ts": "class Store {\n  #items = new Map<string, number>();\n  get(key: string): number {\n    const v = this.#items.get(key);\n    if (v === undefined) throw new Error(`missing ${key}`);\n    return v;\n  }\n}\nawait Promise.resolve();\nnew Store().get(\"k\");\n"},
			head:  "alchemy.run.ts:5:32: error: Error: missing k",
			line:  "  5 |     if (v === undefined) throw new Error(`missing ${key}`);\n    |                                ^\n",
		},
		{
			name:  "runtime TypeError in an arrow function",
			files: map[string]string{"alchemy.run.ts": "const items = [1, 2];\nconst f = (o?: any) =>\n  o.missing.deeper;\nitems.map(() => f({}));\n"},
			head:  "alchemy.run.ts:3:13: error: TypeError: Cannot read property 'deeper' of undefined",
			line:  "  3 |   o.missing.deeper;\n    |             ^\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runtimetest.Run(t, tt.files, runtimetest.Options{})
			if res.Err == nil {
				t.Fatal("run succeeded")
			}
			first, rest, _ := strings.Cut(res.Formatted, "\n")
			if !strings.HasPrefix(first, tt.head) {
				t.Errorf("first line = %q, want prefix %q\n%s", first, tt.head, res.Formatted)
			}
			if !strings.HasPrefix(rest, tt.line) {
				t.Errorf("source excerpt:\n%s\nwant:\n%s", rest, tt.line)
			}
		})
	}
}

func TestThrownNonErrorAndCause(t *testing.T) {
	// A non-Error thrown by a callback: the throw's own position.
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": "const v = 42;\nsetTimeout(() => {\n  throw { code: v };\n}, 1);\n"}, runtimetest.Options{})
	if !strings.HasPrefix(res.Formatted, "alchemy.run.ts:3:3: error: { code: 42 }") {
		t.Errorf("formatted:\n%s", res.Formatted)
	}
	// Rejected with a non-Error: no stack to report, the value still shows.
	res = runtimetest.Run(t, map[string]string{"alchemy.run.ts": "await Promise.resolve();\nthrow \"plain\";\n"}, runtimetest.Options{})
	if res.Formatted != "error: 'plain'\n" {
		t.Errorf("formatted:\n%q", res.Formatted)
	}
	res = runtimetest.Run(t, map[string]string{"alchemy.run.ts": `
try {
  JSON.parse("nope");
} catch (e) {
  throw new Error("config is broken", { cause: e });
}
`}, runtimetest.Options{})
	var se *runtime.ScriptError
	if !errors.As(res.Err, &se) || se.Cause == nil || !strings.HasPrefix(se.Cause.Message, "SyntaxError") {
		t.Fatalf("err = %#v, want a cause", res.Err)
	}
	if !strings.Contains(res.Formatted, "alchemy.run.ts:5:9: error: Error: config is broken") ||
		!strings.Contains(res.Formatted, "caused by: alchemy.run.ts:3:8: error: SyntaxError") {
		t.Errorf("formatted:\n%s", res.Formatted)
	}
}

func TestErrorStackSeenByJS(t *testing.T) {
	out := runtimetest.MustRun(t, map[string]string{
		"alchemy.run.ts": "import { boom } from \"./b\";\ntry { boom(); } catch (e: any) {\n  const at = e.stack.split(\"\\n\")[1].trim();\n  console.log(at.slice(at.indexOf(\"(\") + 1).replace(process.cwd() + \"/\", \"\"));\n}\n",
		"b.ts":           "export const boom = () => {\n  throw new Error(\"x\");\n};\n",
	}, runtimetest.Options{})
	// err.stack names the original file, line and column too.
	if !strings.HasPrefix(out, "b.ts:2:9") {
		t.Fatalf("stack frame = %q, want b.ts:2:9", out)
	}
}

func TestErrorCaptureStackTrace(t *testing.T) {
	out := runtimetest.Program(t, `
class MyError extends Error {
  constructor(msg: string) {
    super(msg);
    this.name = "MyError";
    Error.captureStackTrace(this, MyError);
  }
}
const e = new MyError("custom");
console.log(e.stack.split("\n")[0], e instanceof MyError, e instanceof Error);
`)
	if out != "MyError: custom true true\n" {
		t.Fatalf("stdout = %q", out)
	}
}
