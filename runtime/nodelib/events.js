// node:events: EventEmitter and its helpers. Evaluated once per runtime.
(function () {
  "use strict";

  const kCapture = Symbol("kCapture");
  const errorMonitor = Symbol("events.errorMonitor");
  let defaultMaxListeners = 10;

  function EventEmitter(opts) {
    EventEmitter.init.call(this, opts);
  }
  EventEmitter.prototype._events = undefined;
  EventEmitter.prototype._maxListeners = undefined;
  EventEmitter.init = function (opts) {
    if (this._events === undefined || this._events === Object.getPrototypeOf(this)._events) {
      this._events = Object.create(null);
    }
    this._maxListeners = this._maxListeners || undefined;
    this[kCapture] = !!(opts && opts.captureRejections);
  };

  const checkListener = (listener) => {
    if (typeof listener !== "function") {
      throw new TypeError(`The "listener" argument must be of type function. Received ${listener === null ? "null" : typeof listener}`);
    }
  };

  function addListener(target, type, listener, prepend) {
    checkListener(listener);
    let events = target._events;
    if (events === undefined) events = target._events = Object.create(null);
    else if (events.newListener !== undefined) {
      target.emit("newListener", type, listener.listener ? listener.listener : listener);
      events = target._events;
    }
    const existing = events[type];
    if (existing === undefined) events[type] = listener;
    else if (typeof existing === "function") events[type] = prepend ? [listener, existing] : [existing, listener];
    else if (prepend) existing.unshift(listener);
    else existing.push(listener);
    return target;
  }

  function onceWrapper(...args) {
    if (!this.fired) {
      this.target.removeListener(this.type, this.wrapFn);
      this.fired = true;
      return this.listener.apply(this.target, args);
    }
  }
  function onceWrap(target, type, listener) {
    const state = { fired: false, wrapFn: undefined, target, type, listener };
    const wrapped = onceWrapper.bind(state);
    wrapped.listener = listener;
    state.wrapFn = wrapped;
    return wrapped;
  }

  Object.assign(EventEmitter.prototype, {
    setMaxListeners(n) {
      this._maxListeners = n;
      return this;
    },
    getMaxListeners() {
      return this._maxListeners === undefined ? defaultMaxListeners : this._maxListeners;
    },
    emit(type, ...args) {
      const events = this._events;
      if (type === "error" && events !== undefined && events[errorMonitor] !== undefined) {
        this.emit(errorMonitor, ...args);
      }
      const handler = events === undefined ? undefined : events[type];
      if (handler === undefined) {
        if (type === "error") {
          const er = args[0];
          if (er instanceof Error) throw er;
          const err = new Error(`Unhandled error. (${String(er)})`);
          err.context = er;
          throw err;
        }
        return false;
      }
      if (typeof handler === "function") {
        handler.apply(this, args);
      } else {
        for (const l of handler.slice()) l.apply(this, args);
      }
      return true;
    },
    addListener(type, listener) {
      return addListener(this, type, listener, false);
    },
    prependListener(type, listener) {
      return addListener(this, type, listener, true);
    },
    once(type, listener) {
      checkListener(listener);
      return this.on(type, onceWrap(this, type, listener));
    },
    prependOnceListener(type, listener) {
      checkListener(listener);
      return this.prependListener(type, onceWrap(this, type, listener));
    },
    removeListener(type, listener) {
      checkListener(listener);
      const events = this._events;
      if (events === undefined) return this;
      const list = events[type];
      if (list === undefined) return this;
      if (list === listener || list.listener === listener) {
        delete events[type];
        if (events.removeListener) this.emit("removeListener", type, list.listener || listener);
      } else if (typeof list !== "function") {
        for (let i = list.length - 1; i >= 0; i--) {
          if (list[i] === listener || list[i].listener === listener) {
            list.splice(i, 1);
            if (list.length === 1) events[type] = list[0];
            if (events.removeListener !== undefined) this.emit("removeListener", type, listener);
            break;
          }
        }
      }
      return this;
    },
    removeAllListeners(type) {
      if (this._events === undefined) return this;
      if (type === undefined) this._events = Object.create(null);
      else delete this._events[type];
      return this;
    },
    listeners(type) {
      return this.rawListeners(type).map((l) => l.listener || l);
    },
    rawListeners(type) {
      const l = this._events === undefined ? undefined : this._events[type];
      if (l === undefined) return [];
      return typeof l === "function" ? [l] : l.slice();
    },
    listenerCount(type) {
      return this.rawListeners(type).length;
    },
    eventNames() {
      return this._events === undefined ? [] : Reflect.ownKeys(this._events);
    },
  });
  EventEmitter.prototype.on = EventEmitter.prototype.addListener;
  EventEmitter.prototype.off = EventEmitter.prototype.removeListener;

  function once(emitter, name, options = {}) {
    return new Promise((resolve, reject) => {
      const signal = options.signal;
      if (signal && signal.aborted) return reject(signal.reason);
      if (typeof emitter.addEventListener === "function" && typeof emitter.on !== "function") {
        emitter.addEventListener(name, (...args) => resolve(args), { once: true, signal });
        return;
      }
      const onError = (err) => {
        emitter.removeListener(name, onEvent);
        reject(err);
      };
      const onEvent = (...args) => {
        if (name !== "error") emitter.removeListener("error", onError);
        resolve(args);
      };
      emitter.once(name, onEvent);
      if (name !== "error") emitter.once("error", onError);
    });
  }

  function on(emitter, name) {
    const queue = [];
    const waiting = [];
    let error = null;
    const onEvent = (...args) => {
      const w = waiting.shift();
      if (w) w.resolve({ value: args, done: false });
      else queue.push(args);
    };
    const onError = (err) => {
      error = err;
      const w = waiting.shift();
      if (w) w.reject(err);
    };
    emitter.on(name, onEvent);
    if (name !== "error") emitter.on("error", onError);
    return {
      next() {
        if (queue.length) return Promise.resolve({ value: queue.shift(), done: false });
        if (error) return Promise.reject(error);
        return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
      },
      return() {
        emitter.removeListener(name, onEvent);
        emitter.removeListener("error", onError);
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  Object.defineProperty(EventEmitter, "defaultMaxListeners", {
    get: () => defaultMaxListeners,
    set: (n) => void (defaultMaxListeners = n),
    enumerable: true,
  });
  EventEmitter.EventEmitter = EventEmitter;
  EventEmitter.once = once;
  EventEmitter.on = on;
  EventEmitter.errorMonitor = errorMonitor;
  EventEmitter.captureRejectionSymbol = Symbol.for("nodejs.rejection");
  EventEmitter.getEventListeners = (emitter, name) =>
    typeof emitter.listeners === "function" ? emitter.listeners(name) : [];
  EventEmitter.setMaxListeners = (n, ...targets) => {
    if (targets.length === 0) defaultMaxListeners = n;
    for (const t of targets) if (typeof t.setMaxListeners === "function") t.setMaxListeners(n);
  };
  EventEmitter.listenerCount = (emitter, name) => emitter.listenerCount(name);
  return EventEmitter;
});
