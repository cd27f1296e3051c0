package nodelib_test

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

// runLines runs a program and compares its output lines.
func runLines(t *testing.T, src string, want []string) {
	t.Helper()
	got := strings.Split(strings.TrimSuffix(runtimetest.Program(t, src), "\n"), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestStream(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"readable modes", `
import { Readable } from "node:stream";
const r = new Readable({ read() {} });
r.push("ab"); r.push(Buffer.from("cd")); r.push(null);
const seen: string[] = [];
r.on("data", (c) => seen.push(Buffer.isBuffer(c) + ":" + c));
await new Promise((res) => r.on("end", res));
console.log(seen.join(" "), r.readableEnded, r.destroyed);
const p = new Readable({ read() {} });
p.push("hello "); p.push("world"); p.push(null);
await new Promise((res) => p.once("readable", res));
console.log(String(p.read(3)), String(p.read()), p.read());
const e = new Readable({ read() {}, encoding: "utf8" });
e.push(Buffer.from([0xe2, 0x82])); e.push(Buffer.from([0xac, 0x41])); e.push(null);
console.log(JSON.stringify(await e.toArray()));
const objs = Readable.from([1, 2, 3]);
console.log(objs.readableObjectMode, (await objs.toArray()).join("+"));`,
			[]string{"true:ab true:cd true true", "hel lo world null", `["€A"]`, "true 1+2+3"}},
		{"writable backpressure and drain", `
import { Writable } from "node:stream";
const log: string[] = [];
const w = new Writable({
  highWaterMark: 4,
  write(chunk, enc, cb) { log.push("write " + chunk); setTimeout(cb, 1); },
  final(cb) { log.push("final"); cb(); },
});
log.push("ok1 " + w.write("ab"));
log.push("ok2 " + w.write("cd"));
log.push("len " + w.writableLength + " needDrain " + w.writableNeedDrain);
await new Promise((res) => w.once("drain", res));
log.push("drained");
w.end("ef");
await new Promise((res) => w.on("finish", res));
log.push("finished " + w.writableFinished);
await new Promise((res) => w.on("close", res));
log.push("closed");
console.log(log.join("; "));
const late = new Writable({ write(c, e, cb) { cb(); } });
late.end();
late.write("x", (err: any) => console.log("callback:", err.code));
late.on("error", (err: any) => console.log("error event:", err.message));`,
			// _write runs within the first write() call, as in Node.
			[]string{"write ab; ok1 true; ok2 false; len 4 needDrain true; write cd; drained; write ef; final; finished true; closed",
				"callback: ERR_STREAM_WRITE_AFTER_END", "error event: write after end"}},
		{"transform, passthrough and duplex", `
import { Transform, PassThrough, Duplex, Writable, Readable } from "node:stream";
class Upper extends Transform {
  _transform(chunk: any, enc: string, cb: any) { cb(null, String(chunk).toUpperCase()); }
  _flush(cb: any) { this.push("!"); cb(); }
}
const u = new Upper();
u.end("shout");
console.log(String(Buffer.concat(await u.toArray())));
const pt = new PassThrough();
pt.end("same");
console.log(String(await pt.read() ?? (await new Promise((r) => pt.once("readable", r)), pt.read())));
const d = new Duplex({ read() { this.push("from duplex"); this.push(null); }, write(c, e, cb) { cb(); } });
console.log(d instanceof Writable, d instanceof Readable, new PassThrough() instanceof Writable, String(await d.toArray()));`,
			[]string{"SHOUT!", "same", "true true true from duplex"}},
		{"pipeline backpressure", `
import { Readable, Writable, pipeline } from "node:stream";
// A fast source and a slow sink with a small buffer: the source is asked
// for more only as the sink drains, so it never runs far ahead.
let produced = 0, consumed = 0, maxAhead = 0;
const src = new Readable({ highWaterMark: 2, objectMode: true, read() {
  if (produced === 50) return this.push(null);
  produced++; maxAhead = Math.max(maxAhead, produced - consumed); this.push(produced);
} });
const sink = new Writable({ highWaterMark: 2, objectMode: true, write(c, e, cb) { setTimeout(() => { consumed++; cb(); }, 0); } });
await new Promise<void>((res, rej) => pipeline(src, sink, (err) => (err ? rej(err) : res())));
console.log(produced, consumed, maxAhead <= 6);`,
			[]string{"50 50 true"}},
		{"pipeline error propagation", `
import { Readable, Transform, Writable, pipeline, finished } from "node:stream";
import { pipeline as pipelineP } from "node:stream/promises";
const src = new Readable({ read() { this.push("x"); } });
const bad = new Transform({ transform(c, e, cb) { cb(new Error("transform failed")); } });
const dst = new Writable({ write(c, e, cb) { cb(); } });
pipeline(src, bad, dst, (err) => {
  console.log("pipeline:", err && err.message, src.destroyed, bad.destroyed, dst.destroyed);
});
await new Promise((r) => setTimeout(r, 5));
try {
  await pipelineP(Readable.from(["a", "b"]), async function* (source: any) { for await (const c of source) { if (c === "b") throw new Error("gen failed"); yield c; } }, new Writable({ objectMode: true, write(c, e, cb) { cb(); } }));
} catch (e: any) { console.log("promise:", e.message); }
const r = new Readable({ read() {} });
finished(r, (err: any) => console.log("finished:", err.code));
r.destroy();
await new Promise((res) => setTimeout(res, 1));
const collected: string[] = [];
await pipelineP(Readable.from(["p", "q"]), async function* (source: any) { for await (const c of source) yield c + c; }, async function (source: any) { for await (const c of source) collected.push(c); });
console.log(collected.join(","));`,
			[]string{"pipeline: transform failed true true true", "promise: gen failed", "finished: ERR_STREAM_PREMATURE_CLOSE", "pp,qq"}},
		{"web conversions", `
import { Readable, Writable } from "node:stream";
import { ReadableStream as RS } from "node:stream/web";
import { text, json } from "node:stream/consumers";
const web = Readable.toWeb(Readable.from([Buffer.from("to "), Buffer.from("web")], { objectMode: false }));
console.log(await new Response(web).text(), RS === ReadableStream);
const node = Readable.fromWeb(new Response("from web").body!);
console.log(await text(node));
const chunks: string[] = [];
const w = Writable.fromWeb(new WritableStream({ write(c) { chunks.push(new TextDecoder().decode(c)); } }));
w.write("one "); w.end("two");
await new Promise((r) => w.on("finish", r));
console.log(chunks.join(""), (await json(Readable.from(['{"a":', "1}"]))).a);`,
			[]string{"to web true", "from web", "one two 1"}},
		{"unsupported members", `
import { compose, Readable, Duplex } from "node:stream";
for (const f of [() => compose(), () => (Readable.from([]) as any).map((x: any) => x), () => Duplex.from({})]) {
  try { f(); } catch (e: any) { console.log(e.code, e.message); }
}`,
			[]string{"ERR_METHOD_NOT_IMPLEMENTED node:stream compose is not supported in this runtime",
				"ERR_METHOD_NOT_IMPLEMENTED node:stream Readable.prototype.map is not supported in this runtime",
				"ERR_METHOD_NOT_IMPLEMENTED node:stream Duplex.from is not supported in this runtime"}},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) { runLines(t, tt.src, tt.want) })
	}
}

