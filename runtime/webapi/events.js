// Event, EventTarget, CustomEvent, DOMException, AbortController and
// AbortSignal. Evaluated once per runtime with the native setTimeout: the
// global as the runtime made it, which AbortSignal.timeout keeps using
// when a test fakes the global timers (as Node's does).
(function (native) {
  "use strict";

  const DOM_CODES = {
    IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
    NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
    SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
    TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
    QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
  };

  class DOMException extends Error {
    #name;
    constructor(message = "", options = "Error") {
      const opts = typeof options === "object" && options !== null ? options : { name: options };
      super(String(message), "cause" in opts ? { cause: opts.cause } : undefined);
      this.#name = opts.name === undefined ? "Error" : String(opts.name);
    }
    get name() {
      return this.#name;
    }
    get code() {
      return DOM_CODES[this.#name] || 0;
    }
  }
  for (const [name, code] of Object.entries(DOM_CODES)) {
    const constant = name.replace(/Error$/, "").replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase() + "_ERR";
    Object.defineProperty(DOMException, constant, { value: code, enumerable: true });
  }

  class Event {
    #type;
    #bubbles;
    #cancelable;
    #composed;
    #defaultPrevented = false;
    #stop = false;
    #timeStamp = Date.now();
    _target = null;

    constructor(type, init = {}) {
      if (arguments.length === 0) throw new TypeError("Event: the type argument is required");
      this.#type = String(type);
      this.#bubbles = !!init.bubbles;
      this.#cancelable = !!init.cancelable;
      this.#composed = !!init.composed;
    }
    get type() {
      return this.#type;
    }
    get bubbles() {
      return this.#bubbles;
    }
    get cancelable() {
      return this.#cancelable;
    }
    get composed() {
      return this.#composed;
    }
    get defaultPrevented() {
      return this.#defaultPrevented;
    }
    get timeStamp() {
      return this.#timeStamp;
    }
    get target() {
      return this._target;
    }
    get currentTarget() {
      return this._target;
    }
    get srcElement() {
      return this._target;
    }
    get eventPhase() {
      return this._target ? 2 : 0;
    }
    get isTrusted() {
      return false;
    }
    get returnValue() {
      return !this.#defaultPrevented;
    }
    get cancelBubble() {
      return this.#stop;
    }
    set cancelBubble(v) {
      if (v) this.#stop = true;
    }
    composedPath() {
      return this._target ? [this._target] : [];
    }
    preventDefault() {
      if (this.#cancelable) this.#defaultPrevented = true;
    }
    stopPropagation() {
      this.#stop = true;
    }
    stopImmediatePropagation() {
      this.#stop = true;
      this._stopImmediate = true;
    }
    get [Symbol.toStringTag]() {
      return "Event";
    }
  }

  class CustomEvent extends Event {
    #detail;
    constructor(type, init = {}) {
      super(type, init);
      this.#detail = init.detail === undefined ? null : init.detail;
    }
    get detail() {
      return this.#detail;
    }
  }

  class EventTarget {
    #listeners = new Map(); // type -> [{ callback, once, signal }]

    addEventListener(type, callback, options) {
      if (callback == null) return;
      const opts = typeof options === "boolean" ? { capture: options } : options || {};
      if (opts.signal && opts.signal.aborted) return;
      type = String(type);
      let list = this.#listeners.get(type);
      if (!list) this.#listeners.set(type, (list = []));
      if (list.some((l) => l.callback === callback)) return;
      const entry = { callback, once: !!opts.once };
      list.push(entry);
      if (opts.signal) opts.signal.addEventListener("abort", () => this.removeEventListener(type, callback));
    }
    removeEventListener(type, callback) {
      const list = this.#listeners.get(String(type));
      if (!list) return;
      const i = list.findIndex((l) => l.callback === callback);
      if (i >= 0) list.splice(i, 1);
    }
    dispatchEvent(event) {
      if (!(event instanceof Event)) throw new TypeError("dispatchEvent: the argument must be an Event");
      event._target = this;
      const list = this.#listeners.get(event.type);
      if (list) {
        for (const l of list.slice()) {
          if (l.once) this.removeEventListener(event.type, l.callback);
          try {
            if (typeof l.callback === "function") l.callback.call(this, event);
            else l.callback.handleEvent(event);
          } catch (err) {
            reportError(err);
          }
          if (event._stopImmediate) break;
        }
      }
      return !event.defaultPrevented;
    }
    get [Symbol.toStringTag]() {
      return "EventTarget";
    }
  }

  // reportError surfaces a listener's exception without stopping dispatch,
  // as an uncaught error of a later task.
  const reportError = (err) => {
    Promise.reject(err);
  };

  const abortReason = () => new DOMException("This operation was aborted", "AbortError");

  class AbortSignal extends EventTarget {
    #aborted = false;
    #reason = undefined;
    onabort = null;

    constructor(key) {
      super();
      if (key !== internal) throw new TypeError("Illegal constructor");
    }
    get aborted() {
      return this.#aborted;
    }
    get reason() {
      return this.#reason;
    }
    throwIfAborted() {
      if (this.#aborted) throw this.#reason;
    }
    _abort(reason) {
      if (this.#aborted) return;
      this.#aborted = true;
      this.#reason = reason === undefined ? abortReason() : reason;
      const event = new Event("abort");
      if (typeof this.onabort === "function") {
        try {
          this.onabort.call(this, event);
        } catch (err) {
          reportError(err);
        }
      }
      this.dispatchEvent(event);
    }
    static abort(reason) {
      const s = new AbortSignal(internal);
      s._abort(reason);
      return s;
    }
    static timeout(ms) {
      const s = new AbortSignal(internal);
      native.setTimeout(() => s._abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), ms);
      return s;
    }
    static any(signals) {
      const s = new AbortSignal(internal);
      for (const sig of signals) {
        if (sig.aborted) {
          s._abort(sig.reason);
          return s;
        }
      }
      for (const sig of signals) sig.addEventListener("abort", () => s._abort(sig.reason), { once: true });
      return s;
    }
    get [Symbol.toStringTag]() {
      return "AbortSignal";
    }
  }
  const internal = Symbol("internal");

  class AbortController {
    #signal = new AbortSignal(internal);
    get signal() {
      return this.#signal;
    }
    abort(reason) {
      this.#signal._abort(reason);
    }
    get [Symbol.toStringTag]() {
      return "AbortController";
    }
  }

  return { DOMException, Event, CustomEvent, EventTarget, AbortSignal, AbortController };
});
