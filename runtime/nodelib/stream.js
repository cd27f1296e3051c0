// node:stream: Stream, Readable, Writable, Duplex, Transform, PassThrough,
// finished, pipeline, addAbortSignal and the conversions to and from web
// streams, following Node's state machines (buffering up to the
// high-water mark, 'readable' and flowing modes, backpressure through
// write()'s result and 'drain', destroy with 'error' then 'close').
// Evaluated once per runtime with { EventEmitter, Buffer, StringDecoder }.
// Node's process.nextTick is a microtask here.
(function (deps) {
  "use strict";
  const { EventEmitter, Buffer, StringDecoder } = deps;

  const nop = () => {};
  const nextTick = (fn, ...args) => queueMicrotask(() => fn(...args));
  const onceFn = (fn) => {
    let called = false;
    return function (...args) {
      if (called) return;
      called = true;
      return fn.apply(this, args);
    };
  };

  // Node's coded errors.
  const coded = (Ctor, code, message) => {
    const e = new Ctor(message);
    e.code = code;
    return e;
  };
  const describe = (v) => (v === null ? "null" : Array.isArray(v) ? "an instance of Array" : typeof v === "object" ? `an instance of ${(v.constructor && v.constructor.name) || "Object"}` : `type ${typeof v} (${String(v)})`);
  const E = {
    prematureClose: () => coded(Error, "ERR_STREAM_PREMATURE_CLOSE", "Premature close"),
    writeAfterEnd: () => coded(Error, "ERR_STREAM_WRITE_AFTER_END", "write after end"),
    destroyed: (op) => coded(Error, "ERR_STREAM_DESTROYED", `Cannot call ${op} after a stream was destroyed`),
    alreadyFinished: (op) => coded(Error, "ERR_STREAM_ALREADY_FINISHED", `Cannot call ${op} after a stream was finished`),
    pushAfterEOF: () => coded(Error, "ERR_STREAM_PUSH_AFTER_EOF", "stream.push() after EOF"),
    unshiftAfterEnd: () => coded(Error, "ERR_STREAM_UNSHIFT_AFTER_END_EVENT", "stream.unshift() after end event"),
    nullValues: () => coded(TypeError, "ERR_STREAM_NULL_VALUES", "May not write null values to stream"),
    notImplemented: (m) => coded(Error, "ERR_METHOD_NOT_IMPLEMENTED", `The ${m} method is not implemented`),
    multipleCallback: () => coded(Error, "ERR_MULTIPLE_CALLBACK", "Callback called multiple times"),
    missingArgs: (name) => coded(TypeError, "ERR_MISSING_ARGS", `The "${name}" argument must be specified`),
    unknownEncoding: (enc) => coded(TypeError, "ERR_UNKNOWN_ENCODING", `Unknown encoding: ${enc}`),
    argType: (name, types, v) => coded(TypeError, "ERR_INVALID_ARG_TYPE", `The "${name}" argument must be ${types}. Received ${describe(v)}`),
    argValue: (name, v) => coded(TypeError, "ERR_INVALID_ARG_VALUE", `The property '${name}' is invalid. Received ${String(v)}`),
    returnValue: (want, where, v) => coded(TypeError, "ERR_INVALID_RETURN_VALUE", `Expected ${want} to be returned from the "${where}" function but got ${describe(v)}.`),
    unsupported: (member) => coded(Error, "ERR_METHOD_NOT_IMPLEMENTED", `node:stream ${member} is not supported in this runtime`),
  };
  class AbortError extends Error {
    constructor(message = "The operation was aborted", options = undefined) {
      super(message, options);
      this.name = "AbortError";
      this.code = "ABORT_ERR";
    }
  }

  let defaultHighWaterMark = 65536;
  let defaultObjectHighWaterMark = 16;
  const getDefaultHighWaterMark = (objectMode) => (objectMode ? defaultObjectHighWaterMark : defaultHighWaterMark);
  const setDefaultHighWaterMark = (objectMode, value) => {
    if (!Number.isInteger(value) || value < 0) throw E.argValue("value", value);
    if (objectMode) defaultObjectHighWaterMark = value;
    else defaultHighWaterMark = value;
  };
  const highWaterMarkOf = (options, duplexKey, isDuplex, objectMode) => {
    let hwm = options.highWaterMark;
    if (hwm == null && isDuplex) hwm = options[duplexKey];
    if (hwm == null) return getDefaultHighWaterMark(objectMode);
    if (!Number.isInteger(hwm) || hwm < 0) throw E.argValue(isDuplex && options[duplexKey] != null ? `options.${duplexKey}` : "options.highWaterMark", hwm);
    return hwm;
  };
  const toBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);

  // ---- Stream, the legacy base ----

  function Stream(opts) {
    EventEmitter.call(this, opts);
  }
  Object.setPrototypeOf(Stream.prototype, EventEmitter.prototype);
  Object.setPrototypeOf(Stream, EventEmitter);
  Stream.prototype.pipe = function (dest, options) {
    const source = this;
    const ondata = (chunk) => {
      if (dest.writable && dest.write(chunk) === false && source.pause) source.pause();
    };
    const ondrain = () => {
      if (source.readable && source.resume) source.resume();
    };
    source.on("data", ondata);
    dest.on("drain", ondrain);
    if (!options || options.end !== false) source.on("end", () => dest.end());
    dest.emit("pipe", source);
    return dest;
  };

  // ---- destroy, shared by both sides ----

  const states = (s) => [s._readableState, s._writableState];
  const kConstruct = Symbol("kConstruct");

  function setErrored(err, r, w) {
    if (!err) return;
    if (w && !w.errored) w.errored = err;
    if (r && !r.errored) r.errored = err;
  }
  function destroy(err, cb) {
    const [r, w] = states(this);
    if ((w && w.destroyed) || (r && r.destroyed)) {
      if (typeof cb === "function") cb();
      return this;
    }
    setErrored(err, r, w);
    if (w) w.destroyed = true;
    if (r) r.destroyed = true;
    if ((w && !w.constructed) || (r && !r.constructed)) {
      this.once(kConstruct, (er) => callDestroy(this, err || er, cb));
    } else {
      callDestroy(this, err, cb);
    }
    return this;
  }
  function callDestroy(self, err, cb) {
    let called = false;
    const onDestroy = (er) => {
      if (called) return;
      called = true;
      const [r, w] = states(self);
      setErrored(er, r, w);
      if (w) w.closed = true;
      if (r) r.closed = true;
      if (typeof cb === "function") cb(er);
      if (er) nextTick(emitErrorCloseNT, self, er);
      else nextTick(emitCloseNT, self);
    };
    try {
      self._destroy(err || null, onDestroy);
    } catch (e) {
      onDestroy(e);
    }
  }
  function emitErrorCloseNT(self, err) {
    emitErrorNT(self, err);
    emitCloseNT(self);
  }
  function emitCloseNT(self) {
    const [r, w] = states(self);
    if (w) w.closeEmitted = true;
    if (r) r.closeEmitted = true;
    if ((w && w.emitClose) || (r && r.emitClose)) self.emit("close");
  }
  function emitErrorNT(self, err) {
    const [r, w] = states(self);
    if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
    if (w) w.errorEmitted = true;
    if (r) r.errorEmitted = true;
    self.emit("error", err);
  }
  function errorOrDestroy(stream, err, sync) {
    const [r, w] = states(stream);
    if ((w && w.destroyed) || (r && r.destroyed)) return;
    if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
      stream.destroy(err);
    } else if (err) {
      setErrored(err, r, w);
      if (sync) nextTick(emitErrorNT, stream, err);
      else emitErrorNT(stream, err);
    }
  }
  // destroyStream destroys any stream-like value.
  function destroyStream(stream, err) {
    if (!stream || isDestroyed(stream)) return;
    if (typeof stream.destroy === "function") stream.destroy(err);
    else if (typeof stream.close === "function") stream.close();
  }
  // construct runs stream._construct on the next tick; the stream buffers
  // until its callback.
  function construct(stream, onConstructed) {
    const [r, w] = states(stream);
    if (r) r.constructed = false;
    if (w) w.constructed = false;
    stream.once(kConstruct, onConstructed);
    nextTick(() => {
      let called = false;
      const done = (err) => {
        if (called) err = E.multipleCallback();
        called = true;
        if (r) r.constructed = true;
        if (w) w.constructed = true;
        if (err) errorOrDestroy(stream, err, true);
        else nextTick(() => stream.emit(kConstruct));
      };
      try {
        stream._construct((err) => nextTick(done, err));
      } catch (err) {
        nextTick(done, err);
      }
    });
  }

  // ---- Readable ----

  class ReadableState {
    constructor(options, stream, isDuplex) {
      options = options || {};
      this.objectMode = !!(options.objectMode || (isDuplex && options.readableObjectMode));
      this.highWaterMark = highWaterMarkOf(options, "readableHighWaterMark", isDuplex, this.objectMode);
      this.buffer = [];
      this.length = 0;
      this.pipes = [];
      this.flowing = null;
      this.ended = false;
      this.endEmitted = false;
      this.reading = false;
      this.constructed = true;
      this.sync = true;
      this.needReadable = false;
      this.emittedReadable = false;
      this.readableListening = false;
      this.resumeScheduled = false;
      this.paused = null;
      this.errorEmitted = false;
      this.emitClose = options.emitClose !== false;
      this.autoDestroy = options.autoDestroy !== false;
      this.destroyed = false;
      this.errored = null;
      this.closed = false;
      this.closeEmitted = false;
      this.defaultEncoding = options.defaultEncoding || "utf8";
      this.awaitDrainWriters = new Set();
      this.readingMore = false;
      this.dataEmitted = false;
      this.decoder = null;
      this.encoding = null;
      if (options.encoding) {
        this.decoder = new StringDecoder(options.encoding);
        this.encoding = this.decoder.encoding;
      }
    }
  }

  function Readable(options) {
    if (!(this instanceof Readable)) return new Readable(options);
    this._readableState = new ReadableState(options, this, this instanceof Duplex);
    if (options) {
      if (typeof options.read === "function") this._read = options.read;
      if (typeof options.destroy === "function") this._destroy = options.destroy;
      if (typeof options.construct === "function") this._construct = options.construct;
      if (options.signal && !(this instanceof Duplex)) addAbortSignal(options.signal, this);
    }
    Stream.call(this, options);
    if (typeof this._construct === "function" && !(this instanceof Duplex)) {
      construct(this, () => {
        if (this._readableState.needReadable) maybeReadMore(this, this._readableState);
      });
    }
  }
  Object.setPrototypeOf(Readable.prototype, Stream.prototype);
  Object.setPrototypeOf(Readable, Stream);
  Readable.ReadableState = ReadableState;

  Readable.prototype.destroy = destroy;
  Readable.prototype._undestroy = nop;
  Readable.prototype._destroy = function (err, cb) {
    cb(err);
  };
  Readable.prototype._read = function () {
    throw E.notImplemented("_read()");
  };
  Readable.prototype.push = function (chunk, encoding) {
    return addChunkFrom(this, chunk, encoding, false);
  };
  Readable.prototype.unshift = function (chunk, encoding) {
    return addChunkFrom(this, chunk, encoding, true);
  };

  function addChunkFrom(stream, chunk, encoding, addToFront) {
    const state = stream._readableState;
    let err;
    if (!state.objectMode) {
      if (typeof chunk === "string") {
        encoding = encoding || state.defaultEncoding;
        if (state.encoding !== encoding) {
          if (addToFront && state.encoding) {
            chunk = Buffer.from(chunk, encoding).toString(state.encoding);
          } else {
            chunk = Buffer.from(chunk, encoding);
            encoding = "";
          }
        }
      } else if (chunk instanceof Buffer) {
        encoding = "";
      } else if (chunk instanceof Uint8Array) {
        chunk = toBuffer(chunk);
        encoding = "";
      } else if (chunk != null) {
        err = E.argType("chunk", "of type string or an instance of Buffer or Uint8Array", chunk);
      }
    }
    if (err) {
      errorOrDestroy(stream, err);
    } else if (chunk === null) {
      state.reading = false;
      onEofChunk(stream, state);
    } else if (state.objectMode || (chunk && chunk.length > 0)) {
      if (addToFront) {
        if (state.endEmitted) errorOrDestroy(stream, E.unshiftAfterEnd());
        else if (state.destroyed || state.errored) return false;
        else addChunk(stream, state, chunk, true);
      } else if (state.ended) {
        errorOrDestroy(stream, E.pushAfterEOF());
      } else if (state.destroyed || state.errored) {
        return false;
      } else {
        state.reading = false;
        if (state.decoder && !encoding) {
          chunk = state.decoder.write(chunk);
          if (state.objectMode || chunk.length !== 0) addChunk(stream, state, chunk, false);
          else maybeReadMore(stream, state);
        } else {
          addChunk(stream, state, chunk, false);
        }
      }
    } else if (!addToFront) {
      state.reading = false;
      maybeReadMore(stream, state);
    }
    return !state.ended && (state.length < state.highWaterMark || state.length === 0);
  }

  function addChunk(stream, state, chunk, addToFront) {
    if (state.flowing && state.length === 0 && !state.sync && stream.listenerCount("data") > 0) {
      state.awaitDrainWriters.clear();
      state.dataEmitted = true;
      stream.emit("data", chunk);
    } else {
      state.length += state.objectMode ? 1 : chunk.length;
      if (addToFront) state.buffer.unshift(chunk);
      else state.buffer.push(chunk);
      if (state.needReadable) emitReadable(stream);
    }
    maybeReadMore(stream, state);
  }

  function onEofChunk(stream, state) {
    if (state.ended) return;
    if (state.decoder) {
      const chunk = state.decoder.end();
      if (chunk && chunk.length) {
        state.buffer.push(chunk);
        state.length += state.objectMode ? 1 : chunk.length;
      }
    }
    state.ended = true;
    if (state.sync) {
      emitReadable(stream);
    } else {
      state.needReadable = false;
      state.emittedReadable = true;
      emitReadableNT(stream);
    }
  }

  function emitReadable(stream) {
    const state = stream._readableState;
    state.needReadable = false;
    if (!state.emittedReadable) {
      state.emittedReadable = true;
      nextTick(emitReadableNT, stream);
    }
  }
  function emitReadableNT(stream) {
    const state = stream._readableState;
    if (!state.destroyed && !state.errored && (state.length || state.ended)) {
      stream.emit("readable");
      state.emittedReadable = false;
    }
    state.needReadable = !state.flowing && !state.ended && state.length <= state.highWaterMark;
    flow(stream);
  }

  function maybeReadMore(stream, state) {
    if (!state.readingMore && state.constructed) {
      state.readingMore = true;
      nextTick(maybeReadMoreNT, stream, state);
    }
  }
  function maybeReadMoreNT(stream, state) {
    while (!state.reading && !state.ended && (state.length < state.highWaterMark || (state.flowing && state.length === 0))) {
      const len = state.length;
      stream.read(0);
      if (len === state.length) break;
    }
    state.readingMore = false;
  }

  const MAX_HWM = 0x40000000;
  function computeNewHighWaterMark(n) {
    if (n > MAX_HWM) throw coded(RangeError, "ERR_OUT_OF_RANGE", `The value of "size" is out of range. It must be <= 1GiB. Received ${n}`);
    n--;
    n |= n >>> 1;
    n |= n >>> 2;
    n |= n >>> 4;
    n |= n >>> 8;
    n |= n >>> 16;
    return n + 1;
  }
  function howMuchToRead(n, state) {
    if (n <= 0 || (state.length === 0 && state.ended)) return 0;
    if (state.objectMode) return 1;
    if (Number.isNaN(n)) return state.flowing && state.length ? state.buffer[0].length : state.length;
    if (n <= state.length) return n;
    return state.ended ? state.length : 0;
  }

  Readable.prototype.read = function (n) {
    n = n === undefined ? NaN : Number.parseInt(n, 10);
    const state = this._readableState;
    const nOrig = n;
    if (n > state.highWaterMark) state.highWaterMark = computeNewHighWaterMark(n);
    if (n !== 0) state.emittedReadable = false;
    if (
      n === 0 &&
      state.needReadable &&
      ((state.highWaterMark !== 0 ? state.length >= state.highWaterMark : state.length > 0) || state.ended)
    ) {
      if (state.length === 0 && state.ended) endReadable(this);
      else emitReadable(this);
      return null;
    }
    n = howMuchToRead(n, state);
    if (n === 0 && state.ended) {
      if (state.length === 0) endReadable(this);
      return null;
    }
    let doRead = state.needReadable;
    if (state.length === 0 || state.length - n < state.highWaterMark) doRead = true;
    if (state.ended || state.reading || state.destroyed || state.errored || !state.constructed) {
      doRead = false;
    } else if (doRead) {
      state.reading = true;
      state.sync = true;
      if (state.length === 0) state.needReadable = true;
      try {
        this._read(state.highWaterMark);
      } catch (err) {
        errorOrDestroy(this, err);
      }
      state.sync = false;
      if (!state.reading) n = howMuchToRead(nOrig, state);
    }
    let ret = n > 0 ? fromList(n, state) : null;
    if (ret === null) {
      state.needReadable = state.length <= state.highWaterMark;
      n = 0;
    } else {
      state.length -= n;
      state.awaitDrainWriters.clear();
    }
    if (state.length === 0) {
      if (!state.ended) state.needReadable = true;
      if (nOrig !== n && state.ended) endReadable(this);
    }
    if (ret !== null && !state.errorEmitted && !state.closeEmitted) {
      state.dataEmitted = true;
      this.emit("data", ret);
    }
    return ret;
  };

  // fromList takes n bytes (or characters, or one object) off the buffer.
  function fromList(n, state) {
    const buf = state.buffer;
    if (state.length === 0 || buf.length === 0) return null;
    if (state.objectMode) return buf.shift();
    if (!n || n >= state.length) {
      let ret;
      if (state.decoder) ret = buf.join("");
      else if (buf.length === 1) ret = buf[0];
      else ret = Buffer.concat(buf, state.length);
      buf.length = 0;
      return ret;
    }
    const first = buf[0];
    if (n < first.length) {
      buf[0] = state.decoder ? first.slice(n) : first.subarray(n);
      return state.decoder ? first.slice(0, n) : first.subarray(0, n);
    }
    if (n === first.length) return buf.shift();
    if (state.decoder) {
      let ret = "";
      while (ret.length < n) {
        const s = buf[0];
        const need = n - ret.length;
        if (s.length <= need) {
          ret += s;
          buf.shift();
        } else {
          ret += s.slice(0, need);
          buf[0] = s.slice(need);
        }
      }
      return ret;
    }
    const ret = Buffer.alloc(n);
    let off = 0;
    while (off < n) {
      const b = buf[0];
      const need = n - off;
      if (b.length <= need) {
        ret.set(b, off);
        off += b.length;
        buf.shift();
      } else {
        ret.set(b.subarray(0, need), off);
        buf[0] = b.subarray(need);
        off += need;
      }
    }
    return ret;
  }

  function endReadable(stream) {
    const state = stream._readableState;
    if (!state.endEmitted) {
      state.ended = true;
      nextTick(endReadableNT, state, stream);
    }
  }
  function endReadableNT(state, stream) {
    if (!state.errored && !state.closeEmitted && !state.endEmitted && state.length === 0) {
      state.endEmitted = true;
      stream.emit("end");
      const w = stream._writableState;
      if (w && stream.allowHalfOpen === false && stream.writable) {
        nextTick(() => stream.end());
      } else if (state.autoDestroy) {
        if (!w || (w.autoDestroy && (w.finished || w.writable === false))) stream.destroy();
      }
    }
  }

  Readable.prototype.on = function (ev, fn) {
    const res = Stream.prototype.on.call(this, ev, fn);
    const state = this._readableState;
    if (ev === "data") {
      state.readableListening = this.listenerCount("readable") > 0;
      if (state.flowing !== false) this.resume();
    } else if (ev === "readable") {
      if (!state.endEmitted && !state.readableListening) {
        state.readableListening = state.needReadable = true;
        state.flowing = false;
        state.emittedReadable = false;
        if (state.length) emitReadable(this);
        else if (!state.reading) nextTick(() => this.read(0));
      }
    }
    return res;
  };
  Readable.prototype.addListener = Readable.prototype.on;
  Readable.prototype.removeListener = function (ev, fn) {
    const res = Stream.prototype.removeListener.call(this, ev, fn);
    if (ev === "readable") nextTick(updateReadableListening, this);
    return res;
  };
  Readable.prototype.off = Readable.prototype.removeListener;
  Readable.prototype.removeAllListeners = function (ev) {
    const res = Stream.prototype.removeAllListeners.apply(this, arguments);
    if (ev === "readable" || ev === undefined) nextTick(updateReadableListening, this);
    return res;
  };
  function updateReadableListening(self) {
    const state = self._readableState;
    state.readableListening = self.listenerCount("readable") > 0;
    if (state.resumeScheduled && state.paused === false) state.flowing = true;
    else if (self.listenerCount("data") > 0) self.resume();
    else if (!state.readableListening) state.flowing = null;
  }

  Readable.prototype.resume = function () {
    const state = this._readableState;
    if (!state.flowing) {
      state.flowing = !state.readableListening;
      if (!state.resumeScheduled) {
        state.resumeScheduled = true;
        nextTick(resumeNT, this, state);
      }
    }
    state.paused = false;
    return this;
  };
  function resumeNT(stream, state) {
    if (!state.reading) stream.read(0);
    state.resumeScheduled = false;
    stream.emit("resume");
    flow(stream);
    if (state.flowing && !state.reading) stream.read(0);
  }
  Readable.prototype.pause = function () {
    const state = this._readableState;
    if (state.flowing !== false) {
      state.flowing = false;
      this.emit("pause");
    }
    state.paused = true;
    return this;
  };
  Readable.prototype.isPaused = function () {
    const state = this._readableState;
    return state.paused === true || state.flowing === false;
  };
  function flow(stream) {
    const state = stream._readableState;
    while (state.flowing && stream.read() !== null);
  }

  Readable.prototype.setEncoding = function (enc) {
    const decoder = new StringDecoder(enc);
    const state = this._readableState;
    state.decoder = decoder;
    state.encoding = decoder.encoding;
    let content = "";
    for (const data of state.buffer) content += decoder.write(data);
    state.buffer = content ? [content] : [];
    state.length = content.length;
    return this;
  };

  Readable.prototype.pipe = function (dest, pipeOpts) {
    const src = this;
    const state = this._readableState;
    state.pipes.push(dest);
    const doEnd = !pipeOpts || pipeOpts.end !== false;
    const onend = () => dest.end();
    const unpipe = () => src.unpipe(dest);
    const endFn = doEnd ? onend : unpipe;
    if (state.endEmitted) nextTick(endFn);
    else src.once("end", endFn);

    let ondrain = null;
    let cleanedUp = false;
    const onunpipe = (readable, info) => {
      if (readable === src && info && info.hasUnpiped === false) {
        info.hasUnpiped = true;
        cleanup();
      }
    };
    const cleanup = () => {
      dest.removeListener("close", onclose);
      dest.removeListener("finish", onfinish);
      if (ondrain) dest.removeListener("drain", ondrain);
      dest.removeListener("error", onerror);
      dest.removeListener("unpipe", onunpipe);
      src.removeListener("end", onend);
      src.removeListener("end", unpipe);
      src.removeListener("data", ondata);
      cleanedUp = true;
      if (ondrain && state.awaitDrainWriters.size && (!dest._writableState || dest._writableState.needDrain)) ondrain();
    };
    const pause = () => {
      if (!cleanedUp) state.awaitDrainWriters.add(dest);
      src.pause();
      if (!ondrain) {
        ondrain = () => {
          state.awaitDrainWriters.delete(dest);
          if (state.awaitDrainWriters.size === 0 && src.listenerCount("data")) src.resume();
        };
        dest.on("drain", ondrain);
      }
    };
    const ondata = (chunk) => {
      if (dest.write(chunk) === false) pause();
    };
    const onerror = (er) => {
      unpipe();
      dest.removeListener("error", onerror);
      if (dest.listenerCount("error") === 0) {
        const s = dest._writableState || dest._readableState;
        if (s && !s.errorEmitted) errorOrDestroy(dest, er);
        else dest.emit("error", er);
      }
    };
    const onclose = () => {
      dest.removeListener("finish", onfinish);
      unpipe();
    };
    const onfinish = () => {
      dest.removeListener("close", onclose);
      unpipe();
    };
    src.on("data", ondata);
    dest.prependListener("error", onerror);
    dest.once("close", onclose);
    dest.once("finish", onfinish);
    dest.on("unpipe", onunpipe);
    dest.emit("pipe", src);
    if (dest.writableNeedDrain === true) pause();
    else if (!state.flowing) src.resume();
    return dest;
  };

  Readable.prototype.unpipe = function (dest) {
    const state = this._readableState;
    if (state.pipes.length === 0) return this;
    if (!dest) {
      const dests = state.pipes;
      state.pipes = [];
      this.pause();
      for (const d of dests) d.emit("unpipe", this, { hasUnpiped: false });
      return this;
    }
    const index = state.pipes.indexOf(dest);
    if (index === -1) return this;
    state.pipes.splice(index, 1);
    if (state.pipes.length === 0) this.pause();
    dest.emit("unpipe", this, { hasUnpiped: false });
    return this;
  };

  Readable.prototype.wrap = function (stream) {
    let paused = false;
    stream.on("data", (chunk) => {
      if (!this.push(chunk) && stream.pause) {
        paused = true;
        stream.pause();
      }
    });
    stream.on("end", () => this.push(null));
    stream.on("error", (err) => errorOrDestroy(this, err));
    stream.on("close", () => this.destroy());
    stream.on("destroy", () => this.destroy());
    this._read = () => {
      if (paused && stream.resume) {
        paused = false;
        stream.resume();
      }
    };
    return this;
  };

  // The async iterator reads with read() and waits for 'readable'; it ends
  // at 'end' and throws the stream's error.
  function createAsyncIterator(stream, options) {
    let wake = null;
    const next = () => {
      if (wake) {
        const w = wake;
        wake = null;
        w();
      }
    };
    stream.on("readable", next);
    let error;
    const cleanup = eos(stream, { writable: false }, (err) => {
      error = err ? error || err : null;
      next();
    });
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      const r = stream._readableState;
      if ((error || options.destroyOnReturn !== false) && (error === undefined || (r && r.autoDestroy))) {
        destroyStream(stream, null);
      } else {
        stream.off("readable", next);
        cleanup();
      }
    };
    const step = () =>
      new Promise((resolve, reject) => {
        const attempt = () => {
          if (finished) return resolve({ value: undefined, done: true });
          const chunk = stream.destroyed ? null : stream.read();
          if (chunk !== null) return resolve({ value: chunk, done: false });
          if (error) {
            const e = error;
            finish();
            return reject(e);
          }
          if (error === null) {
            finish();
            return resolve({ value: undefined, done: true });
          }
          wake = attempt;
        };
        attempt();
      });
    let chain = Promise.resolve();
    return {
      next() {
        const p = chain.then(step);
        chain = p.then(nop, nop);
        return p;
      },
      return(value) {
        finish();
        return Promise.resolve({ value, done: true });
      },
      throw(err) {
        error = err;
        finish();
        return Promise.reject(err);
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
  Readable.prototype[Symbol.asyncIterator] = function () {
    return createAsyncIterator(this, {});
  };
  Readable.prototype.iterator = function (options) {
    return createAsyncIterator(this, options || {});
  };
  Readable.prototype.toArray = async function () {
    const out = [];
    const it = createAsyncIterator(this, {});
    for (;;) {
      const { value, done } = await it.next();
      if (done) return out;
      out.push(value);
    }
  };
  Readable.prototype.forEach = async function (fn) {
    const it = createAsyncIterator(this, {});
    for (;;) {
      const { value, done } = await it.next();
      if (done) return;
      await fn(value);
    }
  };
  for (const m of ["map", "filter", "flatMap", "reduce", "some", "every", "find", "take", "drop", "asIndexedPairs", "compose"]) {
    Readable.prototype[m] = function () {
      throw E.unsupported(`Readable.prototype.${m}`);
    };
  }

  const readableProps = {
    readable: {
      get() {
        const r = this._readableState;
        return !!r && r.readable !== false && !r.destroyed && !r.errorEmitted && !r.endEmitted;
      },
      set(v) {
        if (this._readableState) this._readableState.readable = !!v;
      },
    },
    readableDidRead: { get() { return this._readableState.dataEmitted; } },
    readableAborted: {
      get() {
        const r = this._readableState;
        return !!(r.readable !== false && (r.destroyed || r.errored) && !r.endEmitted);
      },
    },
    readableHighWaterMark: { get() { return this._readableState && this._readableState.highWaterMark; } },
    readableBuffer: { get() { return this._readableState && this._readableState.buffer; } },
    readableFlowing: {
      get() { return this._readableState.flowing; },
      set(v) { if (this._readableState) this._readableState.flowing = v; },
    },
    readableLength: { get() { return this._readableState ? this._readableState.length : undefined; } },
    readableObjectMode: { get() { return this._readableState ? this._readableState.objectMode : false; } },
    readableEncoding: { get() { return this._readableState ? this._readableState.encoding : null; } },
    errored: { get() { return this._readableState ? this._readableState.errored : null; } },
    closed: { get() { return this._readableState ? this._readableState.closed : false; } },
    destroyed: {
      get() { return this._readableState ? this._readableState.destroyed : false; },
      set(v) { if (this._readableState) this._readableState.destroyed = v; },
    },
    readableEnded: { get() { return this._readableState ? this._readableState.endEmitted : false; } },
  };
  Object.defineProperties(Readable.prototype, readableProps);

  Readable.from = function (iterable, opts) {
    if (typeof iterable === "string" || iterable instanceof Buffer) {
      let done = false;
      return new Readable({
        objectMode: true,
        ...opts,
        read() {
          if (done) return;
          done = true;
          this.push(iterable);
          this.push(null);
        },
      });
    }
    let iterator;
    let isAsync;
    if (iterable && typeof iterable[Symbol.asyncIterator] === "function") {
      isAsync = true;
      iterator = iterable[Symbol.asyncIterator]();
    } else if (iterable && typeof iterable[Symbol.iterator] === "function") {
      isAsync = false;
      iterator = iterable[Symbol.iterator]();
    } else {
      throw E.argType("iterable", "an Iterable", iterable);
    }
    const readable = new Readable({ objectMode: true, highWaterMark: 1, ...opts });
    let reading = false;
    let isDone = false;
    readable._read = function () {
      if (!reading) {
        reading = true;
        pull();
      }
    };
    readable._destroy = function (error, cb) {
      close(error).then(
        () => nextTick(cb, error),
        (e) => nextTick(cb, e || error),
      );
    };
    async function close(error) {
      if (isDone) return;
      isDone = true;
      if (error != null && typeof iterator.throw === "function") {
        const { value, done } = await iterator.throw(error);
        await value;
        if (done) return;
      }
      if (typeof iterator.return === "function") {
        const { value } = await iterator.return();
        await value;
      }
    }
    async function pull() {
      for (;;) {
        try {
          const { value, done } = isAsync ? await iterator.next() : iterator.next();
          if (done) {
            isDone = true;
            readable.push(null);
          } else {
            const res = value && typeof value.then === "function" ? await value : value;
            if (res === null) {
              reading = false;
              throw E.nullValues();
            } else if (readable.push(res)) {
              continue;
            } else {
              reading = false;
            }
          }
        } catch (err) {
          readable.destroy(err);
        }
        break;
      }
    }
    return readable;
  };

  Readable.fromWeb = function (readableStream, options = {}) {
    if (!isWebReadable(readableStream)) throw E.argType("readableStream", "an instance of ReadableStream", readableStream);
    const reader = readableStream.getReader();
    let closed = false;
    reader.closed.then(
      () => {
        closed = true;
      },
      (err) => {
        closed = true;
        readable.destroy(err);
      },
    );
    const readable = new Readable({
      highWaterMark: options.highWaterMark === undefined ? 1 : options.highWaterMark,
      encoding: options.encoding,
      objectMode: !!options.objectMode,
      signal: options.signal,
      read() {
        reader.read().then(
          ({ value, done }) => {
            if (done) readable.push(null);
            else readable.push(value);
          },
          (err) => readable.destroy(err),
        );
      },
      destroy(error, callback) {
        if (closed) return callback(error);
        reader.cancel(error == null ? undefined : error).then(
          () => callback(error),
          (e) => callback(e || error),
        );
      },
    });
    return readable;
  };

  Readable.toWeb = function (streamReadable, options = {}) {
    const objectMode = streamReadable.readableObjectMode;
    let controller;
    const toChunk = (chunk) =>
      !objectMode && chunk instanceof Uint8Array ? new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength) : chunk;
    streamReadable.pause();
    const cleanup = eos(streamReadable, (err) => {
      cleanup();
      if (err && !(err.code === "ERR_STREAM_PREMATURE_CLOSE" && streamReadable.readableEnded)) {
        try {
          controller.error(err);
        } catch {}
      }
    });
    streamReadable.on("data", (chunk) => {
      controller.enqueue(toChunk(chunk));
      if (controller.desiredSize <= 0) streamReadable.pause();
    });
    streamReadable.once("end", () => {
      try {
        controller.close();
      } catch {}
    });
    const strategy = options.strategy || { highWaterMark: objectMode ? 16 : 65536, size: objectMode ? undefined : (c) => c.byteLength };
    return new ReadableStream(
      {
        start(c) {
          controller = c;
        },
        pull() {
          streamReadable.resume();
        },
        cancel(reason) {
          destroyStream(streamReadable, reason);
        },
      },
      strategy,
    );
  };

  // ---- Writable ----

  class WritableState {
    constructor(options, stream, isDuplex) {
      options = options || {};
      this.objectMode = !!(options.objectMode || (isDuplex && options.writableObjectMode));
      this.highWaterMark = highWaterMarkOf(options, "writableHighWaterMark", isDuplex, this.objectMode);
      this.finalCalled = false;
      this.needDrain = false;
      this.ending = false;
      this.ended = false;
      this.finished = false;
      this.destroyed = false;
      this.decodeStrings = options.decodeStrings !== false;
      this.defaultEncoding = options.defaultEncoding || "utf8";
      this.length = 0;
      this.writing = false;
      this.corked = 0;
      this.sync = true;
      this.bufferProcessing = false;
      this.onwrite = (er) => onwrite(stream, er);
      this.writecb = null;
      this.writelen = 0;
      this.afterWriteTickInfo = null;
      this.buffered = [];
      this.bufferedIndex = 0;
      this.allBuffers = true;
      this.allNoop = true;
      this.pendingcb = 0;
      this.constructed = true;
      this.prefinished = false;
      this.errorEmitted = false;
      this.emitClose = options.emitClose !== false;
      this.autoDestroy = options.autoDestroy !== false;
      this.errored = null;
      this.closed = false;
      this.closeEmitted = false;
      this.onFinished = [];
    }
  }

  const plainInstanceOf = (ctor, obj) => Function.prototype[Symbol.hasInstance].call(ctor, obj);

  function Writable(options) {
    const isDuplex = this instanceof Duplex;
    if (!isDuplex && !plainInstanceOf(Writable, this)) return new Writable(options);
    this._writableState = new WritableState(options, this, isDuplex);
    if (options) {
      if (typeof options.write === "function") this._write = options.write;
      if (typeof options.writev === "function") this._writev = options.writev;
      if (typeof options.destroy === "function") this._destroy = options.destroy;
      if (typeof options.final === "function") this._final = options.final;
      if (typeof options.construct === "function") this._construct = options.construct;
      if (options.signal) addAbortSignal(options.signal, this);
    }
    Stream.call(this, options);
    if (typeof this._construct === "function") {
      construct(this, () => {
        const state = this._writableState;
        if (!state.writing) clearBuffer(this, state);
        finishMaybe(this, state);
      });
    }
  }
  Object.setPrototypeOf(Writable.prototype, Stream.prototype);
  Object.setPrototypeOf(Writable, Stream);
  Writable.WritableState = WritableState;
  // A Duplex is a Writable too, though it inherits from Readable.
  Object.defineProperty(Writable, Symbol.hasInstance, {
    value(object) {
      if (plainInstanceOf(this, object)) return true;
      if (this !== Writable) return false;
      return !!(object && object._writableState instanceof WritableState);
    },
  });

  Writable.prototype.pipe = function () {
    errorOrDestroy(this, coded(Error, "ERR_STREAM_CANNOT_PIPE", "Cannot pipe, not readable"));
  };
  Writable.prototype.destroy = function (err, cb) {
    const state = this._writableState;
    if (!state.destroyed && (state.bufferedIndex < state.buffered.length || state.onFinished.length)) {
      nextTick(errorBuffer, state);
    }
    destroy.call(this, err, cb);
    return this;
  };
  Writable.prototype._undestroy = nop;
  Writable.prototype._destroy = function (err, cb) {
    cb(err);
  };

  function writeChunk(stream, chunk, encoding, cb) {
    const state = stream._writableState;
    if (typeof encoding === "function") {
      cb = encoding;
      encoding = state.defaultEncoding;
    } else {
      if (!encoding) encoding = state.defaultEncoding;
      else if (encoding !== "buffer" && !Buffer.isEncoding(encoding)) throw E.unknownEncoding(encoding);
      if (typeof cb !== "function") cb = nop;
    }
    if (chunk === null) throw E.nullValues();
    if (!state.objectMode) {
      if (typeof chunk === "string") {
        if (state.decodeStrings !== false) {
          chunk = Buffer.from(chunk, encoding);
          encoding = "buffer";
        }
      } else if (chunk instanceof Buffer) {
        encoding = "buffer";
      } else if (chunk instanceof Uint8Array) {
        chunk = toBuffer(chunk);
        encoding = "buffer";
      } else {
        throw E.argType("chunk", "of type string or an instance of Buffer or Uint8Array", chunk);
      }
    }
    let err;
    if (state.ending) err = E.writeAfterEnd();
    else if (state.destroyed) err = E.destroyed("write");
    if (err) {
      nextTick(cb, err);
      errorOrDestroy(stream, err, true);
      return err;
    }
    state.pendingcb++;
    return writeOrBuffer(stream, state, chunk, encoding, cb);
  }
  Writable.prototype.write = function (chunk, encoding, cb) {
    return writeChunk(this, chunk, encoding, cb) === true;
  };
  Writable.prototype.cork = function () {
    this._writableState.corked++;
  };
  Writable.prototype.uncork = function () {
    const state = this._writableState;
    if (state.corked) {
      state.corked--;
      if (!state.writing) clearBuffer(this, state);
    }
  };
  Writable.prototype.setDefaultEncoding = function (encoding) {
    if (typeof encoding === "string") encoding = encoding.toLowerCase();
    if (!Buffer.isEncoding(encoding)) throw E.unknownEncoding(encoding);
    this._writableState.defaultEncoding = encoding;
    return this;
  };

  function writeOrBuffer(stream, state, chunk, encoding, callback) {
    const len = state.objectMode ? 1 : chunk.length;
    state.length += len;
    const ret = state.length < state.highWaterMark;
    if (!ret) state.needDrain = true;
    if (state.writing || state.corked || state.errored || !state.constructed) {
      state.buffered.push({ chunk, encoding, callback });
      if (state.allBuffers && encoding !== "buffer") state.allBuffers = false;
      if (state.allNoop && callback !== nop) state.allNoop = false;
    } else {
      state.writelen = len;
      state.writecb = callback;
      state.writing = true;
      state.sync = true;
      stream._write(chunk, encoding, state.onwrite);
      state.sync = false;
    }
    return ret && !state.errored && !state.destroyed;
  }
  function doWrite(stream, state, writev, len, chunk, encoding, cb) {
    state.writelen = len;
    state.writecb = cb;
    state.writing = true;
    state.sync = true;
    if (state.destroyed) state.onwrite(E.destroyed("write"));
    else if (writev) stream._writev(chunk, state.onwrite);
    else stream._write(chunk, encoding, state.onwrite);
    state.sync = false;
  }
  function onwriteError(stream, state, er, cb) {
    --state.pendingcb;
    cb(er);
    errorBuffer(state);
    errorOrDestroy(stream, er);
  }
  function onwrite(stream, er) {
    const state = stream._writableState;
    const sync = state.sync;
    const cb = state.writecb;
    if (typeof cb !== "function") {
      errorOrDestroy(stream, E.multipleCallback());
      return;
    }
    state.writing = false;
    state.writecb = null;
    state.length -= state.writelen;
    state.writelen = 0;
    if (er) {
      if (!state.errored) state.errored = er;
      if (stream._readableState && !stream._readableState.errored) stream._readableState.errored = er;
      if (sync) nextTick(onwriteError, stream, state, er, cb);
      else onwriteError(stream, state, er, cb);
    } else {
      if (state.buffered.length > state.bufferedIndex) clearBuffer(stream, state);
      if (sync) {
        if (state.afterWriteTickInfo !== null && state.afterWriteTickInfo.cb === cb) {
          state.afterWriteTickInfo.count++;
        } else {
          state.afterWriteTickInfo = { count: 1, cb, stream, state };
          nextTick(afterWriteTick, state.afterWriteTickInfo);
        }
      } else {
        afterWrite(stream, state, 1, cb);
      }
    }
  }
  function afterWriteTick(info) {
    info.state.afterWriteTickInfo = null;
    afterWrite(info.stream, info.state, info.count, info.cb);
  }
  function afterWrite(stream, state, count, cb) {
    const needDrain = !state.ending && !stream.destroyed && state.length === 0 && state.needDrain;
    if (needDrain) {
      state.needDrain = false;
      stream.emit("drain");
    }
    while (count-- > 0) {
      state.pendingcb--;
      cb(null);
    }
    if (state.destroyed) errorBuffer(state);
    finishMaybe(stream, state);
  }
  function errorBuffer(state) {
    if (state.writing) return;
    for (let n = state.bufferedIndex; n < state.buffered.length; ++n) {
      const { chunk, callback } = state.buffered[n];
      state.length -= state.objectMode ? 1 : chunk.length;
      callback(state.errored || E.destroyed("write"));
    }
    for (const cb of state.onFinished.splice(0)) cb(state.errored || E.destroyed("end"));
    resetBuffer(state);
  }
  function resetBuffer(state) {
    state.buffered = [];
    state.bufferedIndex = 0;
    state.allBuffers = true;
    state.allNoop = true;
  }
  function clearBuffer(stream, state) {
    if (state.corked || state.bufferProcessing || state.destroyed || !state.constructed) return;
    const { buffered, bufferedIndex, objectMode } = state;
    const bufferedLength = buffered.length - bufferedIndex;
    if (!bufferedLength) return;
    let i = bufferedIndex;
    state.bufferProcessing = true;
    if (bufferedLength > 1 && stream._writev) {
      state.pendingcb -= bufferedLength - 1;
      const callback = state.allNoop
        ? nop
        : (err) => {
            for (let n = i; n < buffered.length; ++n) buffered[n].callback(err);
          };
      const chunks = buffered.slice(i);
      chunks.allBuffers = state.allBuffers;
      doWrite(stream, state, true, state.length, chunks, "", callback);
      resetBuffer(state);
    } else {
      do {
        const { chunk, encoding, callback } = buffered[i];
        buffered[i++] = null;
        doWrite(stream, state, false, objectMode ? 1 : chunk.length, chunk, encoding, callback);
      } while (i < buffered.length && !state.writing);
      if (i === buffered.length) resetBuffer(state);
      else if (i > 256) {
        buffered.splice(0, i);
        state.bufferedIndex = 0;
      } else state.bufferedIndex = i;
    }
    state.bufferProcessing = false;
  }

  Writable.prototype._write = function (chunk, encoding, cb) {
    if (this._writev) this._writev([{ chunk, encoding }], cb);
    else throw E.notImplemented("_write()");
  };
  Writable.prototype._writev = null;

  Writable.prototype.end = function (chunk, encoding, cb) {
    const state = this._writableState;
    if (typeof chunk === "function") {
      cb = chunk;
      chunk = null;
      encoding = null;
    } else if (typeof encoding === "function") {
      cb = encoding;
      encoding = null;
    }
    let err;
    if (chunk !== null && chunk !== undefined) {
      const ret = writeChunk(this, chunk, encoding);
      if (ret instanceof Error) err = ret;
    }
    if (state.corked) {
      state.corked = 1;
      this.uncork();
    }
    if (err) {
      // already reported
    } else if (!state.errored && !state.ending) {
      state.ending = true;
      finishMaybe(this, state, true);
      state.ended = true;
    } else if (state.finished) {
      err = E.alreadyFinished("end");
    } else if (state.destroyed) {
      err = E.destroyed("end");
    }
    if (typeof cb === "function") {
      if (err) nextTick(cb, err);
      else if (state.finished) nextTick(cb, null);
      else state.onFinished.push(cb);
    }
    return this;
  };

  function needFinish(state) {
    return (
      state.ending &&
      !state.destroyed &&
      state.constructed &&
      state.length === 0 &&
      !state.errored &&
      state.buffered.length === 0 &&
      !state.finished &&
      !state.writing &&
      !state.errorEmitted &&
      !state.closeEmitted
    );
  }
  function callFinal(stream, state) {
    let called = false;
    const onFinish = (err) => {
      if (called) {
        errorOrDestroy(stream, err || E.multipleCallback());
        return;
      }
      called = true;
      state.pendingcb--;
      if (err) {
        for (const cb of state.onFinished.splice(0)) cb(err);
        errorOrDestroy(stream, err, state.sync);
      } else if (needFinish(state)) {
        state.prefinished = true;
        stream.emit("prefinish");
        state.pendingcb++;
        nextTick(finish, stream, state);
      }
    };
    state.sync = true;
    state.pendingcb++;
    try {
      stream._final(onFinish);
    } catch (err) {
      onFinish(err);
    }
    state.sync = false;
  }
  function prefinish(stream, state) {
    if (!state.prefinished && !state.finalCalled) {
      if (typeof stream._final === "function" && !state.destroyed) {
        state.finalCalled = true;
        callFinal(stream, state);
      } else {
        state.prefinished = true;
        stream.emit("prefinish");
      }
    }
  }
  function finishMaybe(stream, state, sync) {
    if (!needFinish(state)) return;
    prefinish(stream, state);
    if (state.pendingcb !== 0) return;
    if (sync) {
      state.pendingcb++;
      nextTick(() => {
        if (needFinish(state)) finish(stream, state);
        else state.pendingcb--;
      });
    } else if (needFinish(state)) {
      state.pendingcb++;
      finish(stream, state);
    }
  }
  function finish(stream, state) {
    state.pendingcb--;
    state.finished = true;
    for (const cb of state.onFinished.splice(0)) cb(null);
    stream.emit("finish");
    if (state.autoDestroy) {
      const r = stream._readableState;
      if (!r || (r.autoDestroy && (r.endEmitted || r.readable === false))) stream.destroy();
    }
  }

  const writableProps = {
    closed: { get() { return this._writableState ? this._writableState.closed : false; } },
    destroyed: {
      get() { return this._writableState ? this._writableState.destroyed : false; },
      set(v) { if (this._writableState) this._writableState.destroyed = v; },
    },
    errored: { get() { return this._writableState ? this._writableState.errored : null; } },
    writable: {
      get() {
        const w = this._writableState;
        return !!w && w.writable !== false && !w.destroyed && !w.errored && !w.ending && !w.ended;
      },
      set(v) {
        if (this._writableState) this._writableState.writable = !!v;
      },
    },
    writableFinished: { get() { return this._writableState ? this._writableState.finished : false; } },
    writableObjectMode: { get() { return this._writableState ? this._writableState.objectMode : false; } },
    writableBuffer: { get() { return this._writableState && this._writableState.buffered.slice(this._writableState.bufferedIndex); } },
    writableEnded: { get() { return this._writableState ? this._writableState.ending : false; } },
    writableNeedDrain: {
      get() {
        const w = this._writableState;
        return !!w && !w.destroyed && !w.ending && w.needDrain;
      },
    },
    writableHighWaterMark: { get() { return this._writableState && this._writableState.highWaterMark; } },
    writableCorked: { get() { return this._writableState ? this._writableState.corked : 0; } },
    writableLength: { get() { return this._writableState && this._writableState.length; } },
    writableAborted: {
      get() {
        const w = this._writableState;
        return !!(w.writable !== false && (w.destroyed || w.errored) && !w.finished);
      },
    },
  };
  Object.defineProperties(Writable.prototype, writableProps);

  Writable.fromWeb = function (writableStream, options = {}) {
    if (!isWebWritable(writableStream)) throw E.argType("writableStream", "an instance of WritableStream", writableStream);
    const writer = writableStream.getWriter();
    let closed = false;
    const writable = new Writable({
      highWaterMark: options.highWaterMark,
      objectMode: options.objectMode,
      decodeStrings: options.decodeStrings,
      signal: options.signal,
      write(chunk, encoding, callback) {
        writer.ready.then(() => writer.write(chunk)).then(() => callback(), callback);
      },
      final(callback) {
        writer.close().then(
          () => {
            closed = true;
            callback();
          },
          callback,
        );
      },
      destroy(error, callback) {
        if (closed || !error) return callback(error);
        writer.abort(error).then(
          () => callback(error),
          () => callback(error),
        );
      },
    });
    writer.closed.then(
      () => {
        closed = true;
      },
      (err) => destroyStream(writable, err),
    );
    return writable;
  };

  Writable.toWeb = function (streamWritable) {
    let pendingDrain = null;
    streamWritable.on("drain", () => {
      if (pendingDrain) {
        const p = pendingDrain;
        pendingDrain = null;
        p();
      }
    });
    let failure = null;
    let controller;
    const cleanup = eos(streamWritable, (err) => {
      cleanup();
      if (err) {
        failure = err;
        try {
          controller.error(err);
        } catch {}
      }
    });
    return new WritableStream({
      start(c) {
        controller = c;
      },
      write(chunk) {
        if (failure) throw failure;
        if (streamWritable.write(chunk)) return;
        return new Promise((resolve) => {
          pendingDrain = resolve;
        });
      },
      close() {
        return new Promise((resolve, reject) => {
          finished(streamWritable, { readable: false }, (err) => (err ? reject(err) : resolve()));
          streamWritable.end();
        });
      },
      abort(reason) {
        destroyStream(streamWritable, reason);
      },
    });
  };

  // ---- Duplex, Transform, PassThrough ----

  function Duplex(options) {
    if (!(this instanceof Duplex)) return new Duplex(options);
    this._readableState = new ReadableState(options, this, true);
    this._writableState = new WritableState(options, this, true);
    if (options) {
      this.allowHalfOpen = options.allowHalfOpen !== false;
      if (options.readable === false) {
        this._readableState.readable = false;
        this._readableState.ended = true;
        this._readableState.endEmitted = true;
      }
      if (options.writable === false) {
        this._writableState.writable = false;
        this._writableState.ending = true;
        this._writableState.ended = true;
        this._writableState.finished = true;
      }
      if (typeof options.read === "function") this._read = options.read;
      if (typeof options.write === "function") this._write = options.write;
      if (typeof options.writev === "function") this._writev = options.writev;
      if (typeof options.destroy === "function") this._destroy = options.destroy;
      if (typeof options.final === "function") this._final = options.final;
      if (typeof options.construct === "function") this._construct = options.construct;
      if (options.signal) addAbortSignal(options.signal, this);
    } else {
      this.allowHalfOpen = true;
    }
    Stream.call(this, options);
    if (typeof this._construct === "function") {
      construct(this, () => {
        const r = this._readableState;
        const w = this._writableState;
        if (r.needReadable) maybeReadMore(this, r);
        if (!w.writing) clearBuffer(this, w);
        finishMaybe(this, w);
      });
    }
  }
  Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
  Object.setPrototypeOf(Duplex, Readable);
  for (const key of Object.getOwnPropertyNames(Writable.prototype)) {
    if (key === "constructor" || Object.prototype.hasOwnProperty.call(Duplex.prototype, key)) continue;
    if (Object.prototype.hasOwnProperty.call(Readable.prototype, key) && key !== "destroy") continue;
    Object.defineProperty(Duplex.prototype, key, Object.getOwnPropertyDescriptor(Writable.prototype, key));
  }
  Object.defineProperties(Duplex.prototype, {
    destroyed: {
      get() {
        return !!(this._readableState && this._writableState && this._readableState.destroyed && this._writableState.destroyed);
      },
      set(v) {
        if (this._readableState && this._writableState) {
          this._readableState.destroyed = v;
          this._writableState.destroyed = v;
        }
      },
    },
  });
  Duplex.from = function () {
    throw E.unsupported("Duplex.from");
  };
  Duplex.fromWeb = function () {
    throw E.unsupported("Duplex.fromWeb");
  };
  Duplex.toWeb = function () {
    throw E.unsupported("Duplex.toWeb");
  };

  const kCallback = Symbol("kCallback");
  function Transform(options) {
    if (!(this instanceof Transform)) return new Transform(options);
    Duplex.call(this, options);
    this._readableState.sync = false;
    this[kCallback] = null;
    if (options) {
      if (typeof options.transform === "function") this._transform = options.transform;
      if (typeof options.flush === "function") this._flush = options.flush;
    }
    this.on("prefinish", transformPrefinish);
  }
  Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
  Object.setPrototypeOf(Transform, Duplex);
  function transformFinal(cb) {
    if (typeof this._flush === "function" && !this.destroyed) {
      this._flush((er, data) => {
        if (er) {
          if (cb) cb(er);
          else this.destroy(er);
          return;
        }
        if (data != null) this.push(data);
        this.push(null);
        if (cb) cb();
      });
    } else {
      this.push(null);
      if (cb) cb();
    }
  }
  function transformPrefinish() {
    if (this._final !== transformFinal) transformFinal.call(this);
  }
  Transform.prototype._final = transformFinal;
  Transform.prototype._transform = function () {
    throw E.notImplemented("_transform()");
  };
  Transform.prototype._write = function (chunk, encoding, callback) {
    const r = this._readableState;
    const w = this._writableState;
    const length = r.length;
    this._transform(chunk, encoding, (err, val) => {
      if (err) {
        callback(err);
        return;
      }
      if (val != null) this.push(val);
      if (r.ended) nextTick(callback);
      else if (w.ended || length === r.length || r.length < r.highWaterMark) callback();
      else this[kCallback] = callback;
    });
  };
  Transform.prototype._read = function () {
    if (this[kCallback]) {
      const cb = this[kCallback];
      this[kCallback] = null;
      cb();
    }
  };

  function PassThrough(options) {
    if (!(this instanceof PassThrough)) return new PassThrough(options);
    Transform.call(this, options);
  }
  Object.setPrototypeOf(PassThrough.prototype, Transform.prototype);
  Object.setPrototypeOf(PassThrough, Transform);
  PassThrough.prototype._transform = function (chunk, encoding, cb) {
    cb(null, chunk);
  };

  // ---- predicates ----

  const isNodeStream = (obj) =>
    !!obj && (obj._readableState || obj._writableState || (typeof obj.write === "function" && typeof obj.on === "function") || (typeof obj.pipe === "function" && typeof obj.on === "function"));
  const isReadableNodeStream = (obj) =>
    !!obj && typeof obj.pipe === "function" && typeof obj.on === "function" && (!obj._writableState || (obj._readableState && obj._readableState.readable !== false));
  const isWritableNodeStream = (obj) =>
    !!obj && typeof obj.write === "function" && typeof obj.on === "function" && (!obj._readableState || (obj._writableState && obj._writableState.writable !== false));
  const isWebReadable = (obj) => typeof ReadableStream === "function" && obj instanceof ReadableStream;
  const isWebWritable = (obj) => typeof WritableStream === "function" && obj instanceof WritableStream;
  const isIterable = (obj, isAsync) =>
    obj != null && (typeof obj[Symbol.asyncIterator] === "function" || (!isAsync && typeof obj[Symbol.iterator] === "function"));
  const isDestroyed = (stream) => {
    const [r, w] = states(stream);
    return !!(stream.destroyed || (w && w.destroyed) || (r && r.destroyed));
  };
  const isWritableFinished = (stream, strict) => {
    const w = stream._writableState;
    if (!w || w.errored) return false;
    return !!(w.finished || (strict === false && w.ended === true && w.length === 0));
  };
  const isReadableFinished = (stream, strict) => {
    const r = stream._readableState;
    if (!r || r.errored) return false;
    return !!(r.endEmitted || (strict === false && r.ended === true && r.length === 0));
  };
  const isReadable = (stream) => {
    if (stream && stream._readableState) return !!stream.readable && !isReadableFinished(stream, false) && !isDestroyed(stream);
    return isWebReadable(stream) ? !stream.locked : null;
  };
  const isErrored = (stream) => !!(stream && (stream.errored || (stream._readableState && stream._readableState.errored) || (stream._writableState && stream._writableState.errored)));
  const isDisturbed = (stream) => !!(stream && (stream.readableDidRead || stream.readableAborted || stream.disturbed));

  // ---- finished ----

  function eos(stream, options, callback) {
    if (typeof options === "function") {
      callback = options;
      options = {};
    } else if (options == null) {
      options = {};
    }
    if (typeof callback !== "function") throw E.argType("callback", "of type function", callback);
    if (!isNodeStream(stream)) throw E.argType("stream", "an instance of Stream", stream);
    callback = onceFn(callback);
    const readable = options.readable != null ? options.readable : isReadableNodeStream(stream);
    const writable = options.writable != null ? options.writable : isWritableNodeStream(stream);
    const w = stream._writableState;
    const r = stream._readableState;
    let willEmitClose =
      (w && w.autoDestroy && w.emitClose && w.closed === false) || (r && r.autoDestroy && r.emitClose && r.closed === false);
    let writableFinished = isWritableFinished(stream, false);
    let readableFinished = isReadableFinished(stream, false);
    const onfinish = () => {
      writableFinished = true;
      if (stream.destroyed) willEmitClose = false;
      if (willEmitClose && (!stream.readable || readable)) return;
      if (!readable || readableFinished) callback.call(stream);
    };
    const onend = () => {
      readableFinished = true;
      if (stream.destroyed) willEmitClose = false;
      if (willEmitClose && (!stream.writable || writable)) return;
      if (!writable || writableFinished) callback.call(stream);
    };
    const onerror = (err) => callback.call(stream, err);
    let closed = !!((w && w.closed) || (r && r.closed));
    const erroredOf = () => (w && w.errored) || (r && r.errored);
    const onclose = () => {
      closed = true;
      const errored = erroredOf();
      if (errored && typeof errored !== "boolean") return callback.call(stream, errored);
      if (readable && !readableFinished && isReadableNodeStream(stream) && !isReadableFinished(stream, false)) {
        return callback.call(stream, E.prematureClose());
      }
      if (writable && !writableFinished && !isWritableFinished(stream, false)) {
        return callback.call(stream, E.prematureClose());
      }
      callback.call(stream);
    };
    const onclosed = () => {
      closed = true;
      const errored = erroredOf();
      if (errored && typeof errored !== "boolean") return callback.call(stream, errored);
      callback.call(stream);
    };
    stream.on("end", onend);
    stream.on("finish", onfinish);
    if (options.error !== false) stream.on("error", onerror);
    stream.on("close", onclose);
    if (closed) {
      nextTick(onclose);
    } else if ((w && w.errorEmitted) || (r && r.errorEmitted)) {
      if (!willEmitClose) nextTick(onclosed);
    } else if (!readable && (!willEmitClose || stream.readable) && writableFinished) {
      nextTick(onclosed);
    } else if (!writable && (!willEmitClose || stream.writable) && readableFinished) {
      nextTick(onclosed);
    }
    const cleanup = () => {
      callback = nop;
      stream.removeListener("end", onend);
      stream.removeListener("finish", onfinish);
      stream.removeListener("error", onerror);
      stream.removeListener("close", onclose);
    };
    const signal = options.signal;
    if (signal && !closed) {
      const abort = () => {
        const endCallback = callback;
        cleanup();
        endCallback.call(stream, new AbortError(undefined, { cause: signal.reason }));
      };
      if (signal.aborted) {
        nextTick(abort);
      } else {
        signal.addEventListener("abort", abort);
        const original = callback;
        callback = onceFn((...args) => {
          signal.removeEventListener("abort", abort);
          original.apply(stream, args);
        });
      }
    }
    return cleanup;
  }
  const finished = eos;
  finished[Symbol.for("nodejs.util.promisify.custom")] = (stream, opts) =>
    new Promise((resolve, reject) => eos(stream, opts, (err) => (err ? reject(err) : resolve())));

  function addAbortSignal(signal, stream) {
    if (!signal || typeof signal.aborted !== "boolean") throw E.argType("signal", "an instance of AbortSignal", signal);
    if (!isNodeStream(stream) && !isWebReadable(stream)) throw E.argType("stream", "an instance of Stream", stream);
    const onAbort = () => destroyStream(stream, new AbortError(undefined, { cause: signal.reason }));
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener("abort", onAbort);
      if (isNodeStream(stream)) eos(stream, () => signal.removeEventListener("abort", onAbort));
    }
    return stream;
  }

  // ---- pipeline ----

  function pipelineImpl(streams, callback, opts) {
    if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
    if (streams.length < 2) throw E.missingArgs("streams");
    const ac = new AbortController();
    const signal = ac.signal;
    const outerSignal = opts && opts.signal;
    const abort = () => finishImpl(new AbortError(undefined, { cause: outerSignal && outerSignal.reason }), true);
    if (outerSignal) {
      if (outerSignal.aborted) nextTick(abort);
      else outerSignal.addEventListener("abort", abort);
    }
    let error;
    let value;
    const destroys = [];
    let finishCount = 0;
    let done = false;
    const finish = (err) => finishImpl(err, --finishCount === 0);
    function finishImpl(err, final) {
      if (err && (!error || error.code === "ERR_STREAM_PREMATURE_CLOSE")) error = err;
      if (!error && !final) return;
      while (destroys.length) destroys.shift()(error);
      if (outerSignal) outerSignal.removeEventListener("abort", abort);
      ac.abort();
      if (final && !done) {
        done = true;
        nextTick(callback, error, value);
      }
    }
    const destroyer = (stream, reading, writing) => {
      let isFinished = false;
      stream.on("close", () => {
        isFinished = true;
      });
      eos(stream, { readable: reading, writable: writing }, (err) => {
        isFinished = !err;
      });
      return (err) => {
        if (isFinished) return;
        isFinished = true;
        destroyStream(stream, err || E.destroyed("pipe"));
      };
    };
    let ret;
    for (let i = 0; i < streams.length; i++) {
      let stream = streams[i];
      const reading = i < streams.length - 1;
      const writing = i > 0;
      const end = reading || !opts || opts.end !== false;
      if (isWebReadable(stream) && i === 0) stream = Readable.fromWeb(stream);
      else if (isWebWritable(stream) && !reading) stream = Writable.fromWeb(stream);
      if (isNodeStream(stream)) {
        stream.on("error", (err) => {
          if (err && err.name !== "AbortError" && err.code !== "ERR_STREAM_PREMATURE_CLOSE") finish(err);
        });
        if (reading || writing) destroys.push(destroyer(stream, reading, writing));
      }
      if (i === 0) {
        if (typeof stream === "function") {
          ret = stream({ signal });
          if (!isIterable(ret)) throw E.returnValue("Iterable, AsyncIterable or Stream", "source", ret);
        } else if (isIterable(stream) || isReadableNodeStream(stream)) {
          ret = stream;
        } else {
          throw E.argType("source", "a Stream, Iterable, AsyncIterable or Function", stream);
        }
      } else if (typeof stream === "function") {
        ret = stream(ret, { signal });
        if (reading) {
          if (!isIterable(ret, true)) throw E.returnValue("AsyncIterable", `transform[${i - 1}]`, ret);
        } else {
          const pt = new PassThrough({ objectMode: true });
          if (ret && typeof ret.then === "function") {
            finishCount++;
            ret.then(
              (val) => {
                value = val;
                if (val != null) pt.write(val);
                if (end) pt.end();
                nextTick(finish);
              },
              (err) => {
                pt.destroy(err);
                nextTick(finish, err);
              },
            );
          } else if (isIterable(ret, true)) {
            finishCount++;
            pumpToNode(ret, pt, finish, end);
          } else {
            throw E.returnValue("AsyncIterable or Promise", "destination", ret);
          }
          ret = pt;
          destroys.push(destroyer(ret, false, true));
        }
      } else if (isNodeStream(stream)) {
        if (isReadableNodeStream(ret)) {
          finishCount += 2;
          pipe(ret, stream, finish, end);
        } else if (isIterable(ret)) {
          finishCount++;
          pumpToNode(ret, stream, finish, end);
        } else {
          throw E.argType("val", "a Readable, Iterable or AsyncIterable", ret);
        }
        ret = stream;
      } else {
        throw E.argType(`streams[${i}]`, "a Stream, Function or web stream", stream);
      }
    }
    if (finishCount === 0) nextTick(finish);
    return ret;
  }

  // pipe pipes src into dst; finish is called once for each side.
  function pipe(src, dst, finish, end) {
    let ended = false;
    const finishDst = onceFn(finish);
    const finishSrc = onceFn(finish);
    dst.on("close", () => {
      if (!ended) finishDst(E.prematureClose());
    });
    src.pipe(dst, { end: false });
    if (end) {
      const endFn = () => {
        ended = true;
        dst.end();
      };
      if (isReadableFinished(src)) nextTick(endFn);
      else src.once("end", endFn);
      eos(dst, { readable: false, writable: true }, finishDst);
    } else {
      ended = true;
      finishDst();
    }
    eos(src, { readable: true, writable: false }, (err) => {
      const r = src._readableState;
      if (err && err.code === "ERR_STREAM_PREMATURE_CLOSE" && r && r.ended && !r.errored && !r.errorEmitted) {
        src.once("end", () => finishSrc()).once("error", finishSrc);
      } else {
        finishSrc(err);
      }
    });
  }

  // pumpToNode writes what an iterable yields into a writable, waiting for
  // 'drain' when write() says so.
  async function pumpToNode(iterable, writable, finish, end) {
    let error;
    let onresolve = null;
    const resume = (err) => {
      if (err) error = err;
      if (onresolve) {
        const cb = onresolve;
        onresolve = null;
        cb();
      }
    };
    const wait = () =>
      new Promise((resolve, reject) => {
        if (error) reject(error);
        else
          onresolve = () => {
            if (error) reject(error);
            else resolve();
          };
      });
    writable.on("drain", resume);
    const cleanup = eos(writable, { readable: false }, resume);
    try {
      if (writable.writableNeedDrain) await wait();
      const it = typeof iterable[Symbol.asyncIterator] === "function" ? iterable[Symbol.asyncIterator]() : iterable[Symbol.iterator]();
      for (;;) {
        const { value, done } = await it.next();
        if (done) break;
        if (!writable.write(value)) await wait();
      }
      if (end) {
        writable.end();
        await wait();
      }
      finish();
    } catch (err) {
      finish(error !== err && error ? error : err);
    } finally {
      cleanup();
      writable.off("drain", resume);
    }
  }

  function pipeline(...streams) {
    const callback = streams.pop();
    if (typeof callback !== "function") throw E.argType("streams[stream.length - 1]", "of type function", callback);
    return pipelineImpl(streams, onceFn(callback));
  }

  const isOptions = (v) =>
    v && typeof v === "object" && !isNodeStream(v) && !isIterable(v) && !isWebReadable(v) && !isWebWritable(v);
  const promises = {
    pipeline(...streams) {
      return new Promise((resolve, reject) => {
        const opts = isOptions(streams[streams.length - 1]) ? streams.pop() : undefined;
        pipelineImpl(streams, (err, value) => (err ? reject(err) : resolve(value)), opts);
      });
    },
    finished(stream, opts) {
      return new Promise((resolve, reject) => eos(stream, opts, (err) => (err ? reject(err) : resolve())));
    },
  };
  pipeline[Symbol.for("nodejs.util.promisify.custom")] = promises.pipeline;

  const compose = () => {
    throw E.unsupported("compose");
  };

  Object.assign(Stream, {
    Stream,
    Readable,
    Writable,
    Duplex,
    Transform,
    PassThrough,
    pipeline,
    finished,
    addAbortSignal,
    compose,
    promises,
    isReadable,
    isErrored,
    isDisturbed,
    getDefaultHighWaterMark,
    setDefaultHighWaterMark,
    destroy: destroyStream,
    _isUint8Array: (v) => v instanceof Uint8Array,
    _uint8ArrayToBuffer: toBuffer,
  });
  return Stream;
});
