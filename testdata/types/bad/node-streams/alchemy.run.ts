// The Node stream modules are typed: wrong arguments, what the runtime does not serve, and the members it
// throws ERR_METHOD_NOT_IMPLEMENTED for.
import { Readable, Writable, compose } from "node:stream";
import { pipeline } from "node:stream/promises";
import { BrotliCompress, gzip, gzipSync, Zlib } from "node:zlib"; // error TS2614|TS2305: Module '"node:zlib"' has no exported member 'Zlib'
import { StringDecoder } from "node:string_decoder";
import { setTimeout as sleep } from "node:timers/promises";
import { parse } from "node:querystring";
import { Channel, channel } from "node:diagnostics_channel";

const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
await pipeline(
  ["a", "bb"],
  async function* (source) {
    for await (const s of source) yield s.toFixed(1); // error TS2551|TS2339: Property 'toFixed' does not exist on type 'string'
  },
  sink,
);
const n: number = await sleep(1, "x"); // error TS2322: Type 'string' is not assignable to type 'number'
gzipSync(42); // error TS2345: Argument of type 'number' is not assignable to parameter of type 'InputType'
gzip("no callback"); // error TS2554: Expected 2-3 arguments, but got 1
new BrotliCompress(); // error TS2511: Cannot create an instance of an abstract class
new StringDecoder("utf8").write(42); // error TS2345: Argument of type 'number' is not assignable to parameter of type
parse("a=1").a.length; // error TS2532: Object is possibly 'undefined'
new Channel("x"); // error TS2673: Constructor of class 'Channel<StoreType, ContextType>' is private
channel("x").publish(); // error TS2554: Expected 1 arguments, but got 0
compose(Readable.from([]), sink).pipe(sink); // error TS2339: Property 'pipe' does not exist on type 'never'
console.log(n, Zlib);