func TestZlib(t *testing.T) {
	var gz, zl bytes.Buffer
	gw := gzip.NewWriter(&gz)
	_, _ = gw.Write([]byte("compressed by Go"))
	_ = gw.Close()
	zw := zlib.NewWriter(&zl)
	_, _ = zw.Write([]byte("zlib by Go"))
	_ = zw.Close()
	b64 := base64.StdEncoding.EncodeToString

	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"sync round trips", `
import zlib from "node:zlib";
const text = "round trip ".repeat(1000);
for (const [c, d] of [["gzipSync", "gunzipSync"], ["deflateSync", "inflateSync"], ["deflateRawSync", "inflateRawSync"], ["gzipSync", "unzipSync"], ["deflateSync", "unzipSync"]]) {
  const packed = (zlib as any)[c](text, { level: 9 });
  console.log(c, d, Buffer.isBuffer(packed), packed.length < 200, (zlib as any)[d](packed).toString() === text);
}
console.log(zlib.gzipSync("x").subarray(0, 2).toString("hex"), zlib.deflateSync(new Uint8Array([1])).subarray(0, 1).toString("hex"));`,
			[]string{"gzipSync gunzipSync true true true", "deflateSync inflateSync true true true", "deflateRawSync inflateRawSync true true true",
				"gzipSync unzipSync true true true", "deflateSync unzipSync true true true", "1f8b 78"}},
		{"bytes from Go", fmt.Sprintf(`
import { gunzipSync, inflateSync } from "node:zlib";
console.log(gunzipSync(Buffer.from(%q, "base64")).toString(), inflateSync(Buffer.from(%q, "base64")).toString());`, b64(gz.Bytes()), b64(zl.Bytes())),
			[]string{"compressed by Go zlib by Go"}},
		{"callback and promisify", `
import zlib from "node:zlib";
import { promisify } from "node:util";
zlib.deflate("callback form", (err, packed) => {
  zlib.inflate(packed, (err2, out) => console.log("cb:", err, err2, out.toString()));
});
await new Promise((r) => setTimeout(r, 20));
const gz = promisify(zlib.gzip), gunzip = promisify(zlib.gunzip);
console.log("promisified:", (await gunzip(await gz("promised"))).toString());
zlib.gunzip(Buffer.from("not gzip"), (err: any) => console.log("async error:", err.code, err.errno, err.message));
await new Promise((r) => setTimeout(r, 20));`,
			[]string{"cb: null null callback form", "promisified: promised", "async error: Z_DATA_ERROR -3 incorrect header check"}},
		{"errors", `
import zlib from "node:zlib";
const tries: Array<() => unknown> = [
  () => zlib.gunzipSync(Buffer.from("plain text")),
  () => zlib.inflateSync(zlib.deflateSync("truncated input here").subarray(0, 6)),
  () => zlib.gzipSync("x", { level: 10 }),
  () => zlib.gzipSync(42 as any),
  () => zlib.brotliCompressSync("x"),
  () => zlib.createBrotliDecompress(),
];
for (const f of tries) { try { f(); console.log("no error"); } catch (e: any) { console.log(e.code, e.message.split(". Received")[0]); } }`,
			[]string{"Z_DATA_ERROR incorrect header check", "Z_BUF_ERROR unexpected end of file",
				`ERR_OUT_OF_RANGE The value of "options.level" is out of range. It must be >= -1 and <= 9`,
				`ERR_INVALID_ARG_TYPE The "buffer" argument must be of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer`,
				"ERR_METHOD_NOT_IMPLEMENTED node:zlib brotliCompressSync is not supported in this runtime: brotli is not available",
				"ERR_METHOD_NOT_IMPLEMENTED node:zlib createBrotliDecompress is not supported in this runtime: brotli is not available"}},
		{"streams", `
import zlib from "node:zlib";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
const parts: Buffer[] = [];
const lines = Array.from({ length: 20000 }, (_, i) => "line " + i + "\n");
await pipeline(Readable.from(lines), zlib.createGzip(), new Writable({ write(c, e, cb) { parts.push(c); cb(); } }));
const packed = Buffer.concat(parts);
console.log(zlib.gunzipSync(packed).toString() === lines.join(""));
// Decompress chunk by chunk: output arrives before the input ends (all
// but the last window, which Go's readers hand over with the trailer).
const gunzip = zlib.createGunzip();
let early = "";
gunzip.on("data", (c) => { early += c; });
gunzip.write(packed.subarray(0, packed.length - 8));
await new Promise((r) => setTimeout(r, 5));
console.log("before end:", early.length > lines.join("").length - 32768, early.length < lines.join("").length);
gunzip.end(packed.subarray(packed.length - 8));
await new Promise((r) => gunzip.on("end", r));
console.log("after end:", early === lines.join(""));
const bad = zlib.createInflate();
bad.on("error", (e: any) => console.log("stream error:", e.code, e.message));
bad.end("definitely not zlib");
await new Promise((r) => setTimeout(r, 5));
console.log(zlib.crc32("hello"), zlib.crc32("world", zlib.crc32("hello ")) === zlib.crc32("hello world"));`,
			[]string{"true", "before end: true true", "after end: true", "stream error: Z_DATA_ERROR incorrect header check", "907060870 true"}},
		{"flush", `
import zlib from "node:zlib";
const def = zlib.createDeflate();
const out: Buffer[] = [];
def.on("data", (c) => out.push(c));
def.write("part one;");
await new Promise<void>((r) => def.flush(() => r()));
await new Promise((r) => setTimeout(r, 1));
const inf = zlib.createInflate();
let got = "";
inf.on("data", (c) => (got += c));
inf.write(Buffer.concat(out));
await new Promise((r) => setTimeout(r, 5));
console.log(got);`,
			[]string{"part one;"}},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) { runLines(t, tt.src, tt.want) })
	}
}

