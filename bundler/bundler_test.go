package bundler

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/alchemy-go/alchemy/bundler/sourcemap"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

var testModules = map[string]VirtualModule{
	"node:path":          {Exports: []string{"join", "basename"}, Default: true},
	"path":               {Exports: []string{"join", "basename"}, Default: true},
	"alchemy/cloudflare": {Exports: []string{"KVNamespace", "Worker"}},
	"cloudflare:workers": {Exports: []string{"env"}},
}

func TestBundleProgram(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"alchemy.run.ts": `import { a } from "./src/a";
import { c } from "@lib/c";
import pad from "left-pad";
import { join } from "node:path";
import { env } from "cloudflare:workers";
console.log(a, c, pad("x"), join("p", "q"), env, import.meta.url);
await Promise.resolve();
`,
		"src/a.ts":                           "import { b } from \"./b\";\nexport const a: string = \"a\" + b;\n",
		"src/b.mts":                          "export const b = 2 as number;\n",
		"lib/c.ts":                           "export const c = { value: 3 } satisfies { value: number };\n",
		"tsconfig.json":                      `{"compilerOptions":{"baseUrl":".","paths":{"@lib/*":["lib/*"]}}}`,
		"node_modules/left-pad/package.json": `{"name":"left-pad","main":"index.js"}`,
		"node_modules/left-pad/index.js":     "module.exports = (s) => \" \" + s + require(\"path\").basename(__filename);\n",
	})
	res, err := Bundle(Options{Entry: "alchemy.run.ts", Dir: dir, Modules: testModules, ListInputs: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(res.Code, `(async function(){"use strict";`) || !strings.HasSuffix(strings.TrimSpace(res.Code), "})") {
		t.Errorf("bundle is not one async function expression:\n%s", res.Code)
	}
	for _, banned := range []string{"\nexport ", "\nimport ", "import.meta"} {
		if strings.Contains(res.Code, banned) {
			t.Errorf("bundle contains %q, which goja cannot run", banned)
		}
	}
	if !strings.Contains(res.Code, "await Promise.resolve()") {
		t.Error("top-level await was not kept")
	}
	wantInputs := []string{"alchemy.run.ts", "lib/c.ts", "node_modules/left-pad/index.js", "src/a.ts", "src/b.mts"}
	var gotInputs []string
	for _, in := range res.Inputs {
		rel, _ := filepath.Rel(dir, in)
		gotInputs = append(gotInputs, rel)
	}
	if strings.Join(gotInputs, ",") != strings.Join(wantInputs, ",") {
		t.Errorf("inputs = %v, want %v", gotInputs, wantInputs)
	}
	m, err := sourcemap.Parse(res.SourceMap)
	if err != nil {
		t.Fatal(err)
	}
	for i, src := range m.Sources {
		if !filepath.IsAbs(src) && !strings.Contains(src, ":") {
			t.Errorf("source %q is neither absolute nor virtual", src)
		}
		if content, ok := m.Content(i); ok && strings.Contains(content, metaVar) {
			t.Errorf("content of %s still holds the import.meta declaration", src)
		}
	}
	if res.File != filepath.Join(dir, "alchemy.run.ts.bundle.js") {
		t.Errorf("File = %s", res.File)
	}
}

// The import.meta declaration is inserted on line 1 of a file; positions on
// that line must still map to the original columns.
func TestMetaPreambleKeepsColumns(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"alchemy.run.ts": "#!/usr/bin/env alchemy\nconst here = import.meta.dirname; const marker = 1;\n",
		"lib.ts":         "const u = import.meta.url; export const target = 42;\n",
	})
	if err := os.WriteFile(filepath.Join(dir, "alchemy.run.ts"), []byte("import { target } from \"./lib\";\nconst here = import.meta.dirname; console.log(here, target);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := Bundle(Options{Entry: "alchemy.run.ts", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	m, err := sourcemap.Parse(res.SourceMap)
	if err != nil {
		t.Fatal(err)
	}
	segs, err := sourcemap.Decode(m.Mappings)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(res.Code, "\n")
	found := false
	for _, s := range segs {
		if s.Source < 0 || !strings.HasSuffix(m.Sources[s.Source], "lib.ts") {
			continue
		}
		gen := lines[s.GenLine][s.GenColumn:]
		if strings.HasPrefix(gen, "target = 42") {
			found = true
			orig, _ := m.Content(s.Source)
			if got := orig[s.OrigColumn:]; !strings.HasPrefix(got, "target = 42") {
				t.Errorf("generated %q maps to original %q", gen[:11], got)
			}
		}
	}
	if !found {
		t.Fatalf("no mapping for target in lib.ts:\n%s", res.Code)
	}
}

func TestHashbangFileWithMeta(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"alchemy.run.ts": "#!/usr/bin/env alchemy\nconsole.log(import.meta.url);\n",
	})
	res, err := Bundle(Options{Entry: "alchemy.run.ts", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := sourcemap.Parse(res.SourceMap)
	for i, src := range m.Sources {
		if strings.HasSuffix(src, "alchemy.run.ts") {
			if c, _ := m.Content(i); c != "#!/usr/bin/env alchemy\nconsole.log(import.meta.url);\n" {
				t.Errorf("restored content = %q", c)
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "syntax error",
			files: map[string]string{"alchemy.run.ts": "const ok = 1;\nconst broken = {;\n"},
			want:  []string{"alchemy.run.ts:2:17: error: Expected identifier but found \";\"", "  2 | const broken = {;\n    |                 ^"},
		},
		{
			name:  "missing relative import",
			files: map[string]string{"alchemy.run.ts": "import { x } from \"./nope\";\nconsole.log(x);\n"},
			want:  []string{"alchemy.run.ts:1:19: error: Could not resolve \"./nope\"", "  1 | import { x } from \"./nope\";\n    |                   ^~~~~~~~"},
		},
		{
			name:  "misspelled export of a built-in",
			files: map[string]string{"alchemy.run.ts": "import { KVNamespce } from \"alchemy/cloudflare\";\nawait KVNamespce(\"kv\");\n"},
			want:  []string{"alchemy.run.ts:1:10: error: No matching export in \"built-in:alchemy/cloudflare\" for import \"KVNamespce\"", "note: Did you mean to import \"KVNamespace\" instead?"},
		},
		{
			name:  "unsupported Node built-in",
			files: map[string]string{"src/x.ts": "export {};\n", "alchemy.run.ts": "import \"./src/x\";\nimport { exec } from \"child_process\";\nexec;\n"},
			want:  []string{"alchemy.run.ts:2:22: error: module \"child_process\" (imported by alchemy.run.ts) is not supported; the Node built-ins available are node:path"},
		},
		{
			name:  "unknown alchemy module",
			files: map[string]string{"alchemy.run.ts": "import { x } from \"alchemy/nope\";\nx;\n"},
			want:  []string{"alchemy.run.ts:1:19: error: module \"alchemy/nope\" (imported by alchemy.run.ts) is not supported"},
		},
		{
			name:  "unknown prefixed module",
			files: map[string]string{"alchemy.run.ts": "import { x } from \"bun:sqlite\";\nx;\n"},
			want:  []string{"alchemy.run.ts:1:19: error: module \"bun:sqlite\" (imported by alchemy.run.ts) is not supported"},
		},
		{
			name:  "error in the first line of a file using import.meta",
			files: map[string]string{"alchemy.run.ts": "const x = import.meta.url +;\n"},
			want:  []string{"alchemy.run.ts:1:28: error: Unexpected \";\"", "  1 | const x = import.meta.url +;\n    |                            ^"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeFiles(t, tt.files)
			_, err := Bundle(Options{Entry: "alchemy.run.ts", Dir: dir, Modules: testModules})
			var be *Error
			if !errors.As(err, &be) {
				t.Fatalf("err = %v, want a build error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%s\nwant it to contain:\n%s", err, w)
				}
			}
		})
	}
}

func TestMissingProgram(t *testing.T) {
	_, err := Bundle(Options{Entry: "nope.ts", Dir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "program nope.ts:") {
		t.Fatalf("err = %v", err)
	}
}

func TestBundleWorker(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"src/worker.ts": `import { env } from "cloudflare:workers";
import { helper } from "./helper";
import { Buffer } from "node:buffer";
export class Counter {}
export default { fetch: () => new Response(helper(String(env)) + Buffer.from("x").length) };
`,
		"src/helper.ts": "export const helper = (s: string) => s.toUpperCase();\n",
	})
	w, err := BundleWorker(WorkerOptions{Entry: "src/worker.ts", Dir: dir, NodeCompat: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`from "cloudflare:workers"`, `from "node:buffer"`, "export {", "Counter", "toUpperCase"} {
		if !strings.Contains(w.Code, want) {
			t.Errorf("worker bundle lacks %q:\n%s", want, w.Code)
		}
	}
	if len(w.SourceMap) == 0 || len(w.Inputs) != 2 {
		t.Errorf("source map %d bytes, inputs %v", len(w.SourceMap), w.Inputs)
	}
	_, err = BundleWorker(WorkerOptions{Entry: "src/worker.ts", Dir: dir})
	if err == nil || !strings.Contains(err.Error(), `module "node:buffer" (imported by src/worker.ts) needs the nodejs_compat compatibility flag`) {
		t.Errorf("without nodejs_compat: %v", err)
	}
}

// A Worker's .sql imports load as text, as the TypeScript library's
// bundles do; Loader, External and Alias pass on to esbuild.
func TestBundleWorkerOptions(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"src/worker.ts": `import schema from "./schema.sql";
import banner from "./banner.txt";
import { greet } from "greeter";
import { dep } from "big-dep";
export default { fetch: () => new Response(schema + banner + greet() + dep) };
`,
		"src/schema.sql":                    "CREATE TABLE t (id INTEGER);\n",
		"src/banner.txt":                    "hello",
		"src/greeter-local.ts":              "export const greet = () => \"local greeter\";\n",
		"node_modules/big-dep/package.json": `{"name": "big-dep", "main": "index.js"}`,
		"node_modules/big-dep/index.js":     "export const dep = 'bundled';\n",
	})
	opts := WorkerOptions{Entry: "src/worker.ts", Dir: dir,
		Loader:   map[string]string{".txt": "base64"},
		External: []string{"big-dep"},
		Alias:    map[string]string{"greeter": "./src/greeter-local.ts"},
	}
	w, err := BundleWorker(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CREATE TABLE t (id INTEGER);", `"aGVsbG8="`, "local greeter", `from "big-dep"`} {
		if !strings.Contains(w.Code, want) {
			t.Errorf("worker bundle lacks %q:\n%s", want, w.Code)
		}
	}
	if strings.Contains(w.Code, "bundled") {
		t.Errorf("external big-dep was bundled:\n%s", w.Code)
	}
	if other := (WorkerOptions{Entry: opts.Entry, Dir: dir}); other.Key() == opts.Key() {
		t.Errorf("options with and without loader, external and alias share the key %q", opts.Key())
	}

	for _, tc := range []struct {
		loader map[string]string
		want   string
	}{
		{map[string]string{".txt": "file"}, `loader "file" for ".txt": want an extension such as ".sql" and one of base64, binary,`},
		{map[string]string{"txt": "text"}, `loader "text" for "txt": want an extension`},
	} {
		_, err := BundleWorker(WorkerOptions{Entry: "src/worker.ts", Dir: dir, Loader: tc.loader})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("loader %v: got %v, want %q", tc.loader, err, tc.want)
		}
	}
}

