// The Node stream modules a program (or an npm package it bundles) may use: node:stream with its promises,
// web and consumers modules, node:zlib, node:string_decoder, node:timers and timers/promises,
// node:querystring and node:diagnostics_channel, with node: and bare spellings.
import { Buffer } from "node:buffer";
import { AsyncLocalStorage } from "node:async_hooks";
import stream, { Duplex, PassThrough, Readable, Transform, Writable, addAbortSignal, finished, pipeline } from "node:stream";
import { finished as finishedPromise, pipeline as pipelinePromise } from "node:stream/promises";
import { CompressionStream as WebCompressionStream, DecompressionStream, ReadableStream as WebReadableStream } from "node:stream/web";
import { json, text } from "node:stream/consumers";
import { StringDecoder } from "node:string_decoder";
import { setTimeout as sleep, setImmediate as nextTurn, setInterval as every, scheduler } from "node:timers/promises";
import timers, { clearTimeout as clearTimer, setTimeout as setTimer } from "node:timers";
import zlib, { constants, createGunzip, createGzip, crc32, gunzipSync, gzip, gzipSync, inflateSync, deflateSync } from "node:zlib";
import querystring, { parse, stringify, escape, unescape } from "node:querystring";
import diagnostics, { channel, subscribe, tracingChannel, type ChannelListener } from "node:diagnostics_channel";
import { Readable as BareReadable } from "stream";
import { pipeline as barePipeline } from "stream/promises";
import { StringDecoder as BareDecoder } from "string_decoder";
import { setTimeout as bareSleep } from "timers/promises";
import bareZlib from "zlib";
import { promisify } from "node:util";

// A Transform that upper-cases text, and one written as a subclass.
const upper = new Transform({
  transform(chunk: Buffer, _encoding, callback) {
    callback(null, chunk.toString("utf8").toUpperCase());
  },
});
class Counter extends Transform {
  count = 0;
  override _transform(chunk: Buffer, _encoding: string, callback: (error?: Error | null, data?: any) => void): void {
    this.count += chunk.length;
    callback(null, chunk);
  }
  override _flush(callback: (error?: Error | null, data?: any) => void): void {
    callback(null, `\n${this.count} bytes`);
  }
}

// Collect what a Writable receives.
const received: Buffer[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    received.push(chunk);
    callback();
  },
  final(callback) {
    callback();
  },
});
sink.on("finish", () => console.log("finished"));
sink.on("pipe", (source: Readable) => console.log(source.readableObjectMode));

// pipeline, promise form: source, transforms (a stream and an async generator), destination.
await pipelinePromise(
  Readable.from(["hello ", "world"]),
  upper,
  async function* (source) {
    for await (const chunk of source) yield String(chunk);
  },
  new Counter(),
  sink,
);
const roundTrip: string = Buffer.concat(received).toString("utf8");
await pipelinePromise(Readable.from(["zipped"]), createGzip({ level: 9 }), createGunzip(), new PassThrough().resume());

// A function destination: the pipeline resolves with its result.
const total: number = await pipelinePromise(Readable.from([1, 2, 3]), async (source) => {
  let sum = 0;
  for await (const n of source) sum += n as number;
  return sum;
});

// Item types follow from an iterable source through generator transforms.
const lengths: number[] = [];
await pipelinePromise(
  ["a", "bb", "ccc"],
  async function* (source) {
    for await (const s of source) yield s.length;
  },
  async (source) => {
    for await (const n of source) lengths.push(n);
  },
  { signal: AbortSignal.timeout(5000) },
);

// pipeline, callback form, returns the destination.
const out = new PassThrough();
const last: PassThrough = pipeline(Readable.from(Buffer.from("data")), createGzip(), out, (err) => {
  if (err) console.error(err.message);
});
const gunzipped: string = await text(last.pipe(createGunzip()));

// stream.promises and the default export.
await stream.promises.finished(Readable.from([]).resume());
await finishedPromise(new PassThrough().end("x").resume());
const cleanup: () => void = finished(new PassThrough(), (err) => console.log(err?.message));
cleanup();
const viaDefault = new stream.Readable({ read() {} });
viaDefault.push("x");
viaDefault.push(null);
const all: unknown[] = await viaDefault.toArray();
addAbortSignal(new AbortController().signal, new PassThrough());

// Readable in paused mode, with events and async iteration.
const paused = new Readable({ read() {}, encoding: "utf8" });
paused.on("readable", () => {
  let chunk: string | null;
  while ((chunk = paused.read()) !== null) console.log(chunk);
});
paused.on("error", (err: Error) => console.error(err.message));
paused.push("abc");
paused.push(null);
for await (const chunk of Readable.from(["x", "y"])) console.log(chunk);

