// CompressionStream and DecompressionStream ("gzip", "deflate",
// "deflate-raw"): TransformStreams over a Go codec that turns each chunk
// into the output it makes available. Evaluated once per runtime with
// natives { open(mode, format) }, where open returns { write(bytes),
// close() }, each returning a Uint8Array, and throws a TypeError for an
// unknown format or corrupt input.
(function (native) {
  "use strict";

  const toBytes = (chunk) => {
    if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
    if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    throw new TypeError("The chunk must be an ArrayBuffer or an ArrayBuffer view");
  };

  const transform = (mode, args) => {
    if (args.length < 1) throw new TypeError(`Failed to construct '${mode}': 1 argument required, but only 0 present.`);
    const codec = native.open(mode, String(args[0]));
    // A failure errors the readable side too (controller.error), so that
    // its reader sees it and not only the writer.
    const step = (controller, run) => {
      let out;
      try {
        out = run();
      } catch (e) {
        controller.error(e);
        throw e;
      }
      if (out.byteLength) controller.enqueue(out);
    };
    return new TransformStream({
      transform(chunk, controller) {
        step(controller, () => codec.write(toBytes(chunk)));
      },
      flush(controller) {
        step(controller, () => codec.close());
      },
    });
  };

  class CompressionStream {
    #stream;
    constructor(format) {
      this.#stream = transform("CompressionStream", arguments);
    }
    get readable() {
      return this.#stream.readable;
    }
    get writable() {
      return this.#stream.writable;
    }
    get [Symbol.toStringTag]() {
      return "CompressionStream";
    }
  }

  class DecompressionStream {
    #stream;
    constructor(format) {
      this.#stream = transform("DecompressionStream", arguments);
    }
    get readable() {
      return this.#stream.readable;
    }
    get writable() {
      return this.#stream.writable;
    }
    get [Symbol.toStringTag]() {
      return "DecompressionStream";
    }
  }

  return { CompressionStream, DecompressionStream };
});
