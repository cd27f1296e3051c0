package nodelib_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

func TestPathFunctions(t *testing.T) {
	tests := []struct {
		name string
		got  string
		want string
	}{
		{"normalize empty", nodelib.PathNormalize(""), "."},
		{"normalize dots", nodelib.PathNormalize("/a/./b/../c//d/"), "/a/c/d/"},
		{"normalize relative up", nodelib.PathNormalize("../a/../../b"), "../../b"},
		{"normalize root up", nodelib.PathNormalize("/../a"), "/a"},
		{"normalize to dot slash", nodelib.PathNormalize("a/../"), "./"},
		{"join", nodelib.PathJoin("a", "", "/b/", "../c"), "a/c"},
		{"join nothing", nodelib.PathJoin(), "."},
		{"resolve relative", nodelib.PathResolve("/cwd", "a", "b/"), "/cwd/a/b"},
		{"resolve absolute wins", nodelib.PathResolve("/cwd", "a", "/x", "y"), "/x/y"},
		{"resolve root", nodelib.PathResolve("/cwd", "/"), "/"},
		{"relative", nodelib.PathRelative("/", "/a/b/c", "/a/d"), "../../d"},
		{"relative same", nodelib.PathRelative("/", "/a", "/a/"), ""},
		{"relative from root", nodelib.PathRelative("/", "/", "/x/y"), "x/y"},
		{"dirname", nodelib.PathDirname("/a/b/"), "/a"},
		{"dirname top", nodelib.PathDirname("/a"), "/"},
		{"dirname bare", nodelib.PathDirname("a"), "."},
		{"basename", nodelib.PathBasename("/a/b.ts/", ""), "b.ts"},
		{"basename ext", nodelib.PathBasename("/a/b.ts", ".ts"), "b"},
		{"basename ext is name", nodelib.PathBasename("/a/.ts", ".ts"), ".ts"},
		{"extname", nodelib.PathExtname("a/b.tar.gz"), ".gz"},
		{"extname dotfile", nodelib.PathExtname(".bashrc"), ""},
		{"extname trailing dot", nodelib.PathExtname("a."), "."},
		{"format", nodelib.PathFormat(nodelib.ParsedPath{Root: "/", Dir: "/x", Name: "f", Ext: "txt"}), "/x/f.txt"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	p := nodelib.PathParse("/home/u/file.txt")
	if p != (nodelib.ParsedPath{Root: "/", Dir: "/home/u", Base: "file.txt", Ext: ".txt", Name: "file"}) {
		t.Errorf("parse = %+v", p)
	}
}

func TestNodeModulesFromJS(t *testing.T) {
	dir := t.TempDir()
	runtimetest.WriteFiles(t, dir, map[string]string{
		"data/hello.txt": "hello file",
		"alchemy.run.ts": `
import path from "node:path";
import { join, basename } from "path";
import * as fs from "node:fs";
import { readFile, writeFile, mkdir, readdir, stat, rm, rename, appendFile, copyFile } from "node:fs/promises";
import assert from "node:assert";
import { strict as strictAssert } from "assert";
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import util, { promisify, format, inspect } from "node:util";
import { Buffer } from "node:buffer";

const dir = import.meta.dirname;
console.log(path.join("a", "b"), join(dir, "data") === dir + "/data", basename(import.meta.filename), path.resolve("x") === dir + "/x");
console.log(fs.readFileSync(join(dir, "data/hello.txt"), "utf8"), fs.existsSync("data/hello.txt"), fs.existsSync("nope"));
await mkdir(join(dir, "out/deep"), { recursive: true });
await writeFile(join(dir, "out/deep/a.txt"), "A");
await appendFile(join(dir, "out/deep/a.txt"), Buffer.from("B"));
await copyFile(join(dir, "out/deep/a.txt"), join(dir, "out/b.txt"));
await rename(join(dir, "out/b.txt"), join(dir, "out/c.txt"));
console.log((await readdir(join(dir, "out"))).join(","), (await readdir(join(dir, "out"), { recursive: true })).join(","));
const ents = await readdir(join(dir, "out"), { withFileTypes: true });
console.log(ents.map((e) => e.name + ":" + (e.isDirectory() ? "dir" : "file")).join(","));
const st = await stat(join(dir, "out/c.txt"));
console.log(st.size, st.isFile(), st.isDirectory(), st.mtime instanceof Date);
const buf = await readFile(join(dir, "out/c.txt"));
console.log(Buffer.isBuffer(buf), buf.toString(), buf.toString("hex"), (await readFile("out/c.txt", { encoding: "base64" })));
try { await readFile(join(dir, "missing.txt")); } catch (e: any) { console.log(e.code, e.syscall, e.message === "ENOENT: no such file or directory, open '" + dir + "/missing.txt'"); }
try { fs.readFileSync("missing.txt"); } catch (e: any) { console.log("sync", e.code, e.errno); }
await new Promise<void>((resolve) => fs.readFile("data/hello.txt", "utf8", (err, data) => { console.log("callback", err, data); resolve(); }));
await rm(join(dir, "out"), { recursive: true });
console.log(fs.existsSync("out"));

assert(true); assert.ok(1); assert.equal(1, "1"); assert.deepStrictEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] });
for (const f of [() => assert.strictEqual(1, 2), () => assert.deepStrictEqual({ a: 1 }, { a: "1" }), () => strictAssert.equal(1, "1"), () => assert(false, "custom")]) {
  try { f(); console.log("no throw"); } catch (e: any) { console.log(e.name, e.code, e.message.split("\n")[0]); }
}
assert.throws(() => { throw new TypeError("bad thing"); }, TypeError);
assert.throws(() => { throw new Error("bad thing"); }, /bad/);
assert.throws(() => { throw new Error("bad thing"); }, { message: "bad thing" });
await assert.rejects(Promise.reject(new Error("r")), /r/);
assert.match("abc", /b/);

console.log(createHash("sha256").update("abc").digest("hex"));
console.log(createHash("md5").update("a").update(Buffer.from("bc")).digest("base64"));
console.log(createHmac("sha256", "key").update("msg").digest("hex").slice(0, 16));
console.log(randomBytes(8).length, randomUUID().length, timingSafeEqual(Buffer.from("a"), Buffer.from("a")));

console.log(os.EOL === "\n", os.platform(), typeof os.tmpdir(), os.homedir().length > 0, os.cpus().length > 0);
const u = pathToFileURL("/tmp/a b.txt");
console.log(u.href, fileURLToPath(u), fileURLToPath("file:///x/y"));
console.log(format("%s=%d", "n", 5), inspect({ a: { b: { c: { d: 1 } } } }, { depth: 0 }), util.isDeepStrictEqual([1], [1]), util.types.isPromise(Promise.resolve()));
const sleep = promisify((ms: number, cb: (err: any, v: string) => void) => setTimeout(() => cb(null, "slept"), ms));
console.log(await sleep(1));
`,
	})
	res := runtimetest.RunDir(t, dir, runtimetest.Options{})
	if res.Err != nil {
		t.Fatalf("%v\n%s\nstdout:\n%s", res.Err, res.Formatted, res.Stdout)
	}
	want := []string{
		"a/b true alchemy.run.ts true",
		"hello file true false",
		"c.txt,deep c.txt,deep,deep/a.txt",
		"c.txt:file,deep:dir",
		"2 true false true",
		"true AB 4142 QUI=",
		"ENOENT open true",
		"sync ENOENT -2",
		"callback null hello file",
		"false",
		"AssertionError ERR_ASSERTION Expected values to be strictly equal:",
		"AssertionError ERR_ASSERTION Expected values to be strictly deep-equal:",
		"AssertionError ERR_ASSERTION Expected values to be strictly equal:",
		"AssertionError ERR_ASSERTION custom",
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		"kAFQmDzST7DWlj99KOF/cg==",
		"2d93cbc1be167bcb",
		"8 36 true",
		"true linux string true true",
		"file:///tmp/a%20b.txt /tmp/a b.txt /x/y",
		"n=5 { a: [Object] } true true",
		"slept",
	}
	got := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n")
	for i := 0; i < len(want) || i < len(got); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, g, w)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("out/ still exists: %v", err)
	}
}

