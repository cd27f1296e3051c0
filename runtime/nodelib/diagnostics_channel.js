// node:diagnostics_channel: named channels that publishers publish
// messages to and subscribers subscribe to, plus tracing channels.
// Evaluated once per runtime.
(function () {
  "use strict";

  const typeError = (message) => {
    const e = new TypeError(message);
    e.code = "ERR_INVALID_ARG_TYPE";
    return e;
  };
  const checkFunction = (fn, name) => {
    if (typeof fn !== "function") throw typeError(`The "${name}" argument must be of type function. Received ${fn === null ? "null" : typeof fn}`);
  };
  // A subscriber's error does not stop the others: it is rethrown later,
  // as an uncaught exception.
  const rethrow = (err) => queueMicrotask(() => {
    throw err;
  });

  const channels = new Map();

  class Channel {
    #subscribers = [];
    #stores = new Map();
    constructor(name) {
      this.name = name;
    }
    get hasSubscribers() {
      return this.#subscribers.length > 0 || this.#stores.size > 0;
    }
    subscribe(subscription) {
      checkFunction(subscription, "subscription");
      this.#subscribers = [...this.#subscribers, subscription];
    }
    unsubscribe(subscription) {
      const i = this.#subscribers.indexOf(subscription);
      if (i === -1) return false;
      this.#subscribers = this.#subscribers.filter((_, j) => j !== i);
      return true;
    }
    publish(data) {
      for (const fn of this.#subscribers) {
        try {
          fn(data, this.name);
        } catch (err) {
          rethrow(err);
        }
      }
    }
    bindStore(store, transform) {
      this.#stores.set(store, transform);
    }
    unbindStore(store) {
      return this.#stores.delete(store);
    }
    runStores(data, fn, thisArg, ...args) {
      let run = () => {
        this.publish(data);
        return fn.apply(thisArg, args);
      };
      for (const [store, transform] of this.#stores) {
        const next = run;
        run = () => {
          let value = data;
          if (typeof transform === "function") {
            try {
              value = transform(data);
            } catch (err) {
              rethrow(err);
              return next();
            }
          }
          return store.run(value, next);
        };
      }
      return run();
    }
  }

  const channel = (name) => {
    if (typeof name !== "string" && typeof name !== "symbol") {
      throw typeError(`The "name" argument must be one of type string or symbol. Received ${name === null ? "null" : typeof name}`);
    }
    let c = channels.get(name);
    if (!c) {
      c = new Channel(name);
      channels.set(name, c);
    }
    return c;
  };
  const hasSubscribers = (name) => {
    const c = channels.get(name);
    return !!c && c.hasSubscribers;
  };
  const subscribe = (name, fn) => channel(name).subscribe(fn);
  const unsubscribe = (name, fn) => channel(name).unsubscribe(fn);

  const traceEvents = ["start", "end", "asyncStart", "asyncEnd", "error"];
  class TracingChannel {
    constructor(nameOrChannels) {
      for (const ev of traceEvents) {
        this[ev] = typeof nameOrChannels === "string" ? channel(`tracing:${nameOrChannels}:${ev}`) : nameOrChannels[ev];
        if (!(this[ev] instanceof Channel)) throw typeError(`The "nameOrChannels.${ev}" property must be an instance of Channel`);
      }
    }
    get hasSubscribers() {
      return traceEvents.some((ev) => this[ev].hasSubscribers);
    }
    subscribe(handlers) {
      for (const ev of traceEvents) if (handlers[ev]) this[ev].subscribe(handlers[ev]);
    }
    unsubscribe(handlers) {
      let done = true;
      for (const ev of traceEvents) if (handlers[ev] && !this[ev].unsubscribe(handlers[ev])) done = false;
      return done;
    }
    traceSync(fn, context = {}, thisArg, ...args) {
      const { start, end, error } = this;
      return start.runStores(context, () => {
        try {
          const result = fn.apply(thisArg, args);
          context.result = result;
          return result;
        } catch (err) {
          context.error = err;
          error.publish(context);
          throw err;
        } finally {
          end.publish(context);
        }
      });
    }
    tracePromise(fn, context = {}, thisArg, ...args) {
      const { start, end, asyncStart, asyncEnd, error } = this;
      return start.runStores(context, () => {
        try {
          const promise = Promise.resolve(fn.apply(thisArg, args));
          return promise.then(
            (result) => {
              context.result = result;
              asyncStart.publish(context);
              asyncEnd.publish(context);
              return result;
            },
            (err) => {
              context.error = err;
              error.publish(context);
              asyncStart.publish(context);
              asyncEnd.publish(context);
              throw err;
            },
          );
        } catch (err) {
          context.error = err;
          error.publish(context);
          throw err;
        } finally {
          end.publish(context);
        }
      });
    }
    traceCallback(fn, position = -1, context = {}, thisArg, ...args) {
      const { start, end, asyncStart, asyncEnd, error } = this;
      const at = position < 0 ? args.length + position : position;
      const callback = args[at];
      checkFunction(callback, "callback");
      args[at] = function (err, result) {
        if (err) {
          context.error = err;
          error.publish(context);
        } else {
          context.result = result;
        }
        return asyncStart.runStores(context, () => {
          try {
            return callback.apply(this, arguments);
          } finally {
            asyncEnd.publish(context);
          }
        });
      };
      return start.runStores(context, () => {
        try {
          return fn.apply(thisArg, args);
        } catch (err) {
          context.error = err;
          error.publish(context);
          throw err;
        } finally {
          end.publish(context);
        }
      });
    }
  }
  const tracingChannel = (nameOrChannels) => new TracingChannel(nameOrChannels);

  return { Channel, channel, hasSubscribers, subscribe, unsubscribe, tracingChannel };
});