func TestStringDecoder(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"utf8 split three ways", `const d = new StringDecoder("utf8"); const b = Buffer.from("a€b");
out = [d.write(b.subarray(0, 2)), d.write(b.subarray(2, 3)), d.write(b.subarray(3)), d.end()];`, `["a","","€b",""]`},
		{"utf8 four-byte split", `const d = new StringDecoder(); const b = Buffer.from("😀");
out = [d.write(b.subarray(0, 1)), d.lastNeed, d.write(b.subarray(1, 3)), d.write(b.subarray(3))];`, `["",3,"","😀"]`},
		{"utf8 incomplete at end", `const d = new StringDecoder("utf-8"); out = [d.write(Buffer.from([0x41, 0xe2, 0x82])), d.end()];`, "[\"A\",\"\ufffd\"]"},
		{"utf8 invalid bytes", `const d = new StringDecoder("utf8"); out = [d.write(Buffer.from([0xff, 0x41, 0xe2, 0x82, 0x41])), d.end()];`, "[\"\ufffdA\ufffdA\",\"\"]"},
		{"utf16le split surrogate", `const d = new StringDecoder("utf16le"); const b = Buffer.from([0x3d, 0xd8, 0x00, 0xde]);
out = [d.write(b.subarray(0, 1)), d.write(b.subarray(1, 3)), d.write(b.subarray(3)), d.encoding];`, `["","","😀","utf16le"]`},
		{"base64 in threes", `const d = new StringDecoder("base64"); out = [d.write(Buffer.from("ab")), d.write(Buffer.from("cd")), d.end()];`, `["","YWJj","ZA=="]`},
		{"hex and latin1", `out = [new StringDecoder("hex").write(Buffer.from([1, 255])), new StringDecoder("latin1").end(Buffer.from([0xe9])), new StringDecoder("binary").encoding];`, `["01ff","é","latin1"]`},
		{"unknown encoding", `try { new StringDecoder("nope"); } catch (e: any) { out = [e.name, e.code, e.message]; }`, `["TypeError","ERR_UNKNOWN_ENCODING","Unknown encoding: nope"]`},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) {
			runLines(t, `import { StringDecoder } from "node:string_decoder";
let out: unknown[] = [];
`+tt.src+`
console.log(JSON.stringify(out));`, []string{tt.want})
		})
	}
}

func TestQuerystringTimersDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"querystring", `
import qs, { parse, stringify, escape, unescape } from "node:querystring";
const p = parse("foo=bar&abc=xyz&abc=123&sp=a+b%20c&bad=%E0%A4%A&empty=&flag");
console.log(JSON.stringify(p), Object.getPrototypeOf(p) === null);
console.log(stringify({ foo: "bar", baz: ["qux", "quux"], corge: "", n: 1, inf: Infinity, obj: {} }));
console.log(stringify({ w: "%#" }, ";", ":"), JSON.stringify(parse("w:x;y:z", ";", ":")));
console.log(escape("a b&c/é"), unescape("a%20b%zz"), Object.keys(parse("a=1&b=2&c=3", "&", "=", { maxKeys: 2 })).join());
console.log(qs.decode === qs.parse, qs.encode === qs.stringify);`,
			// A malformed escape is decoded byte by byte: E0 A4 is an incomplete
			// UTF-8 sequence, one U+FFFD.
			[]string{"{\"foo\":\"bar\",\"abc\":[\"xyz\",\"123\"],\"sp\":\"a b c\",\"bad\":\"\ufffd%A\",\"empty\":\"\",\"flag\":\"\"} true",
				"foo=bar&baz=qux&baz=quux&corge=&n=1&inf=&obj=",
				`w:%25%23 {"w":"x","y":"z"}`, "a%20b%26c%2F%C3%A9 a b%zz a,b", "true true"}},
		{"timers", `
import timers, { setTimeout as st, clearTimeout as ct } from "node:timers";
import { setTimeout, setImmediate, setInterval, scheduler } from "node:timers/promises";
const order: string[] = [];
const id = st(() => order.push("cancelled"), 1); ct(id);
order.push(String(await setTimeout(2, "timeout")));
order.push(String(await setImmediate("immediate")));
await scheduler.wait(1);
let n = 0;
for await (const v of setInterval(1, "tick")) { order.push(v + ++n); if (n === 3) break; }
const ac = new AbortController();
const pending = setTimeout(1000, "never", { signal: ac.signal });
ac.abort();
try { await pending; } catch (e: any) { order.push(e.name + ":" + e.code); }
console.log(order.join(" "), timers.promises.setTimeout === setTimeout);`,
			[]string{"timeout immediate tick1 tick2 tick3 AbortError:ABORT_ERR true"}},
		{"diagnostics_channel", `
import dc, { channel, subscribe, unsubscribe, hasSubscribers, tracingChannel } from "node:diagnostics_channel";
const log: string[] = [];
const ch = channel("my-channel");
console.log(ch.hasSubscribers, hasSubscribers("my-channel"), ch === dc.channel("my-channel"));
const fn = (msg: any, name: any) => log.push(name + ":" + JSON.stringify(msg));
subscribe("my-channel", fn);
ch.publish({ n: 1 });
console.log(ch.hasSubscribers, unsubscribe("my-channel", fn), unsubscribe("my-channel", fn));
ch.publish({ n: 2 });
const tc = tracingChannel("op");
tc.subscribe({ start: (c: any) => log.push("start " + c.id), end: (c: any) => log.push("end " + c.result), error: (c: any) => log.push("error " + c.error.message) });
tc.traceSync(() => 42, { id: "a" });
try { tc.traceSync(() => { throw new Error("bad"); }, { id: "b" }); } catch {}
console.log(log.join(" | "));`,
			[]string{"false false true", "true true false", `my-channel:{"n":1} | start a | end 42 | start b | error bad | end undefined`}},
	}
	for _, tt := range tests {
		t.Run(strings.ReplaceAll(tt.name, " ", "_"), func(t *testing.T) { runLines(t, tt.src, tt.want) })
	}
}
