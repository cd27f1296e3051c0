// The JS half of a Worker isolate: the cloudflare:workers classes, the
// binding objects over the Go natives, and the dispatch of events (HTTP
// requests, scheduled events, queue batches, Durable Object and service
// calls) to the Worker's handlers. Evaluated once per isolate with
//
//   native     the Go functions of the isolate (isolate.go, bindings.go,
//              durable.go); native.done(id, value, error) finishes a call
//   internals  the fetch classes' fast paths (webapi.FetchInternals)
//   sockets    the WebSocket glue (websocket.js)
//
// and returns the dispatch functions Go calls.
(function (native, internals, sockets) {
  "use strict";

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  const isStream = (v) => v instanceof ReadableStream;
  const toU8 = (v, what) => {
    if (typeof v === "string") return encoder.encode(v);
    if (v instanceof Uint8Array) return v;
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
    if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    throw new TypeError(`${what} must be a string, an ArrayBuffer, an ArrayBuffer view or a ReadableStream`);
  };
  const bytesStream = (bytes) =>
    new ReadableStream({
      type: "bytes",
      start(c) {
        if (bytes.byteLength) c.enqueue(new Uint8Array(bytes));
        c.close();
      },
    });
  // bodyBytes reads a body value (string, bytes, stream, Blob, null) fully.
  const bodyBytes = async (v, what) => {
    if (v === null || v === undefined) return null;
    if (isStream(v)) return internals.readAll(v);
    if (v instanceof Blob) return new Uint8Array(await v.arrayBuffer());
    return toU8(v, what);
  };
  // settle calls fn and reports its outcome (value or thrown error) to the
  // call id; a promise is awaited first.
  const settle = (id, fn) => {
    let r;
    try {
      r = fn();
    } catch (e) {
      native.done(id, undefined, e);
      return;
    }
    if (r !== null && typeof r === "object" && typeof r.then === "function") {
      r.then(
        (v) => native.done(id, v),
        (e) => native.done(id, undefined, e === undefined ? new Error("rejected with undefined") : e),
      );
    } else {
      native.done(id, r);
    }
  };

  // ---- fetch

  // Every outgoing fetch() names the call it was made for (a header the
  // isolate's transport reads and removes): a fetch that reaches a Worker
  // counts as one more invocation of the call's request chain, and it is
  // cancelled when the call's request is abandoned.
  const globalFetch = globalThis.fetch;
  globalThis.fetch = function fetch(input, init) {
    let req;
    try {
      req = new Request(input, init);
    } catch (e) {
      return Promise.reject(e);
    }
    req.headers.set(native.callHeader, native.callTag());
    return globalFetch(req);
  };

  // ---- cloudflare:workers

  class WorkerEntrypoint {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }
  class DurableObject {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }
  class WorkflowEntrypoint {
    constructor(ctx, env) {
      this.ctx = ctx;
      this.env = env;
    }
  }
  class RpcTarget {}

  class ExecutionContext {
    #props;
    constructor(props) {
      this.#props = props || {};
    }
    waitUntil(p) {
      Promise.resolve(p).catch((e) => native.report(e, "waitUntil"));
    }
    passThroughOnException() {}
    get props() {
      return this.#props;
    }
  }

  // ---- bindings

  const validKey = (key) => {
    key = String(key);
    if (key === "") throw new TypeError("Key names must not be empty.");
    if (key === "." || key === "..") throw new TypeError(`Illegal key name "${key}". Please use a different name.`);
    // A UTF-16 unit is at most 3 UTF-8 bytes: only long keys need counting.
    if (key.length > 170 && encoder.encode(key).length > 512) throw new TypeError("Key names must be 512 bytes or less.");
    return key;
  };
  const kvType = (opts) => {
    if (opts === undefined) return "text";
    const type = typeof opts === "string" ? opts : opts && opts.type ? opts.type : "text";
    if (!["text", "json", "arrayBuffer", "stream"].includes(type)) {
      throw new TypeError(`Unknown response type. Possible types are "text", "arrayBuffer", "json", and "stream".`);
    }
    return type;
  };
  const kvValue = (v, type) => {
    switch (type) {
      case "json":
        return JSON.parse(v);
      case "arrayBuffer":
        return v;
      case "stream":
        return bytesStream(new Uint8Array(v));
    }
    return v;
  };

  class KVNamespace {
    #ns;
    constructor(ns) {
      this.#ns = ns;
    }
    #getOne(key, opts, withMetadata) {
      let type;
      try {
        type = kvType(opts);
        key = validKey(key);
      } catch (e) {
        return Promise.reject(e);
      }
      return native.kvGet(this.#ns, key, type).then((r) => {
        if (!withMetadata) return r === null ? null : kvValue(r[0], type);
        if (r === null) return { value: null, metadata: null, cacheStatus: null };
        return { value: kvValue(r[0], type), metadata: r[1] === null ? null : JSON.parse(r[1]), cacheStatus: null };
      });
    }
    async #getMany(keys, opts, withMetadata) {
      const type = kvType(opts);
      if (type !== "text" && type !== "json") throw new TypeError(`"${type}" is not a valid type. Use "json" or "text"`);
      const out = new Map();
      for (const k of keys) out.set(k, await this.#getOne(k, type, withMetadata));
      return out;
    }
    get(key, opts) {
      return Array.isArray(key) ? this.#getMany(key, opts, false) : this.#getOne(key, opts, false);
    }
    getWithMetadata(key, opts) {
      return Array.isArray(key) ? this.#getMany(key, opts, true) : this.#getOne(key, opts, true);
    }
    async put(key, value, opts = {}) {
      key = validKey(key);
      opts = opts || {};
      const bytes = await bodyBytes(value, "KV put() value");
      if (bytes === null) throw new TypeError("KV put() value must not be null or undefined");
      let expiration = 0;
      if (opts.expiration !== undefined) expiration = Number(opts.expiration);
      else if (opts.expirationTtl !== undefined) {
        const ttl = Number(opts.expirationTtl);
        if (!(ttl >= 60)) throw new TypeError(`Invalid expiration_ttl of ${opts.expirationTtl}. Expiration TTL must be at least 60.`);
        expiration = Math.floor(Date.now() / 1000) + ttl;
      }
      if (expiration && !(expiration > Date.now() / 1000)) {
        throw new TypeError(`Invalid expiration of ${opts.expiration}. Please specify integer greater than the current number of seconds since the UNIX epoch.`);
      }
      let metadata;
      if (opts.metadata !== undefined && opts.metadata !== null) {
        metadata = JSON.stringify(opts.metadata);
        if (encoder.encode(metadata).length > 1024) throw new TypeError("Metadata length must be 1024 bytes or less.");
      }
      await native.kvPut(this.#ns, key, bytes, Math.floor(expiration), metadata);
    }
    async delete(key) {
      await native.kvDelete(this.#ns, validKey(key));
    }
    async list(opts = {}) {
      opts = opts || {};
      const limit = opts.limit === undefined ? 1000 : Number(opts.limit);
      if (!(limit >= 1 && limit <= 1000)) throw new TypeError("Invalid key_count_limit: the limit must be between 1 and 1000");
      const r = await native.kvList(this.#ns, opts.prefix == null ? "" : String(opts.prefix), opts.cursor || "", limit);
      const keys = r.keys.map((k) => {
        const out = { name: k.name };
        if (k.expiration) out.expiration = k.expiration;
        if (k.metadata !== null) out.metadata = JSON.parse(k.metadata);
        return out;
      });
      const res = { keys, list_complete: r.cursor === "", cacheStatus: null };
      if (r.cursor !== "") res.cursor = r.cursor;
      return res;
    }
  }

  const HTTP_FIELDS = [
    ["content-type", "contentType"],
    ["content-language", "contentLanguage"],
    ["content-disposition", "contentDisposition"],
    ["content-encoding", "contentEncoding"],
    ["cache-control", "cacheControl"],
  ];
  const httpMetadataOf = (v) => {
    if (v == null) return {};
    const out = {};
    if (v instanceof Headers) {
      for (const [h, f] of HTTP_FIELDS) if (v.has(h)) out[f] = v.get(h);
      if (v.has("expires")) out.cacheExpiry = new Date(v.get("expires")).toISOString();
      return out;
    }
    for (const [, f] of HTTP_FIELDS) if (v[f] !== undefined) out[f] = String(v[f]);
    if (v.cacheExpiry !== undefined) out.cacheExpiry = new Date(v.cacheExpiry).toISOString();
    return out;
  };

  class R2Object {
    constructor(info) {
      this.key = info.key;
      this.version = info.version;
      this.size = info.size;
      this.etag = info.etag;
      this.httpEtag = `"${info.etag}"`;
      this.uploaded = new Date(info.uploaded);
      const md = { ...info.httpMetadata };
      if (md.cacheExpiry) md.cacheExpiry = new Date(md.cacheExpiry);
      this.httpMetadata = md;
      this.customMetadata = { ...info.customMetadata };
      this.checksums = { md5: hexBytes(info.etag).buffer, toJSON: () => ({ md5: info.etag }) };
      this.storageClass = "Standard";
      this.range = info.range;
    }
    writeHttpMetadata(headers) {
      for (const [h, f] of HTTP_FIELDS) if (this.httpMetadata[f] !== undefined) headers.set(h, this.httpMetadata[f]);
      if (this.httpMetadata.cacheExpiry) headers.set("expires", this.httpMetadata.cacheExpiry.toUTCString());
    }
  }
  const hexBytes = (hex) => {
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
    return out;
  };

  class R2ObjectBody extends R2Object {
    #bytes;
    #body = null;
    #used = false;
    constructor(info, bytes) {
      super(info);
      this.#bytes = new Uint8Array(bytes);
    }
    get body() {
      if (this.#body === null) this.#body = bytesStream(this.#bytes);
      return this.#body;
    }
    get bodyUsed() {
      return this.#used || (this.#body !== null && this.#body._disturbed);
    }
    #take() {
      if (this.bodyUsed) return Promise.reject(new TypeError("Body has already been used. It can only be used once."));
      this.#used = true;
      return Promise.resolve(this.#bytes);
    }
    arrayBuffer() {
      return this.#take().then((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
    bytes() {
      return this.#take().then((b) => new Uint8Array(b));
    }
    text() {
      return this.#take().then((b) => decoder.decode(b));
    }
    json() {
      return this.text().then((t) => JSON.parse(t));
    }
    blob() {
      return this.#take().then((b) => new Blob([b], { type: this.httpMetadata.contentType || "" }));
    }
  }

  const r2Key = (key) => {
    key = String(key);
    if (key === "" || encoder.encode(key).length > 1024) throw new TypeError("r2 key must be 1 to 1024 bytes");
    return key;
  };

  class R2Bucket {
    #bucket;
    constructor(bucket) {
      this.#bucket = bucket;
    }
    async head(key) {
      const info = await native.r2Head(this.#bucket, r2Key(key));
      return info === null ? null : new R2Object(info);
    }
    async get(key, opts = {}) {
      opts = opts || {};
      let range;
      if (opts.range instanceof Headers) opts = { ...opts, range: undefined };
      if (opts.range) {
        const r = opts.range;
        range = { offset: r.offset === undefined ? -1 : Number(r.offset), length: r.length === undefined ? -1 : Number(r.length), suffix: r.suffix === undefined ? -1 : Number(r.suffix) };
      }
      const r = await native.r2Get(this.#bucket, r2Key(key), range);
      if (r === null) return null;
      const [info, bytes] = r;
      if (opts.onlyIf && !r2Matches(info, opts.onlyIf)) return new R2Object(info);
      return new R2ObjectBody(info, bytes);
    }
    async put(key, value, opts = {}) {
      key = r2Key(key);
      opts = opts || {};
      const bytes = (await bodyBytes(value, "R2 put() value")) || new Uint8Array(0);
      if (opts.onlyIf) {
        const cur = await native.r2Head(this.#bucket, key);
        if (cur !== null && !r2Matches(cur, opts.onlyIf)) return null;
      }
      const custom = {};
      if (opts.customMetadata) for (const k of Object.keys(opts.customMetadata)) custom[k] = String(opts.customMetadata[k]);
      const info = await native.r2Put(this.#bucket, key, bytes, JSON.stringify(httpMetadataOf(opts.httpMetadata)), JSON.stringify(custom));
      if (opts.md5 !== undefined) {
        const want = typeof opts.md5 === "string" ? opts.md5 : Array.from(toU8(opts.md5), (b) => b.toString(16).padStart(2, "0")).join("");
        if (want.toLowerCase() !== info.etag) throw new Error("put: The Content-MD5 you specified did not match what we received. (10037)");
      }
      return new R2Object(info);
    }
    async delete(keys) {
      const list = Array.isArray(keys) ? keys.map(r2Key) : [r2Key(keys)];
      await native.r2Delete(this.#bucket, list);
    }
    async list(opts = {}) {
      opts = opts || {};
      const r = await native.r2List(this.#bucket, {
        prefix: opts.prefix == null ? "" : String(opts.prefix),
        delimiter: opts.delimiter == null ? "" : String(opts.delimiter),
        cursor: opts.cursor == null ? "" : String(opts.cursor),
        startAfter: opts.startAfter == null ? "" : String(opts.startAfter),
        limit: opts.limit === undefined ? 1000 : Number(opts.limit),
      });
      const include = opts.include || [];
      const objects = r.objects.map((info) => {
        const o = new R2Object(info);
        if (!include.includes("httpMetadata")) o.httpMetadata = {};
        if (!include.includes("customMetadata")) o.customMetadata = {};
        return o;
      });
      const out = { objects, truncated: r.truncated, delimitedPrefixes: r.delimitedPrefixes };
      if (r.truncated) out.cursor = r.cursor;
      return out;
    }
    createMultipartUpload() {
      return Promise.reject(new Error("R2 multipart uploads are not supported by the local Worker runtime"));
    }
    resumeMultipartUpload() {
      throw new Error("R2 multipart uploads are not supported by the local Worker runtime");
    }
  }
  const r2Matches = (info, cond) => {
    if (cond instanceof Headers) {
      const h = cond;
      cond = {};
      if (h.has("if-match")) cond.etagMatches = h.get("if-match");
      if (h.has("if-none-match")) cond.etagDoesNotMatch = h.get("if-none-match");
      if (h.has("if-modified-since")) cond.uploadedAfter = new Date(h.get("if-modified-since"));
      if (h.has("if-unmodified-since")) cond.uploadedBefore = new Date(h.get("if-unmodified-since"));
    }
    const etags = (v) => String(v).split(",").map((s) => s.trim().replace(/^W\//, "").replace(/^"|"$/g, ""));
    const uploaded = new Date(info.uploaded).getTime();
    if (cond.etagMatches !== undefined && !etags(cond.etagMatches).some((e) => e === "*" || e === info.etag)) return false;
    if (cond.etagDoesNotMatch !== undefined && etags(cond.etagDoesNotMatch).some((e) => e === "*" || e === info.etag)) return false;
    if (cond.uploadedBefore !== undefined && !(uploaded < new Date(cond.uploadedBefore).getTime())) return false;
    if (cond.uploadedAfter !== undefined && !(uploaded > new Date(cond.uploadedAfter).getTime())) return false;
    return true;
  };

  const d1Value = (v) => {
    if (v === undefined) throw new TypeError("D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'");
    if (typeof v === "boolean") return v ? 1 : 0;
    if (typeof v === "bigint") return Number(v);
    if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return toU8(v);
    if (v !== null && typeof v === "object") throw new TypeError(`D1_TYPE_ERROR: Type 'object' not supported for value '${v}'`);
    return v;
  };
  const d1Meta = (m) => ({
    served_by: "local",
    served_by_region: "LOCAL",
    served_by_primary: true,
    duration: m.duration,
    changes: m.changes,
    last_row_id: m.last_row_id,
    changed_db: m.changed_db,
    size_after: m.size_after,
    rows_read: m.rows_read,
    rows_written: m.rows_written,
    timings: { sql_duration_ms: m.duration },
  });
  const d1Rows = (r) =>
    r.rows.map((row) => {
      const o = {};
      r.columns.forEach((c, i) => (o[c] = row[i]));
      return o;
    });

  class D1PreparedStatement {
    #db;
    #sql;
    #params;
    constructor(db, sql, params) {
      this.#db = db;
      this.#sql = sql;
      this.#params = params;
    }
    bind(...values) {
      return new D1PreparedStatement(this.#db, this.#sql, values.map(d1Value));
    }
    _parts() {
      return [this.#sql, this.#params];
    }
    async #run() {
      const results = await native.d1(this.#db, [[this.#sql, this.#params]]);
      return results[results.length - 1];
    }
    async first(column) {
      const r = await this.#run();
      const rows = d1Rows(r);
      if (rows.length === 0) return null;
      if (column === undefined) return rows[0];
      if (!r.columns.includes(column)) throw new Error(`D1_COLUMN_NOTFOUND: Column not found (${column})`);
      return rows[0][column];
    }
    async all() {
      const r = await this.#run();
      return { results: d1Rows(r), success: true, meta: d1Meta(r.meta) };
    }
    run() {
      return this.all();
    }
    async raw(opts = {}) {
      const r = await this.#run();
      const rows = r.rows.map((row) => row.slice());
      if (opts && opts.columnNames) rows.unshift(r.columns.slice());
      return rows;
    }
  }

  class D1Database {
    #db;
    constructor(db) {
      this.#db = db;
    }
    prepare(sql) {
      return new D1PreparedStatement(this.#db, String(sql), []);
    }
    async batch(statements) {
      if (!Array.isArray(statements)) throw new TypeError("batch() needs an array of prepared statements");
      const parts = statements.map((s) => {
        if (!(s instanceof D1PreparedStatement)) throw new TypeError("batch() needs an array of prepared statements");
        return s._parts();
      });
      if (parts.length === 0) return [];
      const results = await native.d1(this.#db, parts);
      return results.map((r) => ({ results: d1Rows(r), success: true, meta: d1Meta(r.meta) }));
    }
    async exec(sql) {
      const results = await native.d1(this.#db, [[String(sql), []]]);
      return { count: results.length, duration: results.reduce((n, r) => n + r.meta.duration, 0) };
    }
    withSession() {
      const db = this;
      return { prepare: (sql) => db.prepare(sql), batch: (s) => db.batch(s), getBookmark: () => null };
    }
    dump() {
      return Promise.reject(new Error("D1 dump() is not supported by the local Worker runtime"));
    }
  }

  class Queue {
    #queue;
    constructor(queue) {
      this.#queue = queue;
    }
    #message(body, contentType, delaySeconds) {
      const ct = contentType === undefined ? "v8" : String(contentType);
      let value;
      switch (ct) {
        case "json":
          value = JSON.stringify(body);
          if (value === undefined) throw new TypeError("Queue send: the body cannot be serialized as JSON");
          break;
        case "text":
          if (typeof body !== "string") throw new TypeError('Queue send: a "text" message body must be a string');
          value = body;
          break;
        case "bytes":
          value = new Uint8Array(toU8(body, 'Queue send: a "bytes" message body'));
          break;
        case "v8":
          value = body;
          break;
        default:
          throw new TypeError(`Unknown queue message content type "${ct}"`);
      }
      return [value, ct, delaySeconds === undefined ? -1 : Number(delaySeconds)];
    }
    async send(body, opts = {}) {
      opts = opts || {};
      await native.queueSend(this.#queue, [this.#message(body, opts.contentType, opts.delaySeconds)]);
    }
    async sendBatch(messages, opts = {}) {
      opts = opts || {};
      const list = [];
      for (const m of messages) list.push(this.#message(m.body, m.contentType, m.delaySeconds !== undefined ? m.delaySeconds : opts.delaySeconds));
      if (list.length > 100) throw new TypeError("sendBatch: at most 100 messages per batch");
      await native.queueSend(this.#queue, list);
    }
  }

  // An RPC stub: its own properties, and a function calling the remote
  // method for any other name.
  const makeStub = (base, rpc) =>
    new Proxy(base, {
      get(target, prop) {
        if (typeof prop === "symbol" || prop in target) {
          const v = Reflect.get(target, prop);
          return typeof v === "function" ? v.bind(target) : v;
        }
        if (prop === "then" || prop === "toJSON") return undefined;
        return (...args) => rpc(prop, args);
      },
    });

  // A request leaving this isolate: [method, url, flat headers, body bytes].
  const outgoing = async (input, init) => {
    const req = input instanceof Request && init === undefined ? input : new Request(input, init);
    const [method, url, flat, body] = internals.exportRequest(req);
    return [method, url, flat, await bodyBytes(body)];
  };
  // incomingResponse makes the Response of another isolate's parts; one
  // with a WebSocket carries the socket's ticket as its last header.
  const incomingResponse = (parts) => {
    const flat = parts[2];
    let ws = null;
    if (flat.length >= 2 && flat[flat.length - 2] === ":websocket") {
      ws = sockets.claim(flat[flat.length - 1]);
      flat.length -= 2;
    }
    return internals.newResponse(parts[0], parts[1], flat, parts[3], "", ws);
  };

  class Fetcher {
    #h;
    constructor(h) {
      this.#h = h;
    }
    async fetch(input, init) {
      return incomingResponse(await native.svcFetch(this.#h, await outgoing(input, init)));
    }
    connect() {
      throw new Error("Service binding connect() is not supported by the local Worker runtime");
    }
  }
  const serviceBinding = (h) => makeStub(new Fetcher(h), (method, args) => native.svcRPC(h, method, args));

  class DurableObjectId {
    #hex;
    #name;
    constructor(hex, name) {
      this.#hex = hex;
      this.#name = name;
    }
    get name() {
      return this.#name;
    }
    toString() {
      return this.#hex;
    }
    toJSON() {
      return this.#hex;
    }
    equals(other) {
      return other instanceof DurableObjectId && other.#hex === this.#hex;
    }
  }

  class DurableObjectStub {
    #h;
    #id;
    constructor(h, id) {
      this.#h = h;
      this.#id = id;
    }
    get id() {
      return this.#id;
    }
    get name() {
      return this.#id.name;
    }
    async fetch(input, init) {
      return incomingResponse(await native.doFetch(this.#h, this.#id.toString(), this.#id.name, await outgoing(input, init)));
    }
    connect() {
      throw new Error("Durable Object connect() is not supported by the local Worker runtime");
    }
  }

  class DurableObjectNamespace {
    #h;
    constructor(h) {
      this.#h = h;
    }
    idFromName(name) {
      name = String(name);
      return new DurableObjectId(native.doID(this.#h, "name", name), name);
    }
    newUniqueId() {
      return new DurableObjectId(native.doID(this.#h, "unique", ""), undefined);
    }
    idFromString(hex) {
      return new DurableObjectId(native.doID(this.#h, "string", String(hex)), undefined);
    }
    get(id) {
      if (!(id instanceof DurableObjectId)) throw new TypeError("get() needs a DurableObjectId");
      const h = this.#h;
      return makeStub(new DurableObjectStub(h, id), (method, args) => native.doRPC(h, id.toString(), id.name, method, args));
    }
    getByName(name) {
      return this.get(this.idFromName(name));
    }
    jurisdiction() {
      return this;
    }
  }

  class Unsupported {
    constructor(name, type) {
      return new Proxy(this, {
        get(target, prop) {
          if (typeof prop === "symbol" || prop === "then" || prop === "toJSON") return undefined;
          return () => {
            throw new Error(`Binding ${name} (${type}) is not supported by the local Worker runtime`);
          };
        },
      });
    }
  }

  // ---- Workflows

  class NonRetryableError extends Error {
    constructor(message, name = "NonRetryableError") {
      super(message);
      this.name = name;
    }
  }

  class WorkflowInstance {
    #h;
    constructor(h, id) {
      this.#h = h;
      this.id = id;
    }
    async pause() {
      await native.wfControl(this.#h, this.id, "pause");
    }
    async resume() {
      await native.wfControl(this.#h, this.id, "resume");
    }
    async terminate() {
      await native.wfControl(this.#h, this.id, "terminate");
    }
    async restart() {
      await native.wfControl(this.#h, this.id, "restart");
    }
    async status() {
      return native.wfStatus(this.#h, this.id);
    }
    async sendEvent(event) {
      if (event === null || typeof event !== "object" || typeof event.type !== "string" || event.type === "") {
        throw new TypeError("sendEvent() needs an event { type, payload } whose type is a non-empty string");
      }
      await native.wfSendEvent(this.#h, this.id, event.type, event.payload);
    }
  }

  class Workflow {
    #h;
    constructor(h) {
      this.#h = h;
    }
    async get(id) {
      return new WorkflowInstance(this.#h, await native.wfGet(this.#h, String(id)));
    }
    async create(options) {
      return (await this.#create([options]))[0];
    }
    async createBatch(batch) {
      if (!Array.isArray(batch) || batch.length === 0) throw new TypeError("WorkflowError: batchCreate should have at least 1 instance");
      if (batch.length > 100) throw new TypeError("WorkflowError: batchCreate takes at most 100 instances");
      return this.#create(batch);
    }
    async #create(list) {
      const items = list.map((o) => {
        o = o || {};
        const params = o.params === undefined ? {} : o.params;
        let json;
        try {
          json = JSON.stringify(params);
        } catch {}
        return [o.id === undefined ? undefined : String(o.id), params, json === undefined ? "null" : json];
      });
      const ids = await native.wfCreate(this.#h, items);
      return ids.map((id) => new WorkflowInstance(this.#h, id));
    }
  }

  // durationMs reads a Workflow duration: milliseconds, or "<n> <unit>".
  const DURATION_UNITS = {
    ms: 1, millisecond: 1, milliseconds: 1,
    s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
    m: 60000, min: 60000, mins: 60000, minute: 60000, minutes: 60000,
    h: 3600000, hr: 3600000, hrs: 3600000, hour: 3600000, hours: 3600000,
    d: 86400000, day: 86400000, days: 86400000,
    w: 604800000, week: 604800000, weeks: 604800000,
    month: 2592000000, months: 2592000000,
    y: 31536000000, year: 31536000000, years: 31536000000,
  };
  const durationMs = (d, what) => {
    if (typeof d === "number") {
      if (!(d >= 0) || !Number.isFinite(d)) throw new TypeError(`${what}: a duration must be a non-negative number of milliseconds`);
      return d;
    }
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]+)\s*$/.exec(String(d));
    const unit = m && DURATION_UNITS[m[2].toLowerCase()];
    if (!unit) throw new TypeError(`${what}: "${d}" is not a duration such as "10 seconds" or a number of milliseconds`);
    return Number(m[1]) * unit;
  };
  const stepName = (name) => {
    if (typeof name !== "string") throw new TypeError("A step name must be a string");
    if (name.length > 256 || /[\x00-\x1F]/.test(name)) {
      throw new TypeError(`Step name "${name}" exceeds max length (256 chars) or invalid characters found`);
    }
    return name;
  };
  const stepConfig = (cfg) => {
    cfg = cfg || {};
    const r = cfg.retries || {};
    const out = {
      limit: r.limit === undefined ? 5 : Number(r.limit),
      delay: durationMs(r.delay === undefined ? 10000 : r.delay, "retries.delay"),
      backoff: r.backoff === undefined ? "exponential" : r.backoff,
      timeout: durationMs(cfg.timeout === undefined ? "10 minutes" : cfg.timeout, "timeout"),
    };
    if (!(out.limit >= 0)) throw new TypeError("retries.limit must be a non-negative number");
    if (!["constant", "linear", "exponential"].includes(out.backoff)) throw new TypeError(`Unknown retries.backoff "${out.backoff}": use "constant", "linear" or "exponential"`);
    if (out.timeout === 0) throw new TypeError("timeout must be more than 0");
    return out;
  };
  const retryDelay = (cfg, attempts) => {
    switch (cfg.backoff) {
      case "exponential":
        return cfg.delay * Math.pow(2, attempts - 1);
      case "linear":
        return cfg.delay * attempts;
    }
    return cfg.delay;
  };
  const errorJSON = (e) => {
    const isObj = e !== null && typeof e === "object";
    return JSON.stringify({ name: isObj && e.name ? String(e.name) : "Error", message: isObj && e.message !== undefined ? String(e.message) : String(e) });
  };
  const storedError = (e) => {
    const err = new Error(e.message);
    err.name = e.name;
    return err;
  };
  const namedError = (name, message) => {
    const err = new Error(message);
    err.name = name;
    return err;
  };
  const never = () => new Promise(() => {});

  // WorkflowStep is the step argument of run(). run is the state of one
  // run of an instance (see workflowRun); a run that stops leaves its
  // promises pending for good.
  class WorkflowStep {
    #run;
    constructor(run) {
      this.#run = run;
    }
    #key(kind, name) {
      const k = kind + "\n" + name;
      const n = (this.#run.counters.get(k) || 0) + 1;
      this.#run.counters.set(k, n);
      return k + "\n" + n;
    }
    async do(name, a, b) {
      const R = this.#run;
      const [cfg, fn] = b === undefined ? [{}, a] : [a, b];
      name = stepName(name);
      if (typeof fn !== "function") throw new TypeError("step.do() needs a callback");
      const config = stepConfig(cfg);
      const key = this.#key("do", name);
      if (R.done) return never();
      const st = await native.wfStep(R.run, key);
      if (R.done) return never();
      if (st !== null && st.halt) return R.halt();
      if (st !== null && st.state === "done") return st.value;
      if (st !== null && st.state === "failed") throw storedError(st.error);
      if (st !== null && st.state === "retry" && st.wakeAt > Date.now()) return R.suspend("running", st.wakeAt, "");
      let attempts = st === null ? 0 : st.attempts;
      R.active++;
      try {
        let result, failure, failed = false;
        let timer;
        try {
          result = await Promise.race([
            Promise.resolve().then(fn),
            new Promise((_, reject) => {
              timer = setTimeout(() => reject(namedError("WorkflowTimeoutError", `Execution timed out after ${config.timeout}ms`)), config.timeout);
            }),
          ]);
        } catch (e) {
          failed = true;
          failure = e;
        } finally {
          clearTimeout(timer);
        }
        if (R.done) return never();
        attempts++;
        if (!failed) {
          let ok;
          try {
            ok = await native.wfPutStep(R.run, key, "done", result, "", attempts, 0);
          } catch (e) {
            R.fail(namedError("WorkflowFatalError", `The execution of the Workflow instance was terminated, as the step "${name}" returned a value which is not serialisable`));
            return never();
          }
          if (!ok) return R.halt();
          return result;
        }
        const isError = failure !== null && typeof failure === "object";
        const fatal = isError && (failure.name === "NonRetryableError" || String(failure.message).startsWith("NonRetryableError"));
        if (fatal || attempts > config.limit) {
          if (!(await native.wfPutStep(R.run, key, "failed", undefined, errorJSON(failure), attempts, 0))) return R.halt();
          throw failure;
        }
        const wakeAt = Date.now() + retryDelay(config, attempts);
        if (!(await native.wfPutStep(R.run, key, "retry", undefined, errorJSON(failure), attempts, wakeAt))) return R.halt();
        return R.suspend("running", wakeAt, "");
      } finally {
        R.active--;
        R.check();
      }
    }
    async #sleep(name, wakeAtIfNew) {
      const R = this.#run;
      const key = this.#key("sleep", name);
      if (R.done) return never();
      const st = await native.wfStep(R.run, key);
      if (R.done) return never();
      if (st !== null && st.halt) return R.halt();
      let wakeAt;
      if (st !== null) wakeAt = st.wakeAt;
      else {
        wakeAt = wakeAtIfNew();
        if (!(await native.wfPutStep(R.run, key, "sleep", undefined, "", 0, wakeAt))) return R.halt();
      }
      if (wakeAt <= Date.now()) return;
      return R.suspend("waiting", wakeAt, "");
    }
    sleep(name, duration) {
      try {
        name = stepName(name);
        const ms = durationMs(duration, "step.sleep()");
        return this.#sleep(name, () => Date.now() + ms);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    sleepUntil(name, timestamp) {
      try {
        name = stepName(name);
        const t = timestamp instanceof Date ? timestamp.getTime() : Number(timestamp);
        if (!Number.isFinite(t)) throw new TypeError("step.sleepUntil() needs a Date or a number of milliseconds since the epoch");
        return this.#sleep(name, () => t);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    async waitForEvent(name, options) {
      const R = this.#run;
      name = stepName(name);
      if (options === null || typeof options !== "object" || typeof options.type !== "string" || options.type === "") {
        throw new TypeError("step.waitForEvent() needs options { type, timeout? } whose type is a non-empty string");
      }
      const ms = durationMs(options.timeout === undefined ? "24 hours" : options.timeout, "waitForEvent timeout");
      const key = this.#key("wait", name);
      if (R.done) return never();
      let st = await native.wfStep(R.run, key);
      if (R.done) return never();
      if (st !== null && st.halt) return R.halt();
      if (st === null || st.state === "wait") {
        st = await native.wfWait(R.run, key, options.type, st === null ? Date.now() + ms : st.wakeAt);
        if (R.done) return never();
        if (st === null) return R.halt();
      }
      if (st.state === "done") return { payload: st.value, timestamp: new Date(st.eventTime), type: st.eventType };
      if (st.state === "failed") throw storedError(st.error);
      if (st.wakeAt > Date.now()) return R.suspend("waiting", st.wakeAt, options.type);
      const err = namedError("WorkflowTimeoutError", `Execution timed out after ${ms}ms`);
      if (!(await native.wfPutStep(R.run, key, "failed", undefined, errorJSON(err), 0, 0))) return R.halt();
      throw err;
    }
  }

  // makeEnv builds the env object from the binding descriptions Go made.
  const makeEnv = (descs) => {
    const env = {};
    for (const d of descs) {
      let v;
      switch (d.kind) {
        case "text":
          v = d.value;
          break;
        case "json":
          v = JSON.parse(d.value);
          break;
        case "kv":
          v = new KVNamespace(d.ref);
          break;
        case "r2":
          v = new R2Bucket(d.ref);
          break;
        case "d1":
          v = new D1Database(d.ref);
          break;
        case "queue":
          v = new Queue(d.ref);
          break;
        case "do":
          v = new DurableObjectNamespace(d.ref);
          break;
        case "service":
          v = serviceBinding(d.ref);
          break;
        case "workflow":
          v = new Workflow(d.ref);
          break;
        case "assets":
          v = Object.freeze({
            fetch: async (input, init) => incomingResponse(await native.assetFetch(await outgoing(input, init))),
          });
          break;
        case "version":
          v = Object.freeze({ id: d.value.id, tag: d.value.tag, timestamp: d.value.timestamp });
          break;
        default:
          v = new Unsupported(d.name, d.type);
      }
      env[d.name] = v;
    }
    return env;
  };

  // ---- Durable Object state

  const storageValues = (keys) => {
    if (!Array.isArray(keys)) return null;
    if (keys.length > 128) throw new RangeError("Maximum number of keys is 128");
    return keys.map(String);
  };

  class SqlStorageCursor {
    #res;
    #i = 0;
    constructor(res) {
      this.#res = res;
    }
    get columnNames() {
      return this.#res.columns.slice();
    }
    get rowsRead() {
      return this.#res.rowsRead;
    }
    get rowsWritten() {
      return this.#res.rowsWritten;
    }
    #row(r) {
      const o = {};
      this.#res.columns.forEach((c, i) => (o[c] = r[i]));
      return o;
    }
    next() {
      if (this.#i >= this.#res.rows.length) return { done: true, value: undefined };
      return { done: false, value: this.#row(this.#res.rows[this.#i++]) };
    }
    toArray() {
      const out = [];
      for (let r = this.next(); !r.done; r = this.next()) out.push(r.value);
      return out;
    }
    one() {
      const rows = this.toArray();
      if (rows.length !== 1) throw new Error(`Expected exactly one result from SQL query, but got ${rows.length === 0 ? "no results" : "multiple results"}.`);
      return rows[0];
    }
    *raw() {
      while (this.#i < this.#res.rows.length) yield this.#res.rows[this.#i++].slice();
    }
    [Symbol.iterator]() {
      return this;
    }
  }

  class SqlStorage {
    #h;
    constructor(h) {
      this.#h = h;
    }
    exec(query, ...bindings) {
      return new SqlStorageCursor(native.sqlExec(this.#h, String(query), bindings.map(d1Value)));
    }
    get databaseSize() {
      return native.sqlSize(this.#h);
    }
  }

  class SyncKvStorage {
    #h;
    constructor(h) {
      this.#h = h;
    }
    get(key) {
      return native.sGet(this.#h, [String(key)])[0];
    }
    put(key, value) {
      native.sPut(this.#h, [[String(key), value]]);
    }
    delete(key) {
      return native.sDelete(this.#h, [String(key)]) > 0;
    }
    *list(opts = {}) {
      yield* native.sList(this.#h, opts || {});
    }
  }

  class DurableObjectStorage {
    #h;
    #sql;
    #kv;
    constructor(h) {
      this.#h = h;
    }
    get sql() {
      return (this.#sql ||= new SqlStorage(this.#h));
    }
    get kv() {
      return (this.#kv ||= new SyncKvStorage(this.#h));
    }
    async get(key) {
      const keys = storageValues(key);
      if (keys === null) return native.sGet(this.#h, [String(key)])[0];
      const values = native.sGet(this.#h, keys);
      const out = new Map();
      keys.forEach((k, i) => {
        if (values[i] !== undefined) out.set(k, values[i]);
      });
      return out;
    }
    async put(key, value) {
      if (typeof key === "object" && key !== null) {
        native.sPut(this.#h, Object.keys(key).map((k) => [k, key[k]]));
        return;
      }
      if (value === undefined) throw new TypeError("put() called with undefined value");
      native.sPut(this.#h, [[String(key), value]]);
    }
    async delete(key) {
      const keys = storageValues(key);
      if (keys === null) return native.sDelete(this.#h, [String(key)]) > 0;
      return native.sDelete(this.#h, keys);
    }
    async deleteAll() {
      native.sDeleteAll(this.#h);
    }
    async list(opts = {}) {
      return new Map(native.sList(this.#h, opts || {}));
    }
    async getAlarm() {
      return native.sAlarm(this.#h, "get", 0);
    }
    async setAlarm(time) {
      const t = time instanceof Date ? time.getTime() : Number(time);
      if (!Number.isFinite(t)) throw new TypeError("setAlarm() needs a Date or a number of milliseconds");
      native.sAlarm(this.#h, "set", t);
    }
    async deleteAlarm() {
      native.sAlarm(this.#h, "delete", 0);
    }
    async sync() {}
    transactionSync(fn) {
      native.sTx(this.#h, "begin");
      try {
        const r = fn();
        native.sTx(this.#h, "commit");
        return r;
      } catch (e) {
        native.sTx(this.#h, "rollback");
        throw e;
      }
    }
    async transaction(fn) {
      return fn(this);
    }
  }

  class DurableObjectState {
    #rec;
    constructor(rec, id, storage) {
      this.#rec = rec;
      this.id = id;
      this.storage = storage;
    }
    blockConcurrencyWhile(fn) {
      const rec = this.#rec;
      const run = () => Promise.resolve().then(fn);
      const p = rec.gate ? rec.gate.then(run, run) : run();
      const gate = p.then(
        () => {},
        () => {},
      );
      rec.gate = gate;
      gate.then(() => {
        if (rec.gate === gate) rec.gate = null;
      });
      return p;
    }
    waitUntil(p) {
      Promise.resolve(p).catch((e) => native.report(e, "waitUntil"));
    }
    acceptWebSocket(ws, tags) {
      sockets.hibernation.accept(this.#rec, ws, tags);
    }
    getWebSockets(tag) {
      return sockets.hibernation.get(this.#rec, tag);
    }
    getTags(ws) {
      return sockets.hibernation.tags(ws);
    }
    setWebSocketAutoResponse(pair) {
      this.#rec.autoResponse = pair === undefined || pair === null ? null : pair;
    }
    getWebSocketAutoResponse() {
      return this.#rec.autoResponse || null;
    }
    getWebSocketAutoResponseTimestamp(ws) {
      return ws._autoResponseTimestamp();
    }
    setHibernatableWebSocketEventTimeout() {}
    getHibernatableWebSocketEventTimeout() {
      return null;
    }
    abort(reason) {
      objects.delete(this.#rec.key);
      throw reason === undefined ? new Error("Durable Object aborted") : reason;
    }
  }

  // ---- isolate state and dispatch

  let mod = null; // the main module's namespace (module syntax)
  let env = {};
  const listeners = { fetch: [], scheduled: [] }; // service-worker syntax
  const objects = new Map(); // "<namespace>:<id>" → { key, obj, gate }
  const cf = Object.freeze({ colo: "LOCAL", country: "XX", asn: 0, httpProtocol: "HTTP/1.1", clientTcpRtt: 0, requestPriority: "" });

  const addEventListener = (type, listener) => {
    if (!listeners[type]) throw new TypeError(`Unsupported event type "${type}" for addEventListener`);
    listeners[type].push(listener);
  };

  // handler returns (arg, ctx) ⇒ result for an event kind, for the default
  // export or a named entrypoint.
  const handler = (kind, entrypoint) => {
    if (mod === null) {
      if (kind === "fetch" || kind === "scheduled") return null;
      throw new Error(`Service-worker scripts cannot handle ${kind} events`);
    }
    const target = entrypoint ? mod[entrypoint] : mod.default;
    if (target === undefined) throw new Error(entrypoint ? `The Worker has no export named "${entrypoint}"` : "The Worker has no default export");
    if (typeof target === "function" && target.prototype instanceof WorkerEntrypoint) {
      return (arg, ctx) => {
        const inst = new target(ctx, env);
        if (typeof inst[kind] !== "function") throw new Error(`Handler does not export a ${kind}() function.`);
        return inst[kind](arg);
      };
    }
    if (target !== null && typeof target === "object" && typeof target[kind] === "function") {
      return (arg, ctx) => target[kind](arg, env, ctx);
    }
    throw new Error(`Handler does not export a ${kind}() function.`);
  };

  class FetchEvent {
    #request;
    #ctx;
    constructor(request, ctx) {
      this.#request = request;
      this.#ctx = ctx;
      this.type = "fetch";
      this.responded = false;
      this.response = undefined;
    }
    get request() {
      return this.#request;
    }
    respondWith(r) {
      if (this.responded) throw new Error("respondWith() was already called");
      this.responded = true;
      this.response = r;
    }
    waitUntil(p) {
      this.#ctx.waitUntil(p);
    }
    passThroughOnException() {}
  }

  const classicFetch = (request, ctx) => {
    const event = new FetchEvent(request, ctx);
    for (const l of listeners.fetch) {
      l.call(globalThis, event);
      if (event.responded) return event.response;
    }
    if (listeners.fetch.length === 0) throw new Error('No fetch handler: the script has no addEventListener("fetch", …)');
    throw new Error("No response: no fetch event listener called respondWith()");
  };
  const classicScheduled = (controller, ctx) => {
    if (listeners.scheduled.length === 0) throw new Error('No scheduled handler: the script has no addEventListener("scheduled", …)');
    const event = { type: "scheduled", scheduledTime: controller.scheduledTime, cron: controller.cron, noRetry() {}, waitUntil: (p) => ctx.waitUntil(p) };
    for (const l of listeners.scheduled) l.call(globalThis, event);
  };

  // exportParts hands a Response over: [status, statusText, flat
  // headers, body, WebSocket port handle of a 101].
  const exportParts = (res) => {
    const parts = internals.exportResponse(res);
    if (res.status === 101 && res.webSocket) parts[4] = sockets.exportSocket(res.webSocket);
    return parts;
  };
  // exportFull hands a Response over with its body read into bytes.
  const exportFull = async (res) => {
    const parts = exportParts(res);
    parts[3] = await bodyBytes(parts[3]);
    return parts;
  };

  let fetchHandler = null;
  // An HTTP request's ctx holds no state of its own, so requests share one.
  const sharedContext = new ExecutionContext();

  return {
    // cloudflare:workers exports.
    workers: { DurableObject, WorkerEntrypoint, WorkflowEntrypoint, RpcTarget, env: undefined, waitUntil: undefined },
    // cloudflare:workflows exports.
    workflows: { NonRetryableError },
    addEventListener,
    makeEnv(descs) {
      env = makeEnv(descs);
      this.workers.env = env;
      this.workers.waitUntil = (p) => new ExecutionContext().waitUntil(p);
      return env;
    },
    setModule(namespace) {
      mod = namespace === undefined ? null : namespace;
    },
    // handles reports whether the Worker has a handler for an event kind.
    handles(kind) {
      if (mod === null) return (listeners[kind] || []).length > 0;
      try {
        handler(kind);
        return true;
      } catch {
        return false;
      }
    },
    // fetch answers an HTTP request; done(id, [status, statusText, flat
    // headers, body]) where a body stream is then pumped with pump().
    fetch(id, method, url, flat, body) {
      const request = internals.incomingRequest(method, url, flat, body, cf);
      const ctx = sharedContext;
      let result;
      try {
        if (fetchHandler === null) fetchHandler = mod === null ? classicFetch : handler("fetch");
        result = fetchHandler(request, ctx);
      } catch (e) {
        native.done(id, undefined, e);
        return;
      }
      const respond = (res) => {
        let parts;
        try {
          parts = exportParts(res);
        } catch (e) {
          native.done(id, undefined, e);
          return;
        }
        native.done(id, parts);
      };
      if (result !== null && typeof result === "object" && typeof result.then === "function") {
        result.then(respond, (e) => native.done(id, undefined, e));
      } else {
        respond(result);
      }
    },
    async pump(id, stream) {
      let reader;
      try {
        reader = stream.getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          await native.write(id, toU8(value, "A response body chunk"));
        }
        native.end(id);
      } catch (e) {
        native.end(id, e);
        if (reader) reader.cancel(e).catch(() => {});
      }
    },
    scheduled(id, scheduledTime, cron) {
      const controller = { scheduledTime, cron, type: "scheduled", noRetry() {} };
      settle(id, () => (mod === null ? classicScheduled : handler("scheduled"))(controller, new ExecutionContext()));
    },
    // queue delivers a batch; done(id, [acks, retries, batchVerdict]).
    queue(id, queueName, msgs) {
      const verdicts = new Map(); // message id → ["ack"] | ["retry", delay]
      let batchVerdict = null;
      const delayOf = (opts) => (opts && opts.delaySeconds !== undefined ? Number(opts.delaySeconds) : -1);
      const messages = msgs.map(([mid, ts, body, attempts]) =>
        Object.freeze({
          id: mid,
          timestamp: new Date(ts),
          body,
          attempts,
          ack: () => void verdicts.set(mid, ["ack"]),
          retry: (opts) => void verdicts.set(mid, ["retry", delayOf(opts)]),
        }),
      );
      const batch = Object.freeze({
        queue: queueName,
        messages,
        ackAll: () => void (batchVerdict = ["ack"]),
        retryAll: (opts) => void (batchVerdict = ["retry", delayOf(opts)]),
      });
      const result = () => [[...verdicts].map(([mid, v]) => [mid, ...v]), batchVerdict];
      let r;
      try {
        r = handler("queue")(batch, new ExecutionContext());
      } catch (e) {
        native.done(id, result(), e);
        return;
      }
      Promise.resolve(r).then(
        () => native.done(id, result()),
        (e) => native.done(id, result(), e),
      );
    },
    // serviceFetch and serviceRPC answer a service binding of another
    // Worker, at the default export or a named entrypoint.
    serviceFetch(id, entrypoint, method, url, flat, body) {
      const request = internals.incomingRequest(method, url, flat, body, cf);
      settle(id, () => {
        const h = mod === null && !entrypoint ? classicFetch : handler("fetch", entrypoint);
        return Promise.resolve(h(request, new ExecutionContext())).then(exportFull);
      });
    },
    serviceRPC(id, entrypoint, method, args) {
      settle(id, () => {
        if (mod === null) throw new Error("Service-worker scripts cannot receive RPC calls");
        const target = entrypoint ? mod[entrypoint] : mod.default;
        if (!(typeof target === "function" && target.prototype instanceof WorkerEntrypoint)) {
          throw new TypeError(`The RPC receiver ${entrypoint ? `"${entrypoint}"` : "(the default export)"} is not a WorkerEntrypoint class, so it cannot be called over RPC.`);
        }
        const inst = new target(new ExecutionContext(), env);
        if (typeof inst[method] !== "function" || method === "constructor") {
          throw new TypeError(`The RPC receiver does not implement the method "${method}".`);
        }
        return inst[method](...args);
      });
    },
    // workflowRun runs an instance of a Workflow class, from the top:
    // done(id, { kind: "complete", value, json }) when run() returns,
    // done(id, { kind: "suspend", status, wakeAt, waitingFor }) when it
    // stopped at a sleep, a wait or a retry delay (once no step is in
    // progress), done(id, { kind: "halt" }) when it was paused,
    // terminated or restarted, or done(id, undefined, error).
    workflowRun(id, className, workflowName, instanceId, gen, payload, timestamp) {
      const R = { run: [workflowName, instanceId, gen], counters: new Map(), active: 0, susp: null, done: false };
      const finish = (v, e) => {
        if (R.done) return;
        R.done = true;
        if (e === undefined) native.done(id, v);
        else native.done(id, undefined, e);
      };
      R.check = () => {
        if (R.susp !== null && R.active === 0) finish({ kind: "suspend", ...R.susp });
      };
      R.suspend = (status, wakeAt, waitingFor) => {
        if (R.susp === null || wakeAt < R.susp.wakeAt) R.susp = { status, wakeAt, waitingFor };
        R.check();
        return never();
      };
      R.halt = () => {
        finish({ kind: "halt" });
        return never();
      };
      R.fail = (e) => finish(undefined, e);
      try {
        const Cls = mod === null ? undefined : mod[className];
        if (typeof Cls !== "function") throw new Error(`The Worker does not export a Workflow class named "${className}"`);
        const inst = new Cls(new ExecutionContext(), env);
        if (typeof inst.run !== "function") throw new Error(`Workflow class "${className}" has no run() method`);
        const event = Object.freeze({ payload, timestamp: new Date(timestamp), instanceId });
        Promise.resolve(inst.run(event, new WorkflowStep(R))).then(
          (value) => {
            let json;
            try {
              json = JSON.stringify(value);
            } catch {}
            finish({ kind: "complete", value, json });
          },
          (e) => finish(undefined, e === undefined ? new Error("rejected with undefined") : e),
        );
      } catch (e) {
        finish(undefined, e);
      }
    },
    // object delivers an event to a Durable Object of this isolate,
    // creating the instance on first use: kind "fetch" (payload [method,
    // url, flat, body]), "rpc" ([method, args]) or "alarm".
    object(id, className, namespace, hex, name, kind, payload) {
      settle(id, () => {
        const key = namespace + ":" + hex;
        let rec = objects.get(key);
        if (!rec) {
          const Cls = mod === null ? undefined : mod[className];
          if (typeof Cls !== "function") throw new Error(`The Worker does not export a Durable Object class named "${className}"`);
          rec = { key, obj: null, gate: null, sockets: new Set(), autoResponse: null };
          const state = new DurableObjectState(rec, new DurableObjectId(hex, name || undefined), new DurableObjectStorage(native.doOpen(namespace, hex, className)));
          objects.set(key, rec);
          try {
            rec.obj = new Cls(state, env);
          } catch (e) {
            objects.delete(key);
            throw e;
          }
        }
        const run = () => {
          const obj = rec.obj;
          switch (kind) {
            case "fetch": {
              if (typeof obj.fetch !== "function") throw new Error(`Durable Object class "${className}" has no fetch() method`);
              const [method, url, flat, body] = payload;
              return Promise.resolve(obj.fetch(internals.incomingRequest(method, url, flat, body, cf))).then(exportFull);
            }
            case "rpc": {
              const [method, args] = payload;
              if (typeof obj[method] !== "function" || method === "constructor" || method === "fetch" || method === "alarm") {
                throw new TypeError(`The RPC receiver does not implement the method "${method}".`);
              }
              return obj[method](...args);
            }
            case "alarm":
              if (typeof obj.alarm !== "function") throw new Error(`Durable Object class "${className}" has an alarm set but no alarm() method`);
              return obj.alarm({ retryCount: 0, isRetry: false });
          }
          throw new Error(`unknown Durable Object event ${kind}`);
        };
        return rec.gate ? rec.gate.then(run) : run();
      });
    },
  };
});
