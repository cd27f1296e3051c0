// Blob, File and FormData. Evaluated once per runtime with the natives
// encode(string) → Uint8Array and decode(bytes) → string. A Blob holds its
// bytes in memory.
(function (native) {
  "use strict";

  const bytesOf = (part) => {
    if (part instanceof Blob) return part._bytes();
    if (part instanceof ArrayBuffer) return new Uint8Array(part.slice(0));
    if (ArrayBuffer.isView(part)) return new Uint8Array(part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength));
    return native.encode(String(part));
  };
  const concat = (chunks) => {
    if (chunks.length === 1) return chunks[0];
    let n = 0;
    for (const c of chunks) n += c.length;
    const out = new Uint8Array(n);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  };
  const normalizeType = (t) => {
    t = t === undefined ? "" : String(t);
    return /^[\x20-\x7e]*$/.test(t) ? t.toLowerCase() : "";
  };

  class Blob {
    #bytes;
    #type;
    constructor(parts = [], options = {}) {
      if (parts === null || typeof parts !== "object" || typeof parts[Symbol.iterator] !== "function") {
        throw new TypeError("Blob: the parts must be an iterable");
      }
      const chunks = [];
      for (const p of parts) chunks.push(bytesOf(p));
      this.#bytes = chunks.length === 0 ? new Uint8Array(0) : concat(chunks);
      this.#type = normalizeType(options && options.type);
    }
    static _of(bytes, type) {
      const b = new Blob([]);
      b.#bytes = bytes;
      b.#type = normalizeType(type);
      return b;
    }
    _bytes() {
      return this.#bytes;
    }
    get size() {
      return this.#bytes.length;
    }
    get type() {
      return this.#type;
    }
    slice(start = 0, end = this.#bytes.length, type = "") {
      const n = this.#bytes.length;
      const rel = (i) => (i < 0 ? Math.max(n + i, 0) : Math.min(i, n));
      return Blob._of(this.#bytes.slice(rel(start), rel(end)), type);
    }
    text() {
      return Promise.resolve(native.decode(this.#bytes));
    }
    arrayBuffer() {
      const b = this.#bytes;
      return Promise.resolve(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    bytes() {
      return Promise.resolve(new Uint8Array(this.#bytes));
    }
    stream() {
      const b = this.#bytes;
      return new ReadableStream({
        type: "bytes",
        start(c) {
          if (b.length) c.enqueue(new Uint8Array(b));
          c.close();
        },
      });
    }
    get [Symbol.toStringTag]() {
      return "Blob";
    }
  }

  class File extends Blob {
    #name;
    #lastModified;
    constructor(parts, name, options = {}) {
      if (arguments.length < 2) throw new TypeError("File: 2 arguments required");
      super(parts, options);
      this.#name = String(name);
      this.#lastModified = options.lastModified !== undefined ? Number(options.lastModified) : Date.now();
    }
    get name() {
      return this.#name;
    }
    get lastModified() {
      return this.#lastModified;
    }
    get [Symbol.toStringTag]() {
      return "File";
    }
  }

  const entryValue = (value, filename) => {
    if (value instanceof Blob) {
      if (filename !== undefined) return new File([value], filename, { type: value.type });
      if (value instanceof File) return value;
      return new File([value], "blob", { type: value.type });
    }
    return String(value);
  };

  class FormData {
    #entries = [];
    constructor(form) {
      if (form !== undefined) throw new TypeError("FormData: building from a form element is not supported");
    }
    append(name, value, filename) {
      this.#entries.push([String(name), entryValue(value, filename)]);
    }
    set(name, value, filename) {
      name = String(name);
      const v = entryValue(value, filename);
      const i = this.#entries.findIndex((e) => e[0] === name);
      if (i < 0) {
        this.#entries.push([name, v]);
        return;
      }
      this.#entries[i] = [name, v];
      this.#entries = this.#entries.filter((e, j) => j <= i || e[0] !== name);
    }
    get(name) {
      const e = this.#entries.find((e) => e[0] === String(name));
      return e ? e[1] : null;
    }
    getAll(name) {
      return this.#entries.filter((e) => e[0] === String(name)).map((e) => e[1]);
    }
    has(name) {
      return this.#entries.some((e) => e[0] === String(name));
    }
    delete(name) {
      this.#entries = this.#entries.filter((e) => e[0] !== String(name));
    }
    forEach(callback, thisArg) {
      for (const [k, v] of this.#entries.slice()) callback.call(thisArg, v, k, this);
    }
    *entries() {
      for (const e of this.#entries.slice()) yield [e[0], e[1]];
    }
    *keys() {
      for (const e of this.#entries.slice()) yield e[0];
    }
    *values() {
      for (const e of this.#entries.slice()) yield e[1];
    }
    [Symbol.iterator]() {
      return this.entries();
    }
    get [Symbol.toStringTag]() {
      return "FormData";
    }
  }

  return { Blob, File, FormData };
});
