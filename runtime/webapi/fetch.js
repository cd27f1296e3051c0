// Headers, Request, Response and fetch. Evaluated once per runtime with the
// Go natives: fetch(method, url, headerPairs, body, redirect) resolving to
// { status, statusText, url, redirected, headers, body }, encode(string) and
// decode(bytes). Bodies are held in memory as Uint8Array.
(function (native) {
  "use strict";

  const normalizeName = (name) => {
    name = String(name);
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      throw new TypeError(`Invalid header name: "${name}"`);
    }
    return name.toLowerCase();
  };
  const normalizeValue = (value) => String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");

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

  // toBytes turns a body init into bytes and the content type it implies.
  const toBytes = (body) => {
    if (body == null) return [null, null];
    if (typeof body === "string") return [native.encode(body), "text/plain;charset=UTF-8"];
    if (body instanceof ArrayBuffer) return [new Uint8Array(body.slice(0)), null];
    if (ArrayBuffer.isView(body)) {
      return [new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)), null];
    }
    if (typeof URLSearchParams === "function" && body instanceof URLSearchParams) {
      return [native.encode(body.toString()), "application/x-www-form-urlencoded;charset=UTF-8"];
    }
    if (body instanceof Body) return [body._bytes(), body.headers.get("content-type")];
    throw new TypeError(`This runtime does not support ${Object.prototype.toString.call(body)} bodies yet`);
  };

  class Body {
    #bytes = null;
    #used = false;

    _init(body, headers) {
      const [bytes, type] = toBytes(body);
      this.#bytes = bytes;
      if (type !== null && !headers.has("content-type")) headers.set("content-type", type);
    }
    _bytes() {
      return this.#bytes;
    }
    get body() {
      return this.#bytes;
    }
    get bodyUsed() {
      return this.#used;
    }
    #consume() {
      if (this.#used) return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
      this.#used = true;
      return Promise.resolve(this.#bytes || new Uint8Array(0));
    }
    arrayBuffer() {
      return this.#consume().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    bytes() {
      return this.#consume().then((b) => new Uint8Array(b));
    }
    text() {
      return this.#consume().then((b) => native.decode(b));
    }
    json() {
      return this.text().then((t) => JSON.parse(t));
    }
  }

  const METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];

  class Request extends Body {
    #url;
    #method;
    #headers;
    #redirect;
    #signal;

    constructor(input, init = {}) {
      super();
      const source = input instanceof Request ? input : null;
      this.#url = source ? source.url : new URL(String(input)).href;
      let method = init.method !== undefined ? String(init.method) : source ? source.method : "GET";
      if (METHODS.includes(method.toUpperCase())) method = method.toUpperCase();
      this.#method = method;
      this.#headers = new Headers(init.headers !== undefined ? init.headers : source ? source.headers : undefined);
      this.#redirect = init.redirect || (source ? source.redirect : "follow");
      this.#signal = init.signal !== undefined ? init.signal : source ? source.signal : null;
      const body = init.body !== undefined ? init.body : source ? source._bytes() : null;
      if (body != null && (method === "GET" || method === "HEAD")) {
        throw new TypeError("Request with GET/HEAD method cannot have body.");
      }
      this._init(body, this.#headers);
    }
    get url() {
      return this.#url;
    }
    get method() {
      return this.#method;
    }
    get headers() {
      return this.#headers;
    }
    get redirect() {
      return this.#redirect;
    }
    get signal() {
      return this.#signal;
    }
    clone() {
      if (this.bodyUsed) throw new TypeError("Request.clone: body has already been read");
      return new Request(this);
    }
    get [Symbol.toStringTag]() {
      return "Request";
    }
  }

  class Response extends Body {
    #status;
    #statusText;
    #headers;
    #url = "";
    #redirected = false;
    #type = "default";

    constructor(body = null, init = {}) {
      super();
      const status = init.status !== undefined ? Number(init.status) : 200;
      if (!Number.isInteger(status) || status < 200 || status > 599) {
        throw new RangeError(`Response: status ${init.status} is not in the range 200 to 599`);
      }
      this.#status = status;
      this.#statusText = init.statusText !== undefined ? String(init.statusText) : "";
      this.#headers = new Headers(init.headers);
      if (body != null && [101, 204, 205, 304].includes(status)) {
        throw new TypeError(`Response with status ${status} cannot have a body`);
      }
      this._init(body, this.#headers);
    }
    static _from(res) {
      const r = new Response(null, { status: 200 });
      r.#status = res.status;
      r.#statusText = res.statusText;
      r.#headers = new Headers(res.headers);
      r.#url = res.url;
      r.#redirected = res.redirected;
      r.#type = "basic";
      r._init(res.body, r.#headers);
      return r;
    }
    static json(data, init = {}) {
      const headers = new Headers(init.headers);
      if (!headers.has("content-type")) headers.set("content-type", "application/json");
      return new Response(JSON.stringify(data), { ...init, headers });
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
    clone() {
      if (this.bodyUsed) throw new TypeError("Response.clone: body has already been read");
      const r = new Response(this._bytes(), { status: 200, headers: this.#headers });
      r.#status = this.#status;
      r.#statusText = this.#statusText;
      r.#url = this.#url;
      r.#redirected = this.#redirected;
      r.#type = this.#type;
      return r;
    }
    get [Symbol.toStringTag]() {
      return "Response";
    }
  }

  function fetch(input, init) {
    let req;
    try {
      req = new Request(input, init);
    } catch (e) {
      return Promise.reject(e);
    }
    if (req.signal && req.signal.aborted) {
      return Promise.reject(req.signal.reason !== undefined ? req.signal.reason : new Error("This operation was aborted"));
    }
    const pairs = [...req.headers];
    return native
      .fetch(req.method, req.url, pairs, req._bytes(), req.redirect)
      .then((res) => Response._from(res));
  }

  return { Headers, Request, Response, fetch };
});
