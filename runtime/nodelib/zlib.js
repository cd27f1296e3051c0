// node:zlib: gzip, deflate (zlib) and raw deflate, compressing and
// decompressing in Go (Go's compress packages): the *Sync functions at
// once, the callback functions off the event loop, and the create*
// streams as Transforms that turn each chunk into the output it makes
// available. Brotli is not available. Evaluated once per runtime with
// natives { open(mode, format, level), sync(mode, format, level, bytes),
// async(mode, format, level, bytes), crc32(bytes, value) } and
// { stream, Buffer }.
(function (native, deps) {
  "use strict";
  const { stream, Buffer } = deps;
  const { Transform } = stream;

  const coded = (Ctor, code, message) => {
    const e = new Ctor(message);
    e.code = code;
    return e;
  };
  const typeName = (v) => (v === null ? "null" : typeof v === "object" ? `an instance of ${(v.constructor && v.constructor.name) || "Object"}` : `type ${typeof v} (${String(v)})`);

  const constants = Object.freeze({
    Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
    Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
    Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
    Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
    Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0,
    DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7, BROTLI_DECODE: 8, BROTLI_ENCODE: 9,
    Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15,
    Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity, Z_DEFAULT_CHUNK: 16384,
    Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8,
    Z_MIN_LEVEL: -1, Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
  });
  const codes = Object.freeze({
    Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3,
    Z_MEM_ERROR: -4, Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
    0: "Z_OK", 1: "Z_STREAM_END", 2: "Z_NEED_DICT", "-1": "Z_ERRNO", "-2": "Z_STREAM_ERROR", "-3": "Z_DATA_ERROR",
    "-4": "Z_MEM_ERROR", "-5": "Z_BUF_ERROR", "-6": "Z_VERSION_ERROR",
  });

  const toBytes = (buffer) => {
    if (typeof buffer === "string") return Buffer.from(buffer);
    if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
    if (ArrayBuffer.isView(buffer)) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    throw coded(
      TypeError,
      "ERR_INVALID_ARG_TYPE",
      `The "buffer" argument must be of type string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer. Received ${typeName(buffer)}`,
    );
  };
  const levelOf = (opts) => {
    if (opts == null || opts.level === undefined) return -1;
    const level = opts.level;
    if (typeof level !== "number" || Number.isNaN(level)) {
      throw coded(TypeError, "ERR_INVALID_ARG_TYPE", `The "options.level" property must be of type number. Received ${typeName(level)}`);
    }
    if (!Number.isInteger(level) || level < -1 || level > 9) {
      throw coded(RangeError, "ERR_OUT_OF_RANGE", `The value of "options.level" is out of range. It must be >= -1 and <= 9. Received ${level}`);
    }
    return level;
  };

  // ZlibBase is the Transform every zlib stream is.
  class ZlibBase extends Transform {
    #mode;
    #format;
    #level;
    #handle;
    #chunkSize;
    constructor(mode, format, opts) {
      opts = opts || {};
      const level = levelOf(opts);
      super({ ...opts, objectMode: false, readableObjectMode: false, writableObjectMode: false });
      this.#mode = mode;
      this.#format = format;
      this.#level = level;
      this.#handle = native.open(mode, format, level);
      this.#chunkSize = opts.chunkSize >= constants.Z_MIN_CHUNK ? opts.chunkSize : constants.Z_DEFAULT_CHUNK;
      this.bytesWritten = 0;
      this._closed = false;
    }
    #pushAll(out) {
      const size = this.#chunkSize;
      if (out.length <= size) {
        if (out.length) this.push(out);
        return;
      }
      for (let i = 0; i < out.length; i += size) this.push(out.subarray(i, i + size));
    }
    _transform(chunk, encoding, callback) {
      let out;
      try {
        const bytes = typeof chunk === "string" ? Buffer.from(chunk, encoding) : chunk;
        this.bytesWritten += bytes.length;
        out = this.#handle.write(bytes);
      } catch (err) {
        callback(err);
        return;
      }
      this.#pushAll(out);
      callback();
    }
    _flush(callback) {
      let out;
      try {
        out = this.#handle.close();
      } catch (err) {
        callback(err);
        return;
      }
      this.#pushAll(out);
      callback();
    }
    // flush pushes out everything written so far (a sync flush), once the
    // writes before it have been handled.
    flush(kind, callback) {
      if (typeof kind === "function") callback = kind;
      const run = () => {
        if (!this.destroyed && !this.writableFinished) {
          try {
            this.#pushAll(this.#handle.flush());
          } catch (err) {
            this.destroy(err);
          }
        }
        if (typeof callback === "function") queueMicrotask(callback);
      };
      if (this.writableLength > 0) this.once("drain", run);
      else run();
    }
    reset() {
      this.#handle = native.open(this.#mode, this.#format, this.#level);
    }
    params(level, strategy, callback) {
      throw coded(Error, "ERR_METHOD_NOT_IMPLEMENTED", "node:zlib params() is not supported in this runtime");
    }
    close(callback) {
      if (typeof callback === "function") stream.finished(this, () => callback());
      this._closed = true;
      this.destroy();
    }
    _destroy(err, callback) {
      this._closed = true;
      callback(err);
    }
  }

  const kinds = [
    ["Gzip", "gzip", "compress", "gzip"],
    ["Gunzip", "gunzip", "decompress", "gzip"],
    ["Deflate", "deflate", "compress", "deflate"],
    ["Inflate", "inflate", "decompress", "deflate"],
    ["DeflateRaw", "deflateRaw", "compress", "deflate-raw"],
    ["InflateRaw", "inflateRaw", "decompress", "deflate-raw"],
    ["Unzip", "unzip", "decompress", "unzip"],
  ];
  const zlib = { constants, codes, Zlib: ZlibBase };
  for (const [cls, fn, mode, format] of kinds) {
    const C = {
      [cls]: class extends ZlibBase {
        constructor(opts) {
          super(mode, format, opts);
        }
      },
    }[cls];
    zlib[cls] = C;
    zlib["create" + cls] = (opts) => new C(opts);
    zlib[fn + "Sync"] = (buffer, opts) => native.sync(mode, format, levelOf(opts), toBytes(buffer));
    zlib[fn] = (buffer, opts, callback) => {
      if (typeof opts === "function") {
        callback = opts;
        opts = {};
      }
      if (typeof callback !== "function") {
        throw coded(TypeError, "ERR_INVALID_ARG_TYPE", `The "callback" argument must be of type function. Received ${typeName(callback)}`);
      }
      native.async(mode, format, levelOf(opts), toBytes(buffer)).then(
        (out) => callback(null, out),
        (err) => callback(err),
      );
    };
  }
  const brotli = (name) => () => {
    throw coded(Error, "ERR_METHOD_NOT_IMPLEMENTED", `node:zlib ${name} is not supported in this runtime: brotli is not available`);
  };
  for (const name of [
    "BrotliCompress", "BrotliDecompress", "createBrotliCompress", "createBrotliDecompress",
    "brotliCompress", "brotliCompressSync", "brotliDecompress", "brotliDecompressSync",
  ]) {
    zlib[name] = brotli(name);
  }
  zlib.crc32 = (data, value = 0) => {
    if (typeof value !== "number") throw coded(TypeError, "ERR_INVALID_ARG_TYPE", `The "value" argument must be of type number. Received ${typeName(value)}`);
    return native.crc32(toBytes(data), value);
  };
  return zlib;
});
