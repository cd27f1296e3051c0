package runtime_test

import (
	"strings"
	"testing"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

func TestRegistry(t *testing.T) {
	reg := runtime.NewRegistry()
	load := func(*runtime.Host) (*goja.Object, error) { return nil, nil }
	if err := reg.Register(runtime.Module{Name: "x:a", Aliases: []string{"a"}, Load: load}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		m    runtime.Module
		want string
	}{
		{runtime.Module{Name: "a", Load: load}, `"a" is already registered by "x:a"`},
		{runtime.Module{Name: "x:b", Aliases: []string{"x:a"}, Load: load}, `"x:a" is already registered`},
		{runtime.Module{Name: "", Load: load}, "empty name"},
		{runtime.Module{Name: "x:c"}, "no loader"},
	}
	for _, tt := range tests {
		err := reg.Register(tt.m)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Register(%q) = %v, want %q", tt.m.Name, err, tt.want)
		}
	}
	if m, ok := reg.Lookup("a"); !ok || m.Name != "x:a" {
		t.Errorf("Lookup(a) = %v, %v", m, ok)
	}
	if n := len(reg.Modules()); n != 1 {
		t.Errorf("Modules() has %d modules, want 1", n)
	}
}

// A module is one Go value: its loader runs once, on first import, and only
// in programs that import it; its default export is the exports object
// unless it sets one; its named exports are checked at build time.
func TestModuleLoading(t *testing.T) {
	loads := 0
	mod := runtime.Module{
		Name: "demo:greet", Aliases: []string{"greet"}, Exports: []string{"hello", "shout"}, Default: true,
		Load: func(h *runtime.Host) (*goja.Object, error) {
			loads++
			vm := h.VM()
			obj := vm.NewObject()
			_ = obj.Set("hello", func(name string) string { return "hello " + name })
			_ = obj.Set("shout", func(s string) string { return strings.ToUpper(s) })
			return obj, nil
		},
	}
	out := runtimetest.MustRun(t, map[string]string{
		"alchemy.run.ts": "import { hello } from \"demo:greet\";\nimport greet from \"greet\";\nimport * as ns from \"./other\";\nconsole.log(hello(\"a\"), greet.shout(\"b\"), ns.viaRequire);\n",
		"other.js":       "const g = require(\"greet\");\nexports.viaRequire = g.hello(\"c\");\n",
	}, runtimetest.Options{Modules: []runtime.Module{mod}})
	if out != "hello a B hello c\n" {
		t.Fatalf("stdout = %q", out)
	}
	if loads != 1 {
		t.Errorf("loader ran %d times, want 1", loads)
	}
	loads = 0
	runtimetest.MustRun(t, map[string]string{"alchemy.run.ts": "console.log(1);"}, runtimetest.Options{Modules: []runtime.Module{mod}})
	if loads != 0 {
		t.Errorf("loader ran for a program that does not import the module")
	}
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": "import { helo } from \"demo:greet\";\nconsole.log(helo);\n"},
		runtimetest.Options{Modules: []runtime.Module{mod}})
	if res.Err == nil || !strings.Contains(res.Formatted, `alchemy.run.ts:1:10: error: No matching export in "built-in:demo:greet" for import "helo"`) {
		t.Errorf("misspelled import: %v\n%s", res.Err, res.Formatted)
	}
}

func TestLazyGlobalsAreMadeOnFirstUse(t *testing.T) {
	made := 0
	out := runtimetest.MustRun(t, map[string]string{"alchemy.run.ts": `
console.log(Object.keys(globalThis).includes("lazyThing"));
console.log(lazyThing.n, lazyThing.n);
lazyOther = 5;
console.log(lazyOther);
`}, runtimetest.Options{Setup: func(h *runtime.Host) {
		runtime.DefineLazyGlobal(h.VM(), "lazyThing", func() (goja.Value, error) {
			made++
			o := h.VM().NewObject()
			_ = o.Set("n", made)
			return o, nil
		})
		runtime.DefineLazyGlobal(h.VM(), "lazyOther", func() (goja.Value, error) {
			t.Error("assigning a lazy global made it")
			return goja.Undefined(), nil
		})
	}})
	if out != "false\n1 1\n5\n" || made != 1 {
		t.Fatalf("stdout = %q, made %d times", out, made)
	}
}

func TestProcessObject(t *testing.T) {
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": `
import proc, { argv, env as penv } from "node:process";
process.env.ADDED = 42 as any;
console.log(proc === process, argv.slice(2).join(" "), penv.GREETING, typeof process.env.ADDED, process.env.ADDED);
console.log(Object.keys(process.env).sort().join(","), "MISSING" in process.env, process.platform, typeof process.hrtime.bigint());
delete process.env.GREETING;
console.log(process.env.GREETING, process.cwd() === import.meta.dirname);
`}, runtimetest.Options{
		Env:  []string{"GREETING=hi"},
		Args: []string{"/bin/alchemy", "/x/alchemy.run.ts", "--stage", "prod"},
	})
	if res.Err != nil {
		t.Fatal(res.Formatted)
	}
	want := "true --stage prod hi string 42\nADDED,GREETING false linux bigint\nundefined true\n"
	if res.Stdout != want {
		t.Errorf("stdout = %q, want %q", res.Stdout, want)
	}
	if v, _ := res.Host.Env().Get("ADDED"); v != "42" {
		t.Errorf("Go sees ADDED=%q", v)
	}
}

func TestImportMeta(t *testing.T) {
	res := runtimetest.Run(t, map[string]string{
		"alchemy.run.ts":  "import { meta } from \"./sub/dir/file\";\nconsole.log(import.meta.filename.endsWith(\"/alchemy.run.ts\"), import.meta.main, meta.main, meta.dirname.endsWith(\"/sub/dir\"), meta.url.startsWith(\"file:///\"), meta === meta);\n",
		"sub/dir/file.ts": "import { own } from \"./own\";\nexport const meta = import.meta;\nexport const dir = __dirname;\nconsole.log(own.endsWith(\"/sub/dir\"), dir === own);\n",
		// The usual ESM spelling declares its own __dirname.
		"sub/dir/own.ts": "import { dirname } from \"node:path\";\nimport { fileURLToPath } from \"node:url\";\nconst __dirname = dirname(fileURLToPath(import.meta.url));\nexport const own = __dirname;\n",
	}, runtimetest.Options{})
	if res.Err != nil {
		t.Fatal(res.Formatted)
	}
	if res.Stdout != "true true\ntrue true false true true true\n" {
		t.Errorf("stdout = %q", res.Stdout)
	}
}
