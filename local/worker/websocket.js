// WebSockets of a Worker isolate: WebSocket, WebSocketPair, the events
// they dispatch, and the hibernation half of Durable Object state.
// Evaluated once per isolate with the Go natives of websocket.go:
//
//   wsExport()            a port for a pair end leaving the isolate → handle
//   wsHandOn(h)           the socket of port h leaves the isolate as it is
//   wsAccept(h)           port h may deliver its messages now
//   wsSend(h, kind, data, code, reason)
//   wsClaim(ticket)       the port of a socket another isolate handed over
//   report(error, what)   log an error of a handler
//
// Go delivers a port's messages with event(h, kind, data, code, reason,
// clean) and makes a socket for a port with adopt(h, protocol, url).
(function (native) {
  "use strict";

  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSING = 2;
  const CLOSED = 3;
  // The kinds of websocket_conn.go's wsMessage.
  const TEXT = 1;
  const BINARY = 2;
  const CLOSE = 3;
  const ERROR = 4;

  const encoder = new TextEncoder();
  const internal = Symbol("internal");
  const sockets = new Map(); // port handle → the WebSocket it serves

  class MessageEvent extends Event {
    #data;
    constructor(type, init = {}) {
      super(type, init);
      this.#data = init.data === undefined ? null : init.data;
    }
    get data() {
      return this.#data;
    }
  }

  class CloseEvent extends Event {
    #code;
    #reason;
    #wasClean;
    constructor(type, init = {}) {
      super(type, init);
      this.#code = init.code === undefined ? 0 : Number(init.code);
      this.#reason = init.reason === undefined ? "" : String(init.reason);
      this.#wasClean = !!init.wasClean;
    }
    get code() {
      return this.#code;
    }
    get reason() {
      return this.#reason;
    }
    get wasClean() {
      return this.#wasClean;
    }
  }

  class ErrorEvent extends Event {
    #message;
    #error;
    constructor(type, init = {}) {
      super(type, init);
      this.#message = init.message === undefined ? "" : String(init.message);
      this.#error = init.error;
    }
    get message() {
      return this.#message;
    }
    get error() {
      return this.#error;
    }
  }

  // payload turns what send() was given into [kind, bytes or string].
  const payload = (message) => {
    if (typeof message === "string") return [TEXT, message];
    if (message instanceof ArrayBuffer) return [BINARY, new Uint8Array(message.slice(0))];
    if (ArrayBuffer.isView(message)) {
      return [BINARY, new Uint8Array(message.buffer.slice(message.byteOffset, message.byteOffset + message.byteLength))];
    }
    throw new TypeError("WebSocket send() takes a string, an ArrayBuffer or an ArrayBuffer view");
  };

  const validClose = (code, reason) => {
    if (code !== undefined) {
      code = Number(code);
      if (!(code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999))) {
        throw new DOMException(`The close code must be 1000 or between 3000 and 4999, not ${code}`, "InvalidAccessError");
      }
    }
    reason = reason === undefined ? "" : String(reason);
    if (encoder.encode(reason).length > 123) throw new DOMException("The close reason must be at most 123 bytes of UTF-8", "SyntaxError");
    return [code === undefined ? 1005 : code, reason];
  };

  class WebSocket extends EventTarget {
    #state = OPEN;
    #peer = null; // the other end of a pair, in this isolate
    #h = 0; // the port this end talks through, when its other end is elsewhere
    #accepted = false;
    #hib = null; // { rec, tags } once accepted by a Durable Object's state
    #queue = []; // messages that arrived before accept()
    #sentClose = false;
    #gotClose = false;
    #handedOn = false; // returned in a Response: it belongs to the runtime now
    #url = null;
    #protocol = "";
    #binaryType = "arraybuffer";
    #attachment = undefined;
    onopen = null;
    onmessage = null;
    onclose = null;
    onerror = null;

    constructor(url, protocols) {
      super();
      if (url === internal) return;
      // A client: connect with fetch, then take over its socket.
      let u;
      try {
        u = new URL(String(url));
      } catch {
        throw new DOMException(`Invalid WebSocket URL: ${url}`, "SyntaxError");
      }
      const schemes = { "ws:": "http:", "wss:": "https:", "http:": "http:", "https:": "https:" };
      if (!schemes[u.protocol]) throw new DOMException(`A WebSocket URL must be ws: or wss:, not ${u.protocol}`, "SyntaxError");
      if (u.hash) throw new DOMException("A WebSocket URL must not have a fragment", "SyntaxError");
      this.#url = u.href;
      this.#state = CONNECTING;
      u.protocol = schemes[u.protocol];
      const headers = { Upgrade: "websocket" };
      if (protocols !== undefined) {
        const list = typeof protocols === "string" ? [protocols] : [...protocols].map(String);
        if (list.length) headers["Sec-WebSocket-Protocol"] = list.join(", ");
      }
      fetch(u.href, { headers }).then(
        (res) => {
          const ws = res.webSocket;
          if (res.status !== 101 || !ws) throw new Error(`WebSocket connection to ${this.#url} failed: the server answered ${res.status}`);
          this.#adopt(ws);
          this.#protocol = res.headers.get("sec-websocket-protocol") || "";
          this.#state = OPEN;
          this.accept();
          this.#fire(new Event("open"));
        },
        (e) => this.#failConnect(e),
      ).catch((e) => this.#failConnect(e));
    }
    #failConnect(e) {
      if (this.#state !== CONNECTING) return;
      this.#state = CLOSED;
      this.#fire(new ErrorEvent("error", { message: String(e && e.message ? e.message : e), error: e }));
      this.#fire(new CloseEvent("close", { code: 1006, reason: "", wasClean: false }));
    }
    // #adopt takes the port of a socket made for a fetch response.
    #adopt(ws) {
      this.#h = ws.#h;
      ws.#h = 0;
      ws.#handedOn = true;
      sockets.set(this.#h, this);
    }

    static _pair() {
      const a = new WebSocket(internal);
      const b = new WebSocket(internal);
      a.#peer = b;
      b.#peer = a;
      return [a, b];
    }
    static _adopt(h, protocol, url) {
      const ws = new WebSocket(internal);
      ws.#h = h;
      ws.#protocol = protocol || "";
      ws.#url = url || null;
      sockets.set(h, ws);
      return ws;
    }

    get readyState() {
      return this.#state;
    }
    get url() {
      return this.#url;
    }
    get protocol() {
      return this.#protocol;
    }
    get extensions() {
      return "";
    }
    get binaryType() {
      return this.#binaryType;
    }
    set binaryType(v) {
      if (v === "arraybuffer" || v === "blob") this.#binaryType = v;
    }

    #usable(what) {
      if (this.#handedOn) throw new TypeError(`WebSocket ${what}(): this WebSocket was handed over in a Response and can no longer be used here`);
    }

    accept() {
      this.#usable("accept");
      if (this.#hib) throw new TypeError("WebSocket accept(): the WebSocket was already accepted with acceptWebSocket()");
      if (this.#accepted) return;
      this.#accepted = true;
      this.#flush();
      if (this.#h) native.wsAccept(this.#h);
    }
    // _hibernate makes a Durable Object's handler methods hear the socket.
    _hibernate(rec, tags) {
      this.#usable("acceptWebSocket");
      if (this.#accepted || this.#hib) throw new TypeError("acceptWebSocket(): the WebSocket was already accepted");
      this.#hib = { rec, tags };
      rec.sockets.add(this);
      this.#flush();
      if (this.#h) native.wsAccept(this.#h);
    }
    _tags() {
      return this.#hib ? this.#hib.tags.slice() : [];
    }
    #flush() {
      const q = this.#queue;
      this.#queue = [];
      if (q.length) queueMicrotask(() => q.forEach((m) => this.#dispatch(m)));
    }

    send(message) {
      this.#usable("send");
      if (!this.#accepted && !this.#hib) {
        throw new TypeError("WebSocket send(): call accept() (or acceptWebSocket()) on the WebSocket before sending");
      }
      if (this.#state === CONNECTING) throw new DOMException("WebSocket send(): the WebSocket is still connecting", "InvalidStateError");
      if (this.#sentClose || this.#state === CLOSED) throw new TypeError("WebSocket send(): the WebSocket is closed");
      const [kind, data] = payload(message);
      this.#out({ kind, data });
    }

    close(code, reason) {
      this.#usable("close");
      const [c, r] = validClose(code, reason);
      if (this.#state === CONNECTING) {
        this.#failConnect(new Error("closed before the connection was made"));
        return;
      }
      if (this.#sentClose) return;
      this.#sentClose = true;
      if (!this.#gotClose) this.#state = CLOSING;
      this.#out({ kind: CLOSE, code: c, reason: r });
    }

    #out(m) {
      if (this.#peer) {
        this.#peer.#receive(m);
      } else if (this.#h) {
        native.wsSend(this.#h, m.kind, m.kind === CLOSE ? null : m.data, m.code || 0, m.reason || "");
        if (m.kind === CLOSE && this.#gotClose) sockets.delete(this.#h);
      }
    }

    // #receive takes a message of the other end.
    #receive(m) {
      if (this.#handedOn) return;
      if (this.#accepted || this.#hib) queueMicrotask(() => this.#dispatch(m));
      else this.#queue.push(m);
    }
    _event(m) {
      this.#receive(m);
    }

    #dispatch(m) {
      switch (m.kind) {
        case TEXT:
        case BINARY: {
          let data = m.data;
          if (m.kind === BINARY) {
            if (data instanceof Uint8Array) data = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
            if (this.#binaryType === "blob") data = new Blob([data]);
          }
          if (this.#hib) return this.#handle("webSocketMessage", data);
          return this.#fire(new MessageEvent("message", { data }));
        }
        case ERROR: {
          const error = new Error(m.reason);
          if (this.#hib) return this.#handle("webSocketError", error);
          return this.#fire(new ErrorEvent("error", { message: m.reason, error }));
        }
        case CLOSE: {
          this.#gotClose = true;
          const clean = m.clean !== false;
          if (!this.#sentClose && m.code !== 1006) {
            // Answer the close, as workerd does for Workers of this era.
            this.#sentClose = true;
            this.#out({ kind: CLOSE, code: m.code, reason: m.reason });
          } else if (this.#h) {
            sockets.delete(this.#h);
          }
          this.#sentClose = true;
          this.#state = CLOSED;
          if (this.#hib) {
            const rec = this.#hib.rec;
            return this.#handle("webSocketClose", m.code, m.reason, clean).finally(() => rec.sockets.delete(this));
          }
          return this.#fire(new CloseEvent("close", { code: m.code, reason: m.reason, wasClean: clean }));
        }
      }
    }

    #fire(event) {
      const handler = this["on" + event.type];
      this.dispatchEvent(event);
      if (typeof handler === "function") {
        try {
          handler.call(this, event);
        } catch (e) {
          native.report(e, "WebSocket on" + event.type);
        }
      }
    }

    // #handle calls a hibernation handler method of the Durable Object
    // that accepted the socket, after whatever blocks its events.
    #handle(method, ...args) {
      const rec = this.#hib.rec;
      const run = () => {
        const obj = rec.obj;
        if (method === "webSocketMessage" && typeof args[0] === "string" && rec.autoResponse && args[0] === rec.autoResponse.request) {
          this.#autoAt = new Date();
          this.#out({ kind: TEXT, data: rec.autoResponse.response });
          return;
        }
        if (obj && typeof obj[method] === "function") return obj[method](this, ...args);
      };
      const p = rec.gate ? rec.gate.then(run) : new Promise((resolve) => resolve(run()));
      return p.catch((e) => native.report(e, method));
    }
    #autoAt = null;
    _autoResponseTimestamp() {
      return this.#autoAt;
    }

    serializeAttachment(value) {
      this.#attachment = value === undefined ? undefined : structuredClone(value);
    }
    deserializeAttachment() {
      return this.#attachment === undefined ? null : structuredClone(this.#attachment);
    }

    // _export hands the socket out of the isolate in a Response and returns
    // the handle of the port its other end now talks through.
    _export() {
      this.#usable("export");
      if (this.#accepted || this.#hib) throw new TypeError("A WebSocket that was accepted cannot be returned in a Response");
      this.#handedOn = true;
      if (this.#peer) {
        const other = this.#peer;
        this.#peer = null;
        other.#peer = null;
        const h = native.wsExport();
        other.#h = h;
        sockets.set(h, other);
        // What the other end sent so far goes out first.
        for (const m of this.#queue) other.#out(m);
        this.#queue = [];
        if (other.#sentClose && other.#gotClose) sockets.delete(h);
        return h;
      }
      if (this.#h) {
        const h = this.#h;
        this.#h = 0;
        sockets.delete(h);
        native.wsHandOn(h);
        return h;
      }
      throw new TypeError("This WebSocket cannot be returned in a Response");
    }

    get [Symbol.toStringTag]() {
      return "WebSocket";
    }
  }
  for (const [name, value] of Object.entries({ CONNECTING, OPEN, CLOSING, CLOSED })) {
    Object.defineProperty(WebSocket, name, { value, enumerable: true });
    Object.defineProperty(WebSocket.prototype, name, { value, enumerable: true });
    Object.defineProperty(WebSocket, "READY_STATE_" + name, { value, enumerable: true });
    Object.defineProperty(WebSocket.prototype, "READY_STATE_" + name, { value, enumerable: true });
  }

  class WebSocketPair {
    constructor() {
      const [client, server] = WebSocket._pair();
      this[0] = client;
      this[1] = server;
    }
    *[Symbol.iterator]() {
      yield this[0];
      yield this[1];
    }
  }

  class WebSocketRequestResponsePair {
    #request;
    #response;
    constructor(request, response) {
      this.#request = String(request);
      this.#response = String(response);
    }
    get request() {
      return this.#request;
    }
    get response() {
      return this.#response;
    }
  }

  // The hibernation methods of DurableObjectState, over the object's
  // record { obj, gate, sockets, autoResponse }.
  const hibernation = {
    accept(rec, ws, tags) {
      if (!(ws instanceof WebSocket)) throw new TypeError("acceptWebSocket() needs a WebSocket");
      const list = tags === undefined ? [] : [...tags].map(String);
      if (list.length > 10) throw new TypeError("acceptWebSocket(): a WebSocket may have at most 10 tags");
      for (const t of list) if (t.length > 256) throw new TypeError("acceptWebSocket(): a tag is longer than 256 characters");
      ws._hibernate(rec, list);
    },
    get(rec, tag) {
      const out = [];
      for (const ws of rec.sockets) {
        if (ws.readyState === CLOSED) continue;
        if (tag === undefined || ws._tags().includes(String(tag))) out.push(ws);
      }
      return out;
    },
    tags(ws) {
      if (!(ws instanceof WebSocket)) throw new TypeError("getTags() needs a WebSocket");
      return ws._tags();
    },
  };

  return {
    globals: { WebSocket, WebSocketPair, WebSocketRequestResponsePair, MessageEvent, CloseEvent, ErrorEvent },
    hibernation,
    exportSocket: (ws) => {
      if (!(ws instanceof WebSocket)) throw new TypeError("The webSocket of a Response must be a WebSocket");
      return ws._export();
    },
    event(h, kind, data, code, reason, clean) {
      const ws = sockets.get(h);
      if (ws) ws._event({ kind, data, code, reason, clean });
    },
    adopt: (h, protocol, url) => WebSocket._adopt(h, protocol, url),
    claim: (ticket) => WebSocket._adopt(native.wsClaim(ticket), "", null),
  };
});
