// ReadableStream, WritableStream, TransformStream and their readers,
// writers and controllers; the queuing strategies; TextEncoderStream and
// TextDecoderStream. Evaluated once per runtime. Chunks are any values;
// byte streams (type: "bytes") also accept BYOB readers. Backpressure is
// advisory: desiredSize and ready follow the high-water mark, but nothing
// is dropped or blocked when a producer ignores them.
(function () {
  "use strict";

  const isBytes = (c) => c instanceof Uint8Array || ArrayBuffer.isView(c) || c instanceof ArrayBuffer;
  const settled = (p) => {
    p.catch(() => {});
    return p;
  };
  const deferred = () => {
    let resolve, reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  const sizeOf = (strategy) => {
    const size = strategy && strategy.size;
    return typeof size === "function" ? (c) => Number(size(c)) : () => 1;
  };
  // startUnderlying calls the start method of a stream's source or sink
  // with its controller, then marks the stream started and calls onStarted;
  // a throw or a rejection errors the stream.
  const startUnderlying = (stream, underlying, onStarted) => {
    let start;
    try {
      start = typeof underlying.start === "function" ? underlying.start.call(underlying, stream._controller) : undefined;
    } catch (e) {
      stream._error(e);
      throw e;
    }
    Promise.resolve(start).then(
      () => {
        stream._started = true;
        onStarted();
      },
      (e) => stream._error(e),
    );
  };
  const highWaterMark = (strategy, dflt) => {
    const h = strategy && strategy.highWaterMark !== undefined ? Number(strategy.highWaterMark) : dflt;
    if (Number.isNaN(h) || h < 0) throw new RangeError("highWaterMark must be a non-negative number");
    return h;
  };

  const internal = Symbol("internal");

  class ReadableStreamDefaultController {
    constructor(key, stream) {
      if (key !== internal) throw new TypeError("Illegal constructor");
      this._stream = stream;
    }
    get desiredSize() {
      const s = this._stream;
      if (s._state === "errored") return null;
      if (s._state === "closed") return 0;
      return s._hwm - s._queueSize;
    }
    get byobRequest() {
      return null;
    }
    enqueue(chunk) {
      const s = this._stream;
      if (s._closeRequested || s._state !== "readable") throw new TypeError("The stream is closed or closing; enqueue is not allowed");
      if (s._type === "bytes" && !isBytes(chunk)) throw new TypeError("A byte stream only accepts ArrayBuffer views");
      s._enqueue(chunk);
    }
    close() {
      const s = this._stream;
      if (s._closeRequested || s._state !== "readable") throw new TypeError("The stream is already closed or closing");
      s._closeRequested = true;
      if (s._queue.length === 0) s._close();
    }
    error(e) {
      this._stream._error(e);
    }
  }

  class ReadableStream {
    _state = "readable";
    _queue = [];
    _queueSize = 0;
    _reader = null;
    _closeRequested = false;
    _storedError = undefined;
    _pulling = false;
    _pullAgain = false;
    _started = false;
    _disturbed = false;

    constructor(source = {}, strategy = {}) {
      if (source === null) source = {};
      this._source = source;
      this._type = source.type === "bytes" ? "bytes" : undefined;
      if (source.type !== undefined && this._type === undefined) throw new RangeError(`Invalid stream type ${source.type}`);
      this._hwm = highWaterMark(strategy, this._type === "bytes" ? 0 : 1);
      this._size = this._type === "bytes" ? (c) => c.byteLength : sizeOf(strategy);
      this._controller = new ReadableStreamDefaultController(internal, this);
      startUnderlying(this, source, () => this._pullIfNeeded());
    }

    get locked() {
      return this._reader !== null;
    }

    _enqueue(chunk) {
      const r = this._reader;
      if (r && r._requests.length > 0) {
        r._requests.shift()._fulfil(chunk);
      } else {
        this._queue.push(chunk);
        this._queueSize += this._size(chunk);
      }
      this._pullIfNeeded();
    }
    _close() {
      if (this._state !== "readable") return;
      this._state = "closed";
      const r = this._reader;
      if (r) {
        for (const req of r._requests.splice(0)) req._done();
        r._closed.resolve();
      }
    }
    _error(e) {
      if (this._state !== "readable") return;
      this._state = "errored";
      this._storedError = e;
      this._queue = [];
      this._queueSize = 0;
      const r = this._reader;
      if (r) {
        for (const req of r._requests.splice(0)) req._fail(e);
        r._closed.reject(e);
      }
    }
    _shouldPull() {
      if (!this._started || this._state !== "readable" || this._closeRequested) return false;
      if (this._reader && this._reader._requests.length > 0) return true;
      return this._hwm - this._queueSize > 0;
    }
    _pullIfNeeded() {
      if (!this._shouldPull()) return;
      if (this._pulling) {
        this._pullAgain = true;
        return;
      }
      const pull = this._source.pull;
      if (typeof pull !== "function") return;
      this._pulling = true;
      let p;
      try {
        p = Promise.resolve(pull.call(this._source, this._controller));
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(
        () => {
          this._pulling = false;
          if (this._pullAgain) {
            this._pullAgain = false;
            this._pullIfNeeded();
          }
        },
        (e) => this._error(e),
      );
    }
    // _take returns a promise of the next { value, done }.
    _take(req) {
      this._disturbed = true;
      if (this._queue.length > 0) {
        const chunk = this._queue.shift();
        this._queueSize -= this._size(chunk);
        if (this._queueSize < 0) this._queueSize = 0;
        if (this._closeRequested && this._queue.length === 0) this._close();
        else this._pullIfNeeded();
        req._fulfil(chunk);
        return;
      }
      if (this._state === "closed") return req._done();
      if (this._state === "errored") return req._fail(this._storedError);
      this._reader._requests.push(req);
      this._pullIfNeeded();
    }
    _cancel(reason) {
      this._disturbed = true;
      if (this._state === "closed") return Promise.resolve();
      if (this._state === "errored") return Promise.reject(this._storedError);
      this._queue = [];
      this._queueSize = 0;
      this._close();
      const cancel = this._source.cancel;
      try {
        return Promise.resolve(typeof cancel === "function" ? cancel.call(this._source, reason) : undefined).then(() => undefined);
      } catch (e) {
        return Promise.reject(e);
      }
    }

    cancel(reason) {
      if (this.locked) return Promise.reject(new TypeError("Cannot cancel a locked stream"));
      return this._cancel(reason);
    }
    getReader(options = {}) {
      if (this.locked) throw new TypeError("ReadableStream is already locked to a reader");
      if (options && options.mode === "byob") {
        if (this._type !== "bytes") throw new TypeError("A BYOB reader needs a byte stream (type: \"bytes\")");
        return new ReadableStreamBYOBReader(this);
      }
      if (options && options.mode !== undefined) throw new RangeError(`Invalid reader mode ${options.mode}`);
      return new ReadableStreamDefaultReader(this);
    }
    pipeThrough(transform, options) {
      if (this.locked) throw new TypeError("ReadableStream is locked");
      settled(this.pipeTo(transform.writable, options));
      return transform.readable;
    }
    async pipeTo(dest, options = {}) {
      if (this.locked) throw new TypeError("ReadableStream is locked");
      if (dest.locked) throw new TypeError("WritableStream is locked");
      const reader = this.getReader();
      const writer = dest.getWriter();
      const signal = options.signal;
      let abortError;
      const onAbort = () => {
        abortError = signal.reason;
        reader.cancel(abortError).catch(() => {});
      };
      if (signal) {
        if (signal.aborted) onAbort();
        else signal.addEventListener("abort", onAbort, { once: true });
      }
      try {
        for (;;) {
          if (abortError !== undefined) throw abortError;
          const { value, done } = await reader.read();
          if (done) break;
          await writer.write(value);
        }
        if (abortError !== undefined) throw abortError;
        if (!options.preventClose) await writer.close();
      } catch (e) {
        if (!options.preventAbort) await writer.abort(e).catch(() => {});
        if (!options.preventCancel) await reader.cancel(e).catch(() => {});
        throw e;
      } finally {
        if (signal) signal.removeEventListener("abort", onAbort);
        reader.releaseLock();
        writer.releaseLock();
      }
    }
    tee() {
      const reader = this.getReader();
      const controllers = [];
      let canceled = 0;
      let reading = false;
      const pull = () => {
        if (reading) return;
        reading = true;
        return reader.read().then(
          ({ value, done }) => {
            reading = false;
            for (const c of controllers) {
              if (c._stream._state !== "readable" || c._stream._closeRequested) continue;
              if (done) c.close();
              else c.enqueue(value);
            }
          },
          (e) => {
            reading = false;
            for (const c of controllers) c.error(e);
          },
        );
      };
      const branch = () =>
        new ReadableStream({
          start: (c) => void controllers.push(c),
          pull,
          cancel: (reason) => {
            canceled++;
            if (canceled === 2) return reader.cancel(reason);
          },
        });
      return [branch(), branch()];
    }
    values(options = {}) {
      const reader = this.getReader();
      const preventCancel = !!options.preventCancel;
      return {
        next: () => reader.read().then((r) => {
          if (r.done) reader.releaseLock();
          return r;
        }),
        return: async (value) => {
          if (!preventCancel) await reader.cancel(value);
          reader.releaseLock();
          return { value, done: true };
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    }
    [Symbol.asyncIterator](options) {
      return this.values(options);
    }
    static from(iterable) {
      if (iterable instanceof ReadableStream) return iterable;
      const asyncIt = iterable[Symbol.asyncIterator];
      const it = typeof asyncIt === "function" ? asyncIt.call(iterable) : iterable[Symbol.iterator]();
      return new ReadableStream({
        async pull(c) {
          const { value, done } = await it.next();
          if (done) c.close();
          else c.enqueue(await value);
        },
        async cancel(reason) {
          if (typeof it.return === "function") await it.return(reason);
        },
      });
    }
    get [Symbol.toStringTag]() {
      return "ReadableStream";
    }
  }

  class ReadRequest {
    constructor() {
      const d = deferred();
      this.promise = d.promise;
      this._resolve = d.resolve;
      this._reject = d.reject;
    }
    _fulfil(chunk) {
      this._resolve({ value: chunk, done: false });
    }
    _done() {
      this._resolve({ value: undefined, done: true });
    }
    _fail(e) {
      this._reject(e);
    }
  }

  class ReadableStreamDefaultReader {
    _requests = [];
    constructor(stream) {
      if (!(stream instanceof ReadableStream)) throw new TypeError("ReadableStreamDefaultReader needs a ReadableStream");
      if (stream.locked) throw new TypeError("ReadableStream is already locked to a reader");
      this._stream = stream;
      stream._reader = this;
      this._closed = deferred();
      settled(this._closed.promise);
      if (stream._state === "closed") this._closed.resolve();
      if (stream._state === "errored") this._closed.reject(stream._storedError);
    }
    get closed() {
      return this._closed.promise;
    }
    read() {
      if (!this._stream) return Promise.reject(new TypeError("The reader has been released"));
      const req = new ReadRequest();
      this._stream._take(req);
      return req.promise;
    }
    cancel(reason) {
      if (!this._stream) return Promise.reject(new TypeError("The reader has been released"));
      return this._stream._cancel(reason);
    }
    releaseLock() {
      const s = this._stream;
      if (!s) return;
      const err = new TypeError("The reader was released");
      for (const req of this._requests.splice(0)) req._fail(err);
      if (s._state === "readable") this._closed.reject(err);
      s._reader = null;
      this._stream = null;
    }
  }

  // A BYOB read copies queued bytes into the caller's view.
  class ReadableStreamBYOBReader extends ReadableStreamDefaultReader {
    #rest = null;
    read(view) {
      if (!ArrayBuffer.isView(view) || view.byteLength === 0) {
        return Promise.reject(new TypeError("read() needs a non-empty ArrayBuffer view"));
      }
      const fill = (chunk) => {
        const src = new Uint8Array(chunk.buffer || chunk, chunk.byteOffset || 0, chunk.byteLength);
        const dst = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        const n = Math.min(src.length, dst.length);
        dst.set(src.subarray(0, n));
        this.#rest = n < src.length ? src.subarray(n) : null;
        const Ctor = view.constructor;
        const per = Ctor.BYTES_PER_ELEMENT || 1;
        return { value: new Ctor(view.buffer, view.byteOffset, Math.floor(n / per)), done: false };
      };
      if (this.#rest) return Promise.resolve(fill(this.#rest));
      return super.read().then((r) => (r.done ? { value: new view.constructor(view.buffer, view.byteOffset, 0), done: true } : fill(r.value)));
    }
  }

  class WritableStreamDefaultController {
    #stream;
    #abort = new AbortController();
    constructor(key, stream) {
      if (key !== internal) throw new TypeError("Illegal constructor");
      this.#stream = stream;
    }
    get signal() {
      return this.#abort.signal;
    }
    error(e) {
      this.#stream._error(e);
    }
    _abort(reason) {
      this.#abort.abort(reason);
    }
  }

  class WritableStream {
    _state = "writable";
    _writer = null;
    _queue = []; // { chunk, d } or { close: true, d }
    _queueSize = 0;
    _busy = false;
    _storedError = undefined;
    _closeRequested = false;

    constructor(sink = {}, strategy = {}) {
      if (sink === null) sink = {};
      this._sink = sink;
      this._hwm = highWaterMark(strategy, 1);
      this._size = sizeOf(strategy);
      this._controller = new WritableStreamDefaultController(internal, this);
      this._started = false;
      startUnderlying(this, sink, () => this._advance());
    }
    get locked() {
      return this._writer !== null;
    }
    _desiredSize() {
      if (this._state === "errored") return null;
      if (this._state === "closed") return 0;
      return this._hwm - this._queueSize;
    }
    _write(chunk) {
      if (this._state === "errored") return Promise.reject(this._storedError);
      if (this._closeRequested || this._state !== "writable") return Promise.reject(new TypeError("The stream is closed or closing"));
      const d = deferred();
      this._queue.push({ chunk, d });
      this._queueSize += this._size(chunk);
      if (this._writer) this._writer._updateReady();
      this._advance();
      return d.promise;
    }
    _close() {
      if (this._state === "errored") return Promise.reject(this._storedError);
      if (this._closeRequested || this._state !== "writable") return Promise.reject(new TypeError("The stream is closed or closing"));
      this._closeRequested = true;
      const d = deferred();
      this._queue.push({ close: true, d });
      this._advance();
      return d.promise;
    }
    _advance() {
      if (!this._started || this._busy || this._queue.length === 0 || this._state !== "writable") return;
      const item = this._queue[0];
      this._busy = true;
      const sink = this._sink;
      let p;
      try {
        if (item.close) p = typeof sink.close === "function" ? sink.close.call(sink) : undefined;
        else p = typeof sink.write === "function" ? sink.write.call(sink, item.chunk, this._controller) : undefined;
        p = Promise.resolve(p);
      } catch (e) {
        p = Promise.reject(e);
      }
      p.then(
        () => {
          this._busy = false;
          this._queue.shift();
          if (item.close) {
            this._state = "closed";
            if (this._writer) this._writer._closed.resolve();
          } else {
            this._queueSize -= this._size(item.chunk);
            if (this._queueSize < 0) this._queueSize = 0;
            if (this._writer) this._writer._updateReady();
          }
          item.d.resolve();
          this._advance();
        },
        (e) => {
          this._busy = false;
          this._error(e);
        },
      );
    }
    _error(e) {
      if (this._state !== "writable") return;
      this._state = "errored";
      this._storedError = e;
      for (const item of this._queue.splice(0)) {
        settled(item.d.promise);
        item.d.reject(e);
      }
      if (this._writer) {
        this._writer._closed.reject(e);
        this._writer._readyFail(e);
      }
    }
    _abort(reason) {
      if (this._state === "closed") return Promise.resolve();
      if (this._state === "errored") return Promise.resolve();
      this._controller._abort(reason);
      this._error(reason === undefined ? new TypeError("The stream was aborted") : reason);
      const abort = this._sink.abort;
      try {
        return Promise.resolve(typeof abort === "function" ? abort.call(this._sink, reason) : undefined).then(() => undefined);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    abort(reason) {
      if (this.locked) return Promise.reject(new TypeError("Cannot abort a locked stream"));
      return this._abort(reason);
    }
    close() {
      if (this.locked) return Promise.reject(new TypeError("Cannot close a locked stream"));
      return this._close();
    }
    getWriter() {
      return new WritableStreamDefaultWriter(this);
    }
    get [Symbol.toStringTag]() {
      return "WritableStream";
    }
  }

  class WritableStreamDefaultWriter {
    constructor(stream) {
      if (!(stream instanceof WritableStream)) throw new TypeError("WritableStreamDefaultWriter needs a WritableStream");
      if (stream.locked) throw new TypeError("WritableStream is already locked to a writer");
      this._stream = stream;
      stream._writer = this;
      this._closed = deferred();
      settled(this._closed.promise);
      if (stream._state === "closed") this._closed.resolve();
      if (stream._state === "errored") this._closed.reject(stream._storedError);
      this._ready = null;
      this._updateReady();
    }
    _updateReady() {
      const s = this._stream;
      const want = s._desiredSize() !== null && s._desiredSize() <= 0 && s._state === "writable";
      if (want) {
        if (!this._ready || this._ready.resolved) {
          const d = deferred();
          settled(d.promise);
          this._ready = { ...d, resolved: false };
        }
      } else if (!this._ready) {
        this._ready = { promise: Promise.resolve(), resolved: true };
      } else if (!this._ready.resolved) {
        this._ready.resolved = true;
        this._ready.resolve();
      }
    }
    _readyFail(e) {
      if (this._ready && !this._ready.resolved) {
        this._ready.resolved = true;
        this._ready.reject(e);
      } else {
        this._ready = { promise: settled(Promise.reject(e)), resolved: true };
      }
    }
    get closed() {
      return this._closed.promise;
    }
    get ready() {
      return this._ready.promise;
    }
    get desiredSize() {
      if (!this._stream) throw new TypeError("The writer has been released");
      return this._stream._desiredSize();
    }
    write(chunk) {
      if (!this._stream) return Promise.reject(new TypeError("The writer has been released"));
      return this._stream._write(chunk);
    }
    close() {
      if (!this._stream) return Promise.reject(new TypeError("The writer has been released"));
      return this._stream._close();
    }
    abort(reason) {
      if (!this._stream) return Promise.reject(new TypeError("The writer has been released"));
      return this._stream._abort(reason);
    }
    releaseLock() {
      const s = this._stream;
      if (!s) return;
      if (s._state === "writable") this._closed.reject(new TypeError("The writer was released"));
      s._writer = null;
      this._stream = null;
    }
  }

  class TransformStreamDefaultController {
    #readable;
    #ts;
    constructor(key, ts, readableController) {
      if (key !== internal) throw new TypeError("Illegal constructor");
      this.#ts = ts;
      this.#readable = readableController;
    }
    get desiredSize() {
      return this.#readable.desiredSize;
    }
    enqueue(chunk) {
      this.#readable.enqueue(chunk);
    }
    error(e) {
      this.#ts._fail(e);
    }
    terminate() {
      try {
        this.#readable.close();
      } catch {}
      this.#ts._writable._error(new TypeError("The transform stream was terminated"));
    }
  }

  class TransformStream {
    constructor(transformer = {}, writableStrategy = {}, readableStrategy = {}) {
      if (transformer === null) transformer = {};
      let readableController;
      this._readable = new ReadableStream(
        {
          start: (c) => void (readableController = c),
          cancel: (reason) => {
            this._writable._error(reason === undefined ? new TypeError("The readable side was cancelled") : reason);
            if (typeof transformer.cancel === "function") return transformer.cancel.call(transformer, reason);
          },
        },
        { highWaterMark: highWaterMark(readableStrategy, 0), size: readableStrategy.size },
      );
      const controller = new TransformStreamDefaultController(internal, this, readableController);
      this._controller = controller;
      const startDone = deferred();
      this._writable = new WritableStream(
        {
          start: () => startDone.promise,
          write: (chunk) => {
            if (typeof transformer.transform !== "function") return void controller.enqueue(chunk);
            return this._failOnError(() => transformer.transform.call(transformer, chunk, controller));
          },
          close: async () => {
            if (typeof transformer.flush === "function") await this._failOnError(() => transformer.flush.call(transformer, controller));
            try {
              readableController.close();
            } catch {}
          },
          abort: (reason) => {
            readableController.error(reason);
          },
        },
        writableStrategy,
      );
      try {
        const start = typeof transformer.start === "function" ? transformer.start.call(transformer, controller) : undefined;
        Promise.resolve(start).then(startDone.resolve, (e) => {
          this._fail(e);
          startDone.reject(e);
        });
      } catch (e) {
        this._fail(e);
        throw e;
      }
    }
    _fail(e) {
      this._readable._error(e);
      this._writable._error(e);
    }
    // A transform or flush that throws or rejects errors both sides, as the
    // spec's TransformStreamError does: a reader of the readable side must
    // not wait forever.
    async _failOnError(step) {
      try {
        return await step();
      } catch (e) {
        this._fail(e);
        throw e;
      }
    }
    get readable() {
      return this._readable;
    }
    get writable() {
      return this._writable;
    }
    get [Symbol.toStringTag]() {
      return "TransformStream";
    }
  }

  class ByteLengthQueuingStrategy {
    constructor({ highWaterMark }) {
      this.highWaterMark = highWaterMark;
    }
    size(chunk) {
      return chunk.byteLength;
    }
  }
  class CountQueuingStrategy {
    constructor({ highWaterMark }) {
      this.highWaterMark = highWaterMark;
    }
    size() {
      return 1;
    }
  }

  class TextEncoderStream extends TransformStream {
    constructor() {
      const enc = new TextEncoder();
      super({
        transform(chunk, c) {
          const s = String(chunk);
          if (s.length) c.enqueue(enc.encode(s));
        },
      });
    }
    get encoding() {
      return "utf-8";
    }
  }
  class TextDecoderStream extends TransformStream {
    #decoder;
    constructor(label = "utf-8", options = {}) {
      const dec = new TextDecoder(label, options);
      super({
        transform(chunk, c) {
          const s = dec.decode(chunk, { stream: true });
          if (s.length) c.enqueue(s);
        },
        flush(c) {
          const s = dec.decode();
          if (s.length) c.enqueue(s);
        },
      });
      this.#decoder = dec;
    }
    get encoding() {
      return this.#decoder.encoding;
    }
  }

  return {
    ReadableStream,
    ReadableStreamDefaultReader,
    ReadableStreamBYOBReader,
    ReadableStreamDefaultController,
    WritableStream,
    WritableStreamDefaultWriter,
    WritableStreamDefaultController,
    TransformStream,
    TransformStreamDefaultController,
    ByteLengthQueuingStrategy,
    CountQueuingStrategy,
    TextEncoderStream,
    TextDecoderStream,
  };
});
