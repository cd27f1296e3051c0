// Headers, Request, Response and fetch. Evaluated once per runtime with the
// Go natives: fetch(method, url, headerPairs, body, redirect) resolving to
// { status, statusText, url, redirected, headers, body }, encode(string),
// decode(bytes), encodeForm(entries) → [bytes, contentType] and
// parseForm(bytes, contentType) → entries. A body is held as a string, a
// Uint8Array or a ReadableStream; streams, Blob and FormData are read from
// the globals when a body needs them.
//
// Besides the classes the factory returns `internals`, the fast paths a
// server in Go uses: incomingRequest, newResponse, exportRequest,
// exportResponse (see below).
(function (native) {
  "use strict";

  const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
  // Valid names seen before, by spelling: checking a name is the hot path
  // of every header operation.
  const names = new Map();
  const normalizeName = (name) => {
    name = String(name);
    const known = names.get(name);
    if (known !== undefined) return known;
    if (!TOKEN.test(name)) throw new TypeError(`Invalid header name: "${name}"`);
    const lower = name.toLowerCase();
    if (names.size < 512) names.set(name, lower);
    return lower;
  };
  const isSpace = (c) => c === 32 || c === 9 || c === 10 || c === 13;
  const normalizeValue = (value) => {
    value = String(value);
    if (value.length === 0 || (!isSpace(value.charCodeAt(0)) && !isSpace(value.charCodeAt(value.length - 1)))) return value;
    return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
  };

  class Headers {
    #map = new Map(); // lower-case name -> array of values

    constructor(init) {
      if (init == null) return;
      if (init instanceof Headers) {
        for (const [k, v] of init.#map) this.#map.set(k, v.slice());
      } else if (typeof init[Symbol.iterator] === "function") {
        for (const pair of init) {
          const [k, v, ...rest] = pair;
          if (rest.length || v === undefined) throw new TypeError("Headers: each pair must have exactly two items");
          this.append(k, v);
        }
      } else if (typeof init === "object") {
        for (const k of Object.keys(init)) this.append(k, init[k]);
      } else {
        throw new TypeError("Headers: init must be an object, an iterable of pairs or Headers");
      }
    }
    // _fromFlat builds Headers from [name, value, name, value, …] of
    // already valid lower-case names.
    static _fromFlat(flat) {
      const h = new Headers();
      const m = h.#map;
      for (let i = 0; i < flat.length; i += 2) {
        const list = m.get(flat[i]);
        if (list) list.push(flat[i + 1]);
        else m.set(flat[i], [flat[i + 1]]);
      }
      return h;
    }
    // _flat lists the headers as [name, value, …], set-cookie values apart.
    _flat() {
      const out = [];
      for (const [k, list] of this.#map) {
        if (k === "set-cookie") for (const v of list) out.push(k, v);
        else out.push(k, list.length === 1 ? list[0] : list.join(", "));
      }
      return out;
    }
    append(name, value) {
      const k = normalizeName(name);
      const list = this.#map.get(k);
      if (list) list.push(normalizeValue(value));
      else this.#map.set(k, [normalizeValue(value)]);
    }
    set(name, value) {
      this.#map.set(normalizeName(name), [normalizeValue(value)]);
    }
    get(name) {
      const list = this.#map.get(normalizeName(name));
      return list ? list.join(", ") : null;
    }
    getSetCookie() {
      return (this.#map.get("set-cookie") || []).slice();
    }
    getAll(name) {
      return (this.#map.get(normalizeName(name)) || []).slice();
    }
    has(name) {
      return this.#map.has(normalizeName(name));
    }
    delete(name) {
      this.#map.delete(normalizeName(name));
    }
    forEach(callback, thisArg) {
      for (const [k, v] of this) callback.call(thisArg, v, k, this);
    }
    *entries() {
      const names = [...this.#map.keys()].sort();
      for (const k of names) {
        const list = this.#map.get(k);
        if (k === "set-cookie") for (const v of list) yield [k, v];
        else yield [k, list.join(", ")];
      }
    }
    *keys() {
      for (const [k] of this.entries()) yield k;
    }
    *values() {
      for (const [, v] of this.entries()) yield v;
    }
    [Symbol.iterator]() {
      return this.entries();
    }
    get [Symbol.toStringTag]() {
      return "Headers";
    }
  }

  const concat = (chunks) => {
    if (chunks.length === 1) return chunks[0];
    let n = 0;
    for (const c of chunks) n += c.byteLength;
    const out = new Uint8Array(n);
    let off = 0;
    for (const c of chunks) {
      out.set(c, off);
      off += c.byteLength;
    }
    return out;
  };
  const toU8 = (chunk) => {
    if (chunk instanceof Uint8Array) return chunk;
    if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk);
    if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (typeof chunk === "string") return native.encode(chunk);
    throw new TypeError("A body stream must produce ArrayBuffer views (Uint8Array chunks)");
  };
  const readAll = async (stream) => {
    const reader = stream.getReader();
    const chunks = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      chunks.push(toU8(value));
    }
    reader.releaseLock();
    return chunks.length === 0 ? new Uint8Array(0) : concat(chunks);
  };
  const isStream = (v) => typeof ReadableStream === "function" && v instanceof ReadableStream;
  const bytesStream = (bytes) =>
    new ReadableStream({
      type: "bytes",
      start(c) {
        if (bytes.length) c.enqueue(bytes);
        c.close();
      },
    });

  // toSource turns a body init into a body source (null, string, Uint8Array
  // or ReadableStream) and the content type it implies.
  const toSource = (body) => {
    if (body == null) return [null, null];
    if (typeof body === "string") return [body, "text/plain;charset=UTF-8"];
    if (body instanceof ArrayBuffer) return [new Uint8Array(body.slice(0)), null];
    if (ArrayBuffer.isView(body)) {
      return [new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), null];
    }
    if (typeof URLSearchParams === "function" && body instanceof URLSearchParams) {
      return [body.toString(), "application/x-www-form-urlencoded;charset=UTF-8"];
    }
    if (isStream(body)) return [body, null];
    if (typeof Blob === "function" && body instanceof Blob) return [body._bytes(), body.type || null];
    if (typeof FormData === "function" && body instanceof FormData) {
      const entries = [];
      for (const [k, v] of body) {
        if (typeof v === "string") entries.push([k, v]);
        else entries.push([k, v._bytes(), v.name, v.type]);
      }
      const [bytes, type] = native.encodeForm(entries);
      return [bytes, type];
    }
    if (body instanceof Body) return [body._source(), body.headers.get("content-type")];
    return [String(body), "text/plain;charset=UTF-8"];
  };

  class Body {
    #src = null;
    #used = false;

    _init(body, headers) {
      const [src, type] = toSource(body);
      this.#src = src;
      if (type !== null && !headers.has("content-type")) headers.set("content-type", type);
    }
    _setSource(src) {
      this.#src = src;
    }
    // _source is the body as held, without consuming it.
    _source() {
      return this.#src;
    }
    // _take hands the body over (to a server or to fetch): it counts as read.
    _take() {
      if (this.bodyUsed) throw new TypeError("Body is unusable: Body has already been read");
      this.#used = true;
      return this.#src;
    }
    get body() {
      const s = this.#src;
      if (s === null) return null;
      if (isStream(s)) return s;
      const stream = bytesStream(typeof s === "string" ? native.encode(s) : s);
      this.#src = stream;
      return stream;
    }
    get bodyUsed() {
      return this.#used || (isStream(this.#src) && this.#src._disturbed);
    }
    #consume() {
      if (this.bodyUsed) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
      this.#used = true;
      const s = this.#src;
      if (s === null) return Promise.resolve(new Uint8Array(0));
      if (typeof s === "string") return Promise.resolve(native.encode(s));
      if (isStream(s)) {
        if (s.locked) return Promise.reject(new TypeError("Body is unusable: the body stream is locked"));
        return readAll(s);
      }
      return Promise.resolve(s);
    }
    arrayBuffer() {
      return this.#consume().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    bytes() {
      return this.#consume().then((b) => new Uint8Array(b));
    }
    text() {
      if (typeof this.#src === "string" && !this.#used) {
        this.#used = true;
        return Promise.resolve(this.#src);
      }
      return this.#consume().then((b) => native.decode(b));
    }
    json() {
      return this.text().then((t) => JSON.parse(t));
    }
    blob() {
      return this.#consume().then((b) => Blob._of(b, this.headers.get("content-type") || ""));
    }
    formData() {
      const type = this.headers.get("content-type") || "";
      return this.#consume().then((b) => {
        const fd = new FormData();
        if (/^application\/x-www-form-urlencoded/i.test(type)) {
          for (const [k, v] of new URLSearchParams(native.decode(b))) fd.append(k, v);
          return fd;
        }
        if (!/^multipart\/form-data/i.test(type)) {
          throw new TypeError(`Cannot parse a body of type "${type}" as FormData`);
        }
        for (const [name, value, filename, ctype] of native.parseForm(b, type)) {
          if (filename === undefined) fd.append(name, value);
          else fd.append(name, new File([value], filename, { type: ctype }));
        }
        return fd;
      });
    }
    // _cloneSource splits a stream body in two, keeping one half.
    _cloneSource() {
      const s = this.#src;
      if (!isStream(s)) return s;
      const [a, b] = s.tee();
      this.#src = a;
      return b;
    }
  }

  const METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];

  class Request extends Body {
    #url;
    #method;
    #headers = null;
    #flat = null; // raw headers of an incoming request, until read
    #redirect = "follow";
    #signal = null;
    #cf = undefined;

    constructor(input, init = {}) {
      super();
      if (input === internalKey) return;
      if (init === null || init === undefined) init = {};
      const source = input instanceof Request ? input : null;
      this.#url = source ? source.url : new URL(String(input)).href;
      let method = init.method !== undefined ? String(init.method) : source ? source.method : "GET";
      if (METHODS.includes(method.toUpperCase())) method = method.toUpperCase();
      this.#method = method;
      this.#headers = new Headers(init.headers !== undefined ? init.headers : source ? source.headers : undefined);
      this.#redirect = init.redirect || (source ? source.redirect : "follow");
      this.#signal = init.signal !== undefined ? init.signal : source ? source.#signal : null;
      this.#cf = init.cf !== undefined ? init.cf : source ? source.#cf : undefined;
      let body = init.body;
      if (body === undefined && source) body = source._take();
      if (body != null && (method === "GET" || method === "HEAD")) {
        throw new TypeError("Request with GET/HEAD method cannot have body.");
      }
      this._init(body, this.#headers);
    }
    static _incoming(method, url, flat, body, cf) {
      const r = new Request(internalKey);
      r.#method = method;
      r.#url = url;
      r.#flat = flat;
      r.#cf = cf;
      r._setSource(body);
      return r;
    }
    get url() {
      return this.#url;
    }
    get method() {
      return this.#method;
    }
    get headers() {
      if (this.#headers === null) {
        this.#headers = Headers._fromFlat(this.#flat || []);
        this.#flat = null;
      }
      return this.#headers;
    }
    _flatHeaders() {
      return this.#headers === null ? this.#flat || [] : this.#headers._flat();
    }
    get redirect() {
      return this.#redirect;
    }
    get signal() {
      if (this.#signal === null) this.#signal = new AbortController().signal;
      return this.#signal;
    }
    get cf() {
      return this.#cf;
    }
    get keepalive() {
      return false;
    }
    get cache() {
      return "default";
    }
    get credentials() {
      return "same-origin";
    }
    get mode() {
      return "cors";
    }
    get destination() {
      return "";
    }
    get referrer() {
      return "about:client";
    }
    get integrity() {
      return "";
    }
    clone() {
      if (this.bodyUsed) throw new TypeError("Request.clone: body has already been read");
      const r = new Request(internalKey);
      r.#url = this.#url;
      r.#method = this.#method;
      r.#headers = new Headers(this.headers);
      r.#redirect = this.#redirect;
      r.#signal = this.#signal;
      r.#cf = this.#cf;
      r._setSource(this._cloneSource());
      return r;
    }
    get [Symbol.toStringTag]() {
      return "Request";
    }
  }
  const internalKey = Symbol("internal");

  const NULL_BODY = [101, 204, 205, 304];

  class Response extends Body {
    #status = 200;
    #statusText = "";
    #headers = null;
    #ctype = null; // the implied content type while #headers is null
    #url = "";
    #redirected = false;
    #type = "default";
    #webSocket = null;

    constructor(body = null, init = undefined) {
      super();
      if (init === null || init === undefined) {
        // The common case, new Response(text): the headers are made only
        // if someone reads them.
        if (typeof body === "string") {
          this._setSource(body);
          this.#ctype = "text/plain;charset=UTF-8";
          return;
        }
        init = {};
      }
      const status = init.status !== undefined ? Number(init.status) : 200;
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        if (!(status === 101 && init.webSocket)) {
          throw new RangeError(`Response: status ${init.status} is not in the range 200 to 599`);
        }
      }
      this.#status = status;
      this.#statusText = init.statusText !== undefined ? String(init.statusText) : "";
      this.#headers = new Headers(init.headers);
      this.#webSocket = init.webSocket || null;
      if (body != null && NULL_BODY.includes(status)) {
        throw new TypeError(`Response with status ${status} cannot have a body`);
      }
      this._init(body, this.#headers);
    }
    // _flatHeaders lists the headers without making a Headers object.
    _flatHeaders() {
      if (this.#headers === null) return this.#ctype === null ? [] : ["content-type", this.#ctype];
      return this.#headers._flat();
    }
    static _make(status, statusText, flat, source, url, redirected, webSocket) {
      const r = new Response(null);
      r.#webSocket = webSocket || null;
      r.#status = status;
      r.#statusText = statusText;
      r.#headers = Headers._fromFlat(flat);
      r.#url = url || "";
      r.#redirected = !!redirected;
      r._setSource(source);
      return r;
    }
    static _from(res) {
      const r = new Response(null, { status: 200 });
      r.#status = res.status;
      r.#statusText = res.statusText;
      r.#headers = new Headers(res.headers);
      r.#url = res.url;
      r.#redirected = res.redirected;
      r.#type = "basic";
      r.#webSocket = res.webSocket || null;
      r._setSource(res.body);
      return r;
    }
    static json(data, init = undefined) {
      const text = JSON.stringify(data);
      if (text === undefined) throw new TypeError("Response.json: the value cannot be serialized as JSON");
      if (init === null || init === undefined) {
        const r = new Response(text);
        r.#ctype = "application/json";
        return r;
      }
      const headers = new Headers(init.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(text, { ...init, headers });
    }
    static error() {
      const r = new Response(null, { status: 200 });
      r.#status = 0;
      r.#type = "error";
      return r;
    }
    static redirect(url, status = 302) {
      if (![301, 302, 303, 307, 308].includes(status)) throw new RangeError(`Invalid redirect status ${status}`);
      return new Response(null, { status, headers: { location: new URL(String(url)).href } });
    }
    get status() {
      return this.#status;
    }
    get statusText() {
      return this.#statusText;
    }
    get ok() {
      return this.#status >= 200 && this.#status < 300;
    }
    get headers() {
      if (this.#headers === null) {
        this.#headers = new Headers();
        if (this.#ctype !== null) this.#headers.set("content-type", this.#ctype);
      }
      return this.#headers;
    }
    get url() {
      return this.#url;
    }
    get redirected() {
      return this.#redirected;
    }
    get type() {
      return this.#type;
    }
    get webSocket() {
      return this.#webSocket;
    }
    clone() {
      if (this.bodyUsed) throw new TypeError("Response.clone: body has already been read");
      const r = new Response(null, { status: 200 });
      r.#status = this.#status;
      r.#statusText = this.#statusText;
      r.#headers = new Headers(this.headers);
      r.#url = this.#url;
      r.#redirected = this.#redirected;
      r.#type = this.#type;
      r._setSource(this._cloneSource());
      return r;
    }
    get [Symbol.toStringTag]() {
      return "Response";
    }
  }

  const abortError = (signal) =>
    signal.reason !== undefined ? signal.reason : new DOMException("This operation was aborted", "AbortError");

  function fetch(input, init) {
    let req;
    try {
      req = new Request(input, init);
    } catch (e) {
      return Promise.reject(e);
    }
    const signal = init && init.signal !== undefined ? init.signal : input instanceof Request ? input.signal : null;
    if (signal && signal.aborted) return Promise.reject(abortError(signal));
    const src = req._take();
    const body = src === null ? Promise.resolve(null) : isStream(src) ? readAll(src) : Promise.resolve(typeof src === "string" ? native.encode(src) : src);
    const sent = body
      .then((bytes) => native.fetch(req.method, req.url, [...req.headers], bytes, req.redirect))
      .then((res) => Response._from(res));
    if (!signal) return sent;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(abortError(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      sent.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  }

  const internals = {
    // incomingRequest makes the Request a server received: flat is
    // [name, value, …] with lower-case names, body null, a string, a
    // Uint8Array or a ReadableStream.
    incomingRequest: (method, url, flat, body, cf) => Request._incoming(method, url, flat, body, cf),
    // newResponse makes a Response from parts (a response from Go or
    // another runtime), with the WebSocket of a 101 if any.
    newResponse: (status, statusText, flat, body, url, webSocket) => Response._make(status, statusText, flat, body, url, false, webSocket),
    // exportRequest hands a Request's parts over: [method, url, flat
    // headers, body, redirect]; the body counts as read.
    exportRequest: (req) => [req.method, req.url, req._flatHeaders(), req._take(), req.redirect],
    // exportResponse hands a Response's parts over: [status, statusText,
    // flat headers, body]; the body counts as read. It throws a TypeError
    // for a value that is not a Response.
    exportResponse: (res) => {
      if (!(res instanceof Response)) {
        throw new TypeError(`Incorrect type for the response: expected a Response, got ${res === null ? "null" : typeof res === "object" ? Object.prototype.toString.call(res) : typeof res}`);
      }
      return [res.status, res.statusText, res._flatHeaders(), res._take()];
    },
    isRequest: (v) => v instanceof Request,
    readAll,
  };

  return { Headers, Request, Response, fetch, internals };
});
