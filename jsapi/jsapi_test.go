package jsapi_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
	"github.com/alchemy-go/alchemy/types"
)

// project is a directory in which programs run in-process against one
// .alchemy state, as successive `alchemy run`s would.
type project struct {
	t   *testing.T
	dir string
}

func newProject(t *testing.T, files map[string]string) *project {
	t.Helper()
	dir := t.TempDir()
	runtimetest.WriteFiles(t, dir, files)
	return &project{t: t, dir: dir}
}

type outcome struct {
	runtimetest.Result
	lines  string // resource lines and summary
	failed bool
}

// run runs the entry with defaults d (RootDir is the project).
func (p *project) run(entry string, d jsapi.Defaults, env ...string) outcome {
	p.t.Helper()
	kinds := engine.NewRegistry()
	if err := fs.Register(kinds, p.dir); err != nil {
		p.t.Fatal(err)
	}
	var lines runtimetest.Buffer
	text := engine.NewTextReporter(&lines, engine.TextOptions{})
	d.RootDir = p.dir
	if d.Stage == "" {
		d.Stage = "dev"
	}
	api := jsapi.New(jsapi.Config{Registry: kinds, Reporter: text, Defaults: d})
	res := runtimetest.RunDir(p.t, p.dir, runtimetest.Options{Entry: entry, Modules: api.Modules(), Env: env})
	if err := api.Close(); err != nil {
		p.t.Fatal(err)
	}
	if api.Used() {
		lines.Write([]byte(text.Summary() + "\n"))
	}
	return outcome{Result: res, lines: lines.String(), failed: api.Failed()}
}

func (p *project) mustRun(entry string, d jsapi.Defaults, env ...string) outcome {
	p.t.Helper()
	o := p.run(entry, d, env...)
	if o.Err != nil || o.failed {
		p.t.Fatalf("run failed: %v\n%s\nstdout:\n%s\nlines:\n%s", o.Err, o.Formatted, o.Stdout, o.lines)
	}
	return o
}

// Each of two scopes running at once keeps its own current scope across
// awaits, timers and resource calls; a handler's resources go to its
// child scope.
func TestCurrentScopeFollowsAsyncWork(t *testing.T) {
	p := newProject(t, map[string]string{"alchemy.run.ts": `
import alchemy, { Resource, Scope } from "alchemy";
const Leaf = Resource("t::Leaf", async function (id) {
  if (this.phase === "delete") return this.destroy();
  await new Promise((r) => setTimeout(r, 1));
  return this({ at: Scope.current.chain.join("/") });
});
const Tree = Resource("t::Tree", async function (id) {
  if (this.phase === "delete") return this.destroy();
  const leaf = await Leaf("leaf", {});
  return this({ leaf: leaf.at, here: Scope.current.chain.join("/") });
});
await alchemy("app");
const seen = await Promise.all(["x", "y", "z"].map((name, i) => alchemy.run(name, async () => {
  const out = [];
  for (let j = 0; j < 4; j++) {
    await new Promise((r) => setTimeout(r, (i + j) % 3));
    out.push(Scope.current.scopeName);
    out.push((await Leaf("l" + j, {})).at);
    await Promise.resolve();
    out.push(Scope.current.scopeName);
  }
  return [...new Set(out)].join(",");
})));
console.log(seen.join(" | "));
const tree = await Tree("tree", {});
console.log(tree.here, tree.leaf, Scope.current.chain.join("/"));
`})
	out := p.mustRun("alchemy.run.ts", jsapi.Defaults{}).Stdout
	want := "x,app/dev/x/l0,app/dev/x/l1,app/dev/x/l2,app/dev/x/l3 | y,app/dev/y/l0,app/dev/y/l1,app/dev/y/l2,app/dev/y/l3 | " +
		"z,app/dev/z/l0,app/dev/z/l1,app/dev/z/l2,app/dev/z/l3\napp/dev/tree app/dev/tree/leaf app/dev\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}

// A rejected resource call points at the line of the call and names the
// resource; a handler's error is its cause.
func TestResourceErrorsPointAtTheCall(t *testing.T) {
	p := newProject(t, map[string]string{"alchemy.run.ts": `import alchemy, { Resource } from "alchemy";
const Thing = Resource("t::Thing", async function (id, props) {
  if (props.fail) throw new TypeError("no " + id);
  return this({});
});
await alchemy("app");
const errs = [];
for (const props of [{ n: 1n }, { fail: true }]) {
  try {
    await Thing("bad", props);
  } catch (e) {
    errs.push(e.message + " @ " + e.stack.split("\n")[1].trim().replace(/^.*\//, "") + (e.cause ? " cause " + e.cause.message : ""));
  }
}
console.log(errs.join("\n"));
`})
	o := p.run("alchemy.run.ts", jsapi.Defaults{})
	if o.Err != nil {
		t.Fatal(o.Formatted)
	}
	want := `Thing "bad": bad prop n: a BigInt cannot be stored in state @ alchemy.run.ts:10:11
resource "app/dev/bad": create: TypeError: no bad @ alchemy.run.ts:10:11 cause no bad
`
	if o.Stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", o.Stdout, want)
	}
	if !o.failed {
		t.Error("the run does not report the failed resource")
	}
}

