// node:timers and node:timers/promises over the runtime's timer globals.
// Evaluated once per runtime.
(function () {
  "use strict";
  const g = globalThis;
  const { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate } = g;

  const abortError = (signal) => {
    const e = new Error("The operation was aborted", { cause: signal && signal.reason });
    e.name = "AbortError";
    e.code = "ABORT_ERR";
    return e;
  };
  const checkOptions = (options) => {
    if (options === undefined) return {};
    if (options === null || typeof options !== "object") {
      const e = new TypeError(`The "options" argument must be of type object. Received ${options === null ? "null" : typeof options}`);
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
    if (options.signal !== undefined && (options.signal === null || typeof options.signal.aborted !== "boolean")) {
      const e = new TypeError('The "options.signal" property must be an instance of AbortSignal');
      e.code = "ERR_INVALID_ARG_TYPE";
      throw e;
    }
    return options;
  };

  // later settles with value when schedule fires, or rejects on abort.
  const later = (schedule, cancel, value, options) => {
    let signal;
    try {
      ({ signal } = checkOptions(options));
    } catch (e) {
      return Promise.reject(e);
    }
    if (signal && signal.aborted) return Promise.reject(abortError(signal));
    return new Promise((resolve, reject) => {
      let handle;
      const onAbort = () => {
        cancel(handle);
        reject(abortError(signal));
      };
      handle = schedule(() => {
        if (signal) signal.removeEventListener("abort", onAbort);
        resolve(value);
      });
      if (options && options.ref === false && handle && typeof handle.unref === "function") handle.unref();
      if (signal) signal.addEventListener("abort", onAbort, { once: true });
    });
  };

  const promises = {
    setTimeout: (delay, value, options) => later((fn) => setTimeout(fn, delay), clearTimeout, value, options),
    setImmediate: (value, options) => later((fn) => setImmediate(fn), clearImmediate, value, options),
    setInterval(delay, value, options) {
      const { signal } = checkOptions(options);
      let ticks = 0;
      let done = false;
      const waiters = [];
      let handle = null;
      const stop = () => {
        done = true;
        if (handle !== null) clearInterval(handle);
        if (signal) signal.removeEventListener("abort", onAbort);
      };
      const onAbort = () => {
        stop();
        for (const w of waiters.splice(0)) w.reject(abortError(signal));
      };
      if (signal && !signal.aborted) signal.addEventListener("abort", onAbort, { once: true });
      const start = () => {
        if (handle === null && !done) {
          handle = setInterval(() => {
            if (waiters.length) waiters.shift().resolve({ value, done: false });
            else ticks++;
          }, delay);
        }
      };
      return {
        next() {
          if (signal && signal.aborted) {
            stop();
            return Promise.reject(abortError(signal));
          }
          if (done) return Promise.resolve({ value: undefined, done: true });
          start();
          if (ticks > 0) {
            ticks--;
            return Promise.resolve({ value, done: false });
          }
          return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
        },
        return() {
          stop();
          for (const w of waiters.splice(0)) w.resolve({ value: undefined, done: true });
          return Promise.resolve({ value: undefined, done: true });
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
    },
  };
  promises.scheduler = {
    wait: (delay, options) => promises.setTimeout(delay, undefined, options),
    yield: () => promises.setImmediate(),
  };

  return { setTimeout, clearTimeout, setInterval, clearInterval, setImmediate, clearImmediate, promises };
});