func TestGeneratedModuleSource(t *testing.T) {
	src := esmModuleSource("x", VirtualModule{Exports: []string{"ok", "default", "with-dash"}, Default: true})
	for _, want := range []string{`var m = __alchemy_builtin("x");`, `e0 as ok`, `e1 as "default"`, `e2 as "with-dash"`, `export default m.default;`} {
		if !strings.Contains(src, want) {
			t.Errorf("generated module lacks %q:\n%s", want, src)
		}
	}
}

func TestImportedHook(t *testing.T) {
	cases := []struct {
		name    string
		program string
		want    int32
	}{
		{"imported by the program", `import { Worker } from "alchemy/cloudflare";
console.log(Worker);
`, 1},
		{"imported by two files", `import { Worker } from "alchemy/cloudflare";
import { kv } from "./kv";
console.log(Worker, kv);
`, 2},
		{"only a type import", `import type { Worker } from "alchemy/cloudflare";
const w: Worker | undefined = undefined;
console.log(w);
`, 0},
		{"not imported", `import { join } from "node:path";
console.log(join("a", "b"));
`, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{
				"alchemy.run.ts": tc.program,
				"kv.ts":          "import { KVNamespace } from \"alchemy/cloudflare\";\nexport const kv = KVNamespace;\n",
			})
			var calls atomic.Int32
			modules := maps.Clone(testModules)
			m := modules["alchemy/cloudflare"]
			m.Imported = func() { calls.Add(1) }
			modules["alchemy/cloudflare"] = m
			if _, err := Bundle(Options{Entry: "alchemy.run.ts", Dir: dir, Modules: modules}); err != nil {
				t.Fatal(err)
			}
			if got := calls.Load(); got != tc.want {
				t.Errorf("Imported called %d times, want %d", got, tc.want)
			}
		})
	}
}