func TestUnsupportedBuiltins(t *testing.T) {
	res := runtimetest.Run(t, map[string]string{
		"alchemy.run.ts": "import { helper } from \"./lib/helper\";\nhelper();\n",
		"lib/helper.ts":  "import { spawn } from \"node:child_process\";\nexport const helper = () => spawn;\n",
	}, runtimetest.Options{})
	if res.Err == nil {
		t.Fatal("run succeeded")
	}
	if !strings.HasPrefix(res.Formatted, `lib/helper.ts:1:23: error: module "node:child_process" (imported by lib/helper.ts) is not supported; the Node built-ins available are node:assert, `) {
		t.Errorf("formatted:\n%s", res.Formatted)
	}
	// A dependency that requires an unsupported built-in only on a path the
	// program does not take still loads.
	out := runtimetest.MustRun(t, map[string]string{
		"alchemy.run.ts":                     "import pkg from \"optional\";\nconsole.log(pkg.fast());\n",
		"node_modules/optional/package.json": `{"name":"optional","main":"index.js"}`,
		"node_modules/optional/index.js":     "let cp;\ntry { cp = require(\"child_process\"); } catch (e) { cp = String(e.message); }\nexports.fast = () => cp;\n",
	}, runtimetest.Options{})
	if out != "module \"child_process\" (imported by node_modules/optional/index.js) is not supported; the Node built-ins available are node:assert, node:assert/strict, node:buffer, node:crypto, node:diagnostics_channel, node:events, node:fs, node:fs/promises, node:os, node:path, node:path/posix, node:process, node:querystring, node:stream, node:stream/consumers, node:stream/promises, node:stream/web, node:string_decoder, node:timers, node:timers/promises, node:url, node:util, node:zlib\n" {
		t.Errorf("stdout = %q", out)
	}
}

func TestEvents(t *testing.T) {
	out := runtimetest.Program(t, `
import EventEmitter, { once, on } from "node:events";
import { EventEmitter as Named } from "events";
class Bus extends EventEmitter {}
const bus = new Bus();
const seen: string[] = [];
bus.on("x", (a, b) => seen.push("on " + a + b));
bus.once("x", (a) => seen.push("once " + a));
bus.prependListener("x", () => seen.push("first"));
console.log(bus.emit("x", 1, 2), bus.emit("x", 3, 4), bus.emit("nothing"), seen.join(", "));
console.log(bus.listenerCount("x"), bus.eventNames().join(","), Named === EventEmitter);
setTimeout(() => bus.emit("ready", "go"), 1);
console.log((await once(bus, "ready")).join(""));
try { bus.emit("error", new Error("unhandled")); } catch (e: any) { console.log("thrown", e.message); }
const it = on(bus, "tick");
setTimeout(() => { bus.emit("tick", 1); bus.emit("tick", 2); }, 1);
const ticks: number[] = [];
for await (const [n] of it) { ticks.push(n); if (ticks.length === 2) break; }
console.log(ticks.join(","), bus.listenerCount("tick"));
`)
	want := "true true false first, on 12, once 1, first, on 34\n2 x true\ngo\nthrown unhandled\n1,2 0\n"
	if out != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
	}
}
