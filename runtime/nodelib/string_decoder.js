// node:string_decoder: StringDecoder keeps the bytes of a character split
// across writes until the rest arrives. Evaluated once per runtime with
// natives { normalize(encoding), decode(bytes, encoding) }.
(function (native) {
  "use strict";

  const toBytes = (buf) => {
    if (buf instanceof ArrayBuffer) return new Uint8Array(buf);
    if (ArrayBuffer.isView(buf)) return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    const e = new TypeError(`The "buf" argument must be an instance of Buffer, TypedArray, or DataView. Received ${buf === null ? "null" : typeof buf}`);
    e.code = "ERR_INVALID_ARG_TYPE";
    throw e;
  };

  // utf8Tail returns how many bytes at the end of b start a character
  // that is not complete yet.
  const utf8Tail = (b) => {
    const n = b.length;
    for (let i = n - 1; i >= 0 && i >= n - 4; i--) {
      const c = b[i];
      if ((c & 0xc0) === 0x80) continue; // continuation byte
      const need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 1;
      return n - i < need ? n - i : 0;
    }
    return 0;
  };
  const utf16Tail = (b) => {
    const odd = b.length % 2;
    const end = b.length - odd;
    if (end >= 2) {
      const unit = b[end - 2] | (b[end - 1] << 8);
      if (unit >= 0xd800 && unit <= 0xdbff) return odd + 2;
    }
    return odd;
  };

  class StringDecoder {
    #pending = new Uint8Array(0);
    constructor(encoding) {
      this.encoding = native.normalize(encoding === undefined || encoding === null ? "utf8" : String(encoding));
    }
    #tail(b) {
      switch (this.encoding) {
        case "utf8":
          return utf8Tail(b);
        case "utf16le":
          return utf16Tail(b);
        case "base64":
        case "base64url":
          return b.length % 3;
      }
      return 0;
    }
    write(buf) {
      if (typeof buf === "string") return buf;
      let b = toBytes(buf);
      if (this.#pending.length) {
        const joined = new Uint8Array(this.#pending.length + b.length);
        joined.set(this.#pending);
        joined.set(b, this.#pending.length);
        b = joined;
      }
      const keep = this.#tail(b);
      this.#pending = b.slice(b.length - keep);
      return native.decode(b.subarray(0, b.length - keep), this.encoding);
    }
    end(buf) {
      let out = buf === undefined ? "" : this.write(buf);
      const rest = this.#pending;
      this.#pending = new Uint8Array(0);
      if (rest.length) {
        if (this.encoding === "utf16le") {
          // A lone high surrogate is kept as is; an odd byte is dropped.
          out += rest.length >= 2 ? String.fromCharCode(rest[0] | (rest[1] << 8)) : "";
        } else {
          out += native.decode(rest, this.encoding);
        }
      }
      return out;
    }
    text(buf, offset) {
      return this.write(toBytes(buf).subarray(offset));
    }
    get lastNeed() {
      const p = this.#pending;
      if (!p.length) return 0;
      if (this.encoding === "utf8") return (p[0] >= 0xf0 ? 4 : p[0] >= 0xe0 ? 3 : 2) - p.length;
      if (this.encoding === "utf16le") return p.length % 2 ? 1 : 2;
      return 3 - p.length;
    }
    get lastTotal() {
      return this.#pending.length + this.lastNeed;
    }
    get lastChar() {
      const out = new Uint8Array(4);
      out.set(this.#pending);
      return out;
    }
  }
  return { StringDecoder };
});