// The handler's this: identity, phase, previous output and props, data,
// and this(id, fields) overriding the id in the output.
func TestHandlerContext(t *testing.T) {
	p := newProject(t, map[string]string{"alchemy.run.ts": `
import alchemy, { Resource, ResourceID, ResourceSeq } from "alchemy";
const Thing = Resource("t::Thing", async function (id, props) {
  if (this.phase === "delete") return this.destroy();
  const line = [this.phase, this.id, this.fqn, this.stage, this.isReplacement, this.quiet,
    JSON.stringify(this.props ?? null), JSON.stringify(this.output ?? null), await this.get("k")];
  await this.set("k", props.v);
  console.log(line.join(" "));
  return this("custom-" + id, { v: props.v });
});
await alchemy("app", { stage: "qa" });
await Thing("first", { v: 1 });
const out = await Thing("second", { v: Number(process.env.V) });
console.log(out[ResourceID], out[ResourceSeq], out.v);
`})
	o := p.mustRun("alchemy.run.ts", jsapi.Defaults{}, "V=1")
	want := "create first app/qa/first qa false false null null \ncreate second app/qa/second qa false false null null \ncustom-second 1 1\n"
	if o.Stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", o.Stdout, want)
	}
	o = p.mustRun("alchemy.run.ts", jsapi.Defaults{}, "V=2")
	want = `update second app/qa/second qa false false {"v":1} {"v":1} 1` + "\ncustom-second 1 2\n"
	if o.Stdout != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", o.Stdout, want)
	}
}

// destroy(resource) deletes one resource; scope data lives in the stage's
// record; alchemy.run's options reach its scope.
func TestDestroyAndScopeData(t *testing.T) {
	p := newProject(t, map[string]string{"alchemy.run.ts": `
import alchemy, { destroy, Resource, Scope } from "alchemy";
import { File } from "alchemy/fs";
const app = await alchemy("app");
const f = await File("f", { path: "f.txt", content: "x" });
await destroy(f);
await destroy(undefined);
await Scope.current.set("answer", { n: 42, when: new Date(0) });
const got = await Scope.current.get("answer");
console.log(got.n, got.when.toISOString(), await Scope.current.has("f"), await app.stage === "dev");
await alchemy.run("q", { quiet: true, adopt: true }, async (s) => {
  console.log(s.quiet, s.adopt, s.force, s.parent.scopeName, s.root === app);
});
await app.finalize();
`})
	o := p.mustRun("alchemy.run.ts", jsapi.Defaults{})
	if o.Stdout != "42 1970-01-01T00:00:00.000Z false true\ntrue true false dev true\n" {
		t.Errorf("stdout:\n%s", o.Stdout)
	}
	if _, err := os.Stat(filepath.Join(p.dir, "f.txt")); !os.IsNotExist(err) {
		t.Errorf("f.txt: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(p.dir, ".alchemy/app/dev.json"))
	if err != nil || !bytes.Contains(data, []byte(`"answer": {`)) {
		t.Errorf("stage record: %v\n%s", err, data)
	}
	if !strings.Contains(o.lines, "[deleted]   f Deleted Resource") {
		t.Errorf("lines:\n%s", o.lines)
	}
}

// Options of alchemy() win over the run's defaults; --app puts other apps
// in the read phase.
func TestOptionsOverDefaults(t *testing.T) {
	p := newProject(t, map[string]string{"alchemy.run.ts": `
import alchemy from "alchemy";
const a = await alchemy("a", { stage: "pinned", quiet: false, password: "own" });
const b = await alchemy("b");
console.log(a.stage, a.quiet, a.password, a.phase, b.stage, b.quiet, b.password, b.phase, a.rootDir === process.cwd());
`})
	o := p.mustRun("alchemy.run.ts", jsapi.Defaults{Stage: "flag", Quiet: true, Password: "env", App: "a"})
	if want := "pinned false own up flag true env read true\n"; o.Stdout != want {
		t.Errorf("stdout %q, want %q", o.Stdout, want)
	}
}

// The module's exports are what types/alchemy.d.ts declares.
func TestExportsMatchDeclarations(t *testing.T) {
	dts := string(types.Files(types.Options{})[types.AlchemyFile])
	api := jsapi.New(jsapi.Config{})
	// Declared in the types but not served yet; each entry says why.
	missing := map[string]string{
		"alchemy/fs CopyFile": "providers/fs implements File and Folder only",
	}
	for _, m := range api.Modules() {
		declared := declaredValues(dts, m.Name)
		if len(declared) == 0 {
			t.Fatalf("%s: no declarations found", m.Name)
		}
		for _, name := range m.Exports {
			if !slices.Contains(declared, name) {
				t.Errorf("%s exports %s, which the declarations do not", m.Name, name)
			}
		}
		for _, name := range declared {
			_, known := missing[m.Name+" "+name]
			if served := slices.Contains(m.Exports, name); served == known {
				t.Errorf("%s %s: declared, served %v, listed as missing %v", m.Name, name, served, known)
			}
		}
	}
}

var exportDecl = regexp.MustCompile(`^  export (?:declare )?(?:const|function|class|let) ([A-Za-z_$][\w$]*)`)

// declaredValues lists the value exports of a module's declarations.
func declaredValues(dts, module string) []string {
	var names []string
	in := false
	for _, line := range strings.Split(dts, "\n") {
		switch {
		case strings.HasPrefix(line, "declare module "):
			in = line == `declare module "`+module+`" {`
		case in:
			if m := exportDecl.FindStringSubmatch(line); m != nil && !slices.Contains(names, m[1]) {
				names = append(names, m[1])
			}
		}
	}
	return names
}
