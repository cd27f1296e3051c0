// node:stream/consumers: read a whole stream (a Node stream, a web
// ReadableStream or any async iterable) as text, JSON, bytes or a Blob.
// Evaluated once per runtime with { Buffer }.
(function (deps) {
  "use strict";
  const { Buffer } = deps;

  // chunks collects what the stream yields.
  const chunks = async (stream) => {
    const it = stream[Symbol.asyncIterator]();
    const out = [];
    for (;;) {
      const { value, done } = await it.next();
      if (done) return out;
      out.push(value);
    }
  };
  const bytesOf = (chunk) =>
    typeof chunk === "string" ? Buffer.from(chunk) : chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);

  const buffer = async (stream) => Buffer.concat((await chunks(stream)).map(bytesOf));
  const arrayBuffer = async (stream) => {
    const b = await buffer(stream);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
  };
  const text = async (stream) => {
    const dec = new TextDecoder();
    let out = "";
    for (const chunk of await chunks(stream)) out += typeof chunk === "string" ? chunk : dec.decode(bytesOf(chunk), { stream: true });
    return out + dec.decode();
  };
  const json = async (stream) => JSON.parse(await text(stream));
  const blob = async (stream) => new Blob((await chunks(stream)).map((c) => (typeof c === "string" ? c : bytesOf(c))));

  return { arrayBuffer, blob, buffer, json, text };
});