const duplex = new Duplex({
  read() {},
  write(chunk, _encoding, callback) {
    this.push(chunk);
    callback();
  },
});
const ok: boolean = duplex.write("ping") && duplex.writable;
duplex.end();
const isWritable: boolean = duplex instanceof Writable;

// Web streams in and out.
const web: ReadableStream<Uint8Array> = Readable.toWeb(Readable.from([Buffer.from("x")]));
const compressed = new WebReadableStream<Uint8Array>({
  start(controller) {
    controller.enqueue(new TextEncoder().encode("web"));
    controller.close();
  },
})
  .pipeThrough(new WebCompressionStream("gzip"))
  .pipeThrough(new DecompressionStream("gzip"));
const fromWeb: string = await text(Readable.fromWeb(compressed));
const parsed = (await json(Readable.from([JSON.stringify({ a: 1 })]))) as { a: number };
await pipelinePromise(web, new Writable({ write: (_c, _e, cb) => cb() }));

// zlib: sync, callback and promisified forms.
const gz: Buffer = gzipSync("hello", { level: constants.Z_BEST_COMPRESSION });
const plain: string = gunzipSync(gz).toString();
const inflated: Buffer = inflateSync(deflateSync(new TextEncoder().encode("zz")));
gzip("callback", (error, result) => {
  if (error) throw error;
  console.log(result.length);
});
const gzipAsync = promisify(zlib.gzip);
const viaPromise: Buffer = await gzipAsync("promised");
const checksum: number = crc32("hello") ^ crc32(Buffer.from("world"), 0);
console.log(bareZlib.constants.Z_SYNC_FLUSH);

// string_decoder keeps split characters until the rest arrives.
const decoder = new StringDecoder("utf8");
const euro = Buffer.from("€");
const decoded: string = decoder.write(euro.subarray(0, 1)) + decoder.write(euro.subarray(1)) + decoder.end();
const bareDecoded: string = new BareDecoder().end(new Uint8Array([104, 105]));

// timers/promises.
const value: string = await sleep(1, "done");
await sleep(1);
await nextTurn();
await scheduler.wait(1);
await scheduler.yield();
const ac = new AbortController();
let ticks = 0;
for await (const tick of every(1, "tick", { signal: ac.signal })) {
  if (tick === "tick" && ++ticks === 2) break;
}
await bareSleep(1, undefined, { signal: AbortSignal.timeout(100) });
const handle = setTimer(() => {}, 10);
clearTimer(handle);
timers.clearInterval(timers.setInterval(() => {}, 10));
await timers.promises.setImmediate();

// querystring.
const query = parse("a=1&b=2&b=3");
const b: string | string[] | undefined = query.b;
const qs: string = stringify({ a: 1, b: ["x", "y"], c: true }) + querystring.encode({ d: "e f" }, ";", ":");
console.log(escape("a b"), unescape("a%20b"));

// diagnostics_channel.
const onMessage: ChannelListener = (message, name) => console.log(String(name), message);
subscribe("alchemy:demo", onMessage);
const demo = channel("alchemy:demo");
if (demo.hasSubscribers) demo.publish({ at: Date.now() });
const store = new AsyncLocalStorage<{ id: string }>();
demo.bindStore(store as AsyncLocalStorage<unknown>);
diagnostics.unsubscribe("alchemy:demo", onMessage);
const traced = tracingChannel<unknown, { query: string }>("alchemy:query");
traced.subscribe({
  start: (ctx) => console.log(ctx.query),
  end: () => {},
  asyncStart: () => {},
  asyncEnd: () => {},
  error: (ctx) => console.error(ctx.error),
});
const rows: number = traced.traceSync(() => 42, { query: "select" });
const later: number = await traced.tracePromise(async () => 7, { query: "async" });

console.log(roundTrip, total, lengths, gunzipped, all, ok, isWritable, fromWeb, parsed.a, plain, inflated, viaPromise, checksum);
console.log(decoded, bareDecoded, value, b, qs, rows, later, BareReadable.name, barePipeline.name);

// The same classes are globals.
const globalGzip: WebCompressionStream = new CompressionStream("deflate-raw");
const strategy = new CountQueuingStrategy({ highWaterMark: 2 });
console.log(globalGzip.readable.locked, strategy.size(1), new ByteLengthQueuingStrategy({ highWaterMark: 8 }).highWaterMark);
