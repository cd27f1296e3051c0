// The JavaScript half of `alchemy test`: the "vitest" module (suites, tests,
// hooks, expect) and alchemy.test from "alchemy/test/vitest". Evaluated once
// per test file's runtime with the natives object; returns the library
// object the Go side reads the module exports and the runner from.
//
// Life of a file: the bundle's top level registers suites, tests and hooks;
// run(main) then waits for the top level, runs the describe factories
// (collection), works out which tests run (.only, .skip, -t, --bail) and runs
// them in order, reporting each result to Go as it ends.
(function (native) {
  "use strict";

  // The timers of the runtime, taken before a test file can replace them.
  const setTimer = globalThis.setTimeout;
  const clearTimer = globalThis.clearTimeout;
  const hasOwn = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);
  const tagOf = (v) => Object.prototype.toString.call(v);

  // -----------------------------------------------------------------------------------------------
  // Asymmetric matchers (expect.any, expect.objectContaining, …): values that
  // equals, toMatchObject and the call matchers compare by asking them.

  class Asymmetric {
    constructor(kind, sample, inverse, test) {
      this.kind = kind;
      this.sample = sample;
      this.inverse = inverse;
      this.test = test;
    }
    asymmetricMatch(other) {
      return this.test(other) !== this.inverse;
    }
  }

  const isAsymmetric = (v) => v instanceof Asymmetric;

  // -----------------------------------------------------------------------------------------------
  // Printing values

  // keysOf lists the own enumerable keys of an object, string keys sorted
  // (so that printed objects diff well), then symbol keys.
  function keysOf(obj) {
    const names = Object.keys(obj).sort();
    const symbols = Object.getOwnPropertySymbols(obj).filter(
      (s) => Object.getOwnPropertyDescriptor(obj, s).enumerable,
    );
    return [...names, ...symbols];
  }

  function printKey(key) {
    return typeof key === "symbol" ? key.toString() : JSON.stringify(key);
  }

  function className(obj) {
    const proto = Object.getPrototypeOf(obj);
    if (proto === null) return "Object";
    const ctor = proto.constructor;
    return typeof ctor === "function" && ctor.name ? ctor.name : "Object";
  }

  function printPrimitive(v) {
    switch (typeof v) {
      case "string":
        return JSON.stringify(v);
      case "number":
        return Object.is(v, -0) ? "-0" : String(v);
      case "bigint":
        return `${v}n`;
      case "symbol":
        return v.toString();
      case "function":
        return `[Function ${v.name || "anonymous"}]`;
      default:
        return String(v);
    }
  }

  const MAX_DEPTH = 10;

  // print renders a value the way the diff shows it: one entry per line
  // when multiline, keys quoted and sorted, class names before non-plain
  // objects, trailing commas.
  function print(value, multiline) {
    const seen = [];
    const nl = multiline ? "\n" : "";
    const sep = multiline ? "," : ", ";
    const pad = (depth) => (multiline ? "  ".repeat(depth) : "");
    function block(open, close, entries, depth) {
      if (entries.length === 0) return open + close;
      if (!multiline) return open + entries.join(sep) + close;
      const inner = entries.map((e) => pad(depth + 1) + e + ",").join("\n");
      return open + nl + inner + nl + pad(depth) + close;
    }
    function go(v, depth) {
      if (isAsymmetric(v)) {
        const name = v.inverse ? v.kind.replace(/(Containing|Matching)$/, "Not$1") : v.kind;
        if (v.kind === "Anything") return name;
        if (v.kind === "Any") return `Any<${typeof v.sample === "function" ? v.sample.name || "anonymous" : String(v.sample)}>`;
        return name + " " + go(v.sample, depth);
      }
      if (v === null || (typeof v !== "object" && typeof v !== "function")) return printPrimitive(v);
      if (typeof v === "function") return printPrimitive(v);
      if (seen.includes(v)) return "[Circular]";
      const tag = tagOf(v);
      if (tag === "[object Date]") return isNaN(v.getTime()) ? "Date { NaN }" : v.toISOString();
      if (tag === "[object RegExp]") return String(v);
      if (v instanceof Error) return `[${v.name || "Error"}: ${v.message}]`;
      if (tag === "[object Promise]") return "Promise {}";
      if (depth >= MAX_DEPTH) return Array.isArray(v) ? "[Array]" : `[${className(v)}]`;
      seen.push(v);
      try {
        if (Array.isArray(v)) {
          const name = className(v);
          const items = [];
          for (let i = 0; i < v.length; i++) items.push(i in v ? go(v[i], depth + 1) : "<empty>");
          return (name === "Array" ? "" : name + " ") + block("[", "]", items, depth);
        }
        if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
          return className(v) + " " + block("[", "]", Array.from(v, (x) => printPrimitive(x)), depth);
        }
        if (tag === "[object Map]") {
          const items = [];
          for (const [k, val] of v) items.push(go(k, depth + 1) + " => " + go(val, depth + 1));
          return "Map " + block("{", "}", items, depth);
        }
        if (tag === "[object Set]") {
          const items = [];
          for (const val of v) items.push(go(val, depth + 1));
          return "Set " + block("{", "}", items, depth);
        }
        const name = className(v);
        const items = keysOf(v).map((k) => printKey(k) + ": " + go(v[k], depth + 1));
        return (name === "Object" ? "" : name + " ") + block("{", "}", items, depth);
      } finally {
        seen.pop();
      }
    }
    return go(value, 0);
  }

  // show renders a value on one line for a message. A long object or array
  // shows its first entries and how many more there are (the diff shows
  // the rest).
  function show(value) {
    const s = print(value, false);
    if (s.length <= 80) return s;
    if (!Array.isArray(value) && (tagOf(value) !== "[object Object]" || isAsymmetric(value))) return s.slice(0, 77) + "...";
    const isArray = Array.isArray(value);
    const keys = isArray ? Array.from(value.keys()) : keysOf(value);
    const parts = [];
    let length = 0;
    for (const k of keys) {
      const v = value[k];
      let inner = print(v, false);
      if (inner.length > 30) inner = isObjectLike(v) ? (Array.isArray(v) ? "[…]" : "{…}") : inner.slice(0, 27) + "...";
      const entry = (isArray ? "" : printKey(k) + ": ") + inner;
      if (length + entry.length > 60) break;
      parts.push(entry);
      length += entry.length + 2;
    }
    if (parts.length < keys.length) parts.push(`…(${keys.length - parts.length})`);
    const name = className(value);
    const prefix = name === "Object" || name === "Array" ? "" : name + " ";
    return prefix + (isArray ? `[${parts.join(", ")}]` : `{${parts.join(", ")}}`);
  }

  // -----------------------------------------------------------------------------------------------
  // Equality

  function isObjectLike(v) {
    return v !== null && typeof v === "object";
  }

  function bytesOf(v) {
    if (v instanceof ArrayBuffer) return new Uint8Array(v);
    if (v instanceof DataView) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return null;
  }

  // equals compares recursively. Loose (toEqual) ignores properties whose
  // value is undefined and does not compare prototypes; strict
  // (toStrictEqual) compares both, and array holes.
  function equals(a, b, strict, seenA = [], seenB = []) {
    if (isAsymmetric(b)) return b.asymmetricMatch(a);
    if (isAsymmetric(a)) return a.asymmetricMatch(b);
    if (Object.is(a, b)) return true;
    if (!isObjectLike(a) || !isObjectLike(b)) return false;
    const tag = tagOf(a);
    if (tag !== tagOf(b)) return false;
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    switch (tag) {
      case "[object Date]":
        return Object.is(a.getTime(), b.getTime());
      case "[object RegExp]":
        return a.source === b.source && a.flags === b.flags;
      case "[object Number]":
      case "[object String]":
      case "[object Boolean]":
        return Object.is(a.valueOf(), b.valueOf());
    }
    if (a instanceof Error && b instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
    const i = seenA.indexOf(a);
    if (i >= 0) return seenB[i] === b;
    seenA.push(a);
    seenB.push(b);
    try {
      const ba = bytesOf(a);
      if (ba !== null) return sameItems(ba, bytesOf(b));
      if (ArrayBuffer.isView(a)) return sameItems(a, b);
      if (tag === "[object Map]") {
        if (a.size !== b.size) return false;
        for (const [k, v] of a) {
          if (b.has(k)) {
            if (!equals(v, b.get(k), strict, seenA, seenB)) return false;
            continue;
          }
          let found = false;
          for (const [k2, v2] of b) {
            if (equals(k, k2, strict, seenA, seenB) && equals(v, v2, strict, seenA, seenB)) {
              found = true;
              break;
            }
          }
          if (!found) return false;
        }
        return true;
      }
      if (tag === "[object Set]") {
        if (a.size !== b.size) return false;
        for (const v of a) {
          if (b.has(v)) continue;
          let found = false;
          for (const v2 of b) {
            if (equals(v, v2, strict, seenA, seenB)) {
              found = true;
              break;
            }
          }
          if (!found) return false;
        }
        return true;
      }
      if (Array.isArray(a)) {
        if (a.length !== b.length) return false;
        for (let j = 0; j < a.length; j++) {
          if (strict && j in a !== j in b) return false;
          if (!equals(a[j], b[j], strict, seenA, seenB)) return false;
        }
        return true;
      }
      const keep = (obj) => keysOf(obj).filter((k) => strict || obj[k] !== undefined);
      const ka = keep(a);
      const kb = keep(b);
      if (ka.length !== kb.length) return false;
      for (const k of ka) {
        if (!hasOwn(b, k) && !(typeof k === "symbol" && Object.getOwnPropertySymbols(b).includes(k))) return false;
        if (!equals(a[k], b[k], strict, seenA, seenB)) return false;
      }
      return true;
    } finally {
      seenA.pop();
      seenB.pop();
    }
  }

  function sameItems(a, b) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
    return true;
  }

  function isPlainShape(v) {
    if (!isObjectLike(v)) return false;
    const tag = tagOf(v);
    return tag === "[object Object]" || tag === "[object Array]" || v instanceof Error;
  }

  // matchesObject reports whether actual has every property of expected,
  // recursively (toMatchObject); arrays must match item for item.
  function matchesObject(actual, expected) {
    if (isAsymmetric(expected)) return expected.asymmetricMatch(actual);
    if (!isPlainShape(expected) || !isObjectLike(actual)) return equals(actual, expected, false);
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) return false;
      return expected.every((e, i) => matchesObject(actual[i], e));
    }
    for (const k of keysOf(expected)) {
      if (!(k in actual)) return false;
      if (!matchesObject(actual[k], expected[k])) return false;
    }
    return true;
  }

  // projection is the part of actual toMatchObject looked at, so that its
  // diff shows only what differs from expected.
  function projection(actual, expected) {
    if (isAsymmetric(expected)) return actual;
    if (!isPlainShape(expected) || !isObjectLike(actual)) return actual;
    if (Array.isArray(expected)) {
      if (!Array.isArray(actual)) return actual;
      return actual.map((a, i) => (i < expected.length ? projection(a, expected[i]) : a));
    }
    const out = {};
    for (const k of keysOf(expected)) {
      if (k in actual) out[k] = projection(actual[k], expected[k]);
    }
    return out;
  }

  // -----------------------------------------------------------------------------------------------
  // Mock functions (vi.fn, vi.spyOn)

  // mockStates maps each mock function to its state: what it recorded, its
  // implementations and how to restore what vi.spyOn replaced.
  const mockStates = new WeakMap();
  const allMocks = new Set();
  let callOrder = 0;

  function newRecord() {
    return { calls: [], results: [], settledResults: [], instances: [], contexts: [], invocationCallOrder: [], lastCall: undefined };
  }

  // makeMock returns a function that records every call and runs the next
  // "once" implementation, else the current one. original is what mockReset
  // returns to; restore undoes a vi.spyOn.
  function makeMock(original, name, restore) {
    const st = { record: newRecord(), impl: original, once: [], name, original, restore };
    const mock = function (...args) {
      const rec = st.record;
      rec.calls.push(args);
      rec.lastCall = args;
      rec.contexts.push(this);
      const instance = rec.instances.push(new.target ? this : undefined) - 1;
      rec.invocationCallOrder.push(++callOrder);
      const result = { type: "incomplete", value: undefined };
      rec.results.push(result);
      const settled = { type: "incomplete", value: undefined };
      rec.settledResults.push(settled);
      const fn = st.once.length > 0 ? st.once.shift() : st.impl;
      try {
        let value;
        if (fn !== undefined) {
          value = new.target && typeof fn.prototype === "object" ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
          if (new.target && isObjectLike(value)) rec.instances[instance] = value;
        }
        result.type = "return";
        result.value = value;
        if (value !== null && (typeof value === "object" || typeof value === "function") && typeof value.then === "function") {
          value.then(
            (v) => Object.assign(settled, { type: "fulfilled", value: v }),
            (e) => Object.assign(settled, { type: "rejected", value: e }),
          );
        } else {
          Object.assign(settled, { type: "fulfilled", value });
        }
        return value;
      } catch (e) {
        result.type = "throw";
        result.value = e;
        Object.assign(settled, { type: "rejected", value: e });
        throw e;
      }
    };
    Object.defineProperty(mock, "mock", { get: () => st.record, enumerable: false });
    const api = {
      getMockName: () => st.name,
      mockName(n) {
        st.name = String(n);
        return mock;
      },
      getMockImplementation: () => st.impl,
      mockClear() {
        st.record = newRecord();
        return mock;
      },
      mockReset() {
        st.record = newRecord();
        st.impl = st.original;
        st.once = [];
        return mock;
      },
      mockRestore() {
        api.mockReset();
        if (st.restore !== undefined) st.restore();
        return mock;
      },
      mockImplementation(fn) {
        st.impl = fn;
        return mock;
      },
      mockImplementationOnce(fn) {
        st.once.push(fn);
        return mock;
      },
      mockReturnValue: (v) => api.mockImplementation(() => v),
      mockReturnValueOnce: (v) => api.mockImplementationOnce(() => v),
      mockResolvedValue: (v) => api.mockImplementation(() => Promise.resolve(v)),
      mockResolvedValueOnce: (v) => api.mockImplementationOnce(() => Promise.resolve(v)),
      mockRejectedValue: (e) => api.mockImplementation(() => Promise.reject(e)),
      mockRejectedValueOnce: (e) => api.mockImplementationOnce(() => Promise.reject(e)),
      mockReturnThis: () =>
        api.mockImplementation(function () {
          return this;
        }),
    };
    for (const [k, v] of Object.entries(api)) Object.defineProperty(mock, k, { value: v, writable: true, configurable: true });
    Object.defineProperty(mock, "name", { value: name, configurable: true });
    mockStates.set(mock, st);
    allMocks.add(mock);
    return mock;
  }

  function fn(impl) {
    if (impl !== undefined && typeof impl !== "function") throw new TypeError(`vi.fn(implementation): the implementation must be a function, got ${show(impl)}`);
    return makeMock(impl, "spy", undefined);
  }

  function findDescriptor(obj, key) {
    for (let o = obj; o !== null; o = Object.getPrototypeOf(o)) {
      const d = Object.getOwnPropertyDescriptor(o, key);
      if (d !== undefined) return { d, own: o === obj };
    }
    return null;
  }

  // spyOn replaces obj[key] (or its getter or setter) by a mock that calls
  // the original until told otherwise; mockRestore puts the original back.
  function spyOn(obj, key, access) {
    if (!isObjectLike(obj) && typeof obj !== "function") throw new TypeError(`vi.spyOn(object, name): the object must be an object, got ${show(obj)}`);
    const found = findDescriptor(obj, key);
    if (found === null) throw new TypeError(`vi.spyOn: ${String(key)} does not exist on ${show(obj)}`);
    const { d, own } = found;
    if (mockStates.has(access === undefined ? d.value : d[access])) return access === undefined ? d.value : d[access];
    if (!own && !d.configurable && d.writable === false) throw new TypeError(`vi.spyOn: ${String(key)} cannot be redefined`);
    const restore = () => {
      if (own) Object.defineProperty(obj, key, d);
      else delete obj[key];
    };
    if (access === "get" || access === "set") {
      const original = d[access];
      if (typeof original !== "function") throw new TypeError(`vi.spyOn: ${String(key)} has no ${access}ter`);
      const spy = makeMock(original, String(key), restore);
      Object.defineProperty(obj, key, { ...d, configurable: true, [access]: spy });
      return spy;
    }
    if (access !== undefined) throw new TypeError(`vi.spyOn: the access type must be "get" or "set", got ${show(access)}`);
    const original = d.value;
    if (typeof original !== "function") throw new TypeError(`vi.spyOn: ${String(key)} is not a function, it is ${show(original)}`);
    const callThrough = function (...args) {
      return new.target ? Reflect.construct(original, args, new.target) : original.apply(this, args);
    };
    const spy = makeMock(callThrough, String(key), restore);
    Object.defineProperty(obj, key, { value: spy, writable: true, configurable: true, enumerable: d.enumerable });
    return spy;
  }

  // errorAt is an Error whose stack is site's: the caller's line.
  function errorAt(message, site) {
    const err = new Error(message);
    err.stack = `Error: ${message}\n` + site.stack.split("\n").filter((l) => /^\s*at /.test(l)).join("\n");
    return err;
  }

  function waitOptions(options, what) {
    const o = typeof options === "number" ? { timeout: options } : options === undefined ? {} : options;
    if (!isObjectLike(o)) throw new TypeError(`${what}: options must be a number or { timeout, interval }`);
    return { timeout: typeof o.timeout === "number" ? o.timeout : 1000, interval: typeof o.interval === "number" ? o.interval : 50 };
  }

  // poll calls callback every interval until done(outcome) says so or the
  // timeout passes; it resolves with the value done accepted.
  function poll(callback, options, what, done, timedOut) {
    const { timeout, interval } = waitOptions(options, what);
    if (typeof callback !== "function") throw new TypeError(`${what}(callback): callback must be a function`);
    const start = native.now();
    const site = new Error("site");
    return new Promise((resolve, reject) => {
      let last;
      const attempt = () => {
        // With fake timers, each try first moves the fake clock by one
        // interval, as vitest does.
        Promise.resolve()
          .then(() => {
            if (native.fakeTimers.isFake()) native.fakeTimers.advance(interval);
            return callback();
          })
          .then(
            (v) => (done({ ok: true, value: v }) ? { ok: true, value: v } : null),
            (e) => {
              last = e;
              return null;
            },
          )
          .then((r) => {
            if (r !== null) return resolve(r.value);
            if (native.now() - start >= timeout) return reject(timedOut(last, site));
            setTimer(attempt, interval);
          });
      };
      attempt();
    });
  }

  const vi = {
    fn,
    spyOn,
    isMockFunction: (f) => mockStates.has(f),
    mocked: (v) => v,
    clearAllMocks() {
      for (const m of allMocks) m.mockClear();
      return vi;
    },
    resetAllMocks() {
      for (const m of allMocks) m.mockReset();
      return vi;
    },
    restoreAllMocks() {
      for (const m of allMocks) if (mockStates.get(m).restore !== undefined) m.mockRestore();
      return vi;
    },
    // waitFor retries callback until it neither throws nor rejects.
    waitFor: (callback, options) =>
      poll(callback, options, "vi.waitFor", () => true, (last, site) => last || errorAt("vi.waitFor timed out", site)),
    // waitUntil retries callback until it returns (or resolves to) a truthy value.
    waitUntil: (callback, options) =>
      poll(callback, options, "vi.waitUntil", (r) => !!r.value, (last, site) => last || errorAt("Timed out in waitUntil!", site)),
  };
  // useFakeTimers, advanceTimersByTime, setSystemTime, ... (faketimers.js).
  Object.assign(vi, native.fakeTimers.members(vi));

  // -----------------------------------------------------------------------------------------------
  // expect

  class AssertionError extends Error {}
  Object.defineProperty(AssertionError.prototype, "name", { value: "AssertionError", writable: true });

  // settle replaces in expected the asymmetric matchers that accept their
  // counterpart in received by that value, so that a diff shows only what
  // does not match.
  function settle(expected, received, depth = 0) {
    if (isAsymmetric(expected)) return expected.asymmetricMatch(received) ? received : expected;
    if (depth > MAX_DEPTH || !isObjectLike(received)) return expected;
    if (Array.isArray(expected) && Array.isArray(received)) return expected.map((e, i) => settle(e, received[i], depth + 1));
    if (tagOf(expected) === "[object Object]" && Object.getPrototypeOf(expected) === Object.prototype) {
      const out = {};
      for (const k of keysOf(expected)) out[k] = hasOwn(received, k) ? settle(expected[k], received[k], depth + 1) : expected[k];
      return out;
    }
    return expected;
  }

  // difference explains how expected and received differ: both values on
  // one line each, or a line diff of their multiline prints.
  function difference(expected, received) {
    const e = print(settle(expected, received), true);
    const r = print(received, true);
    if (!e.includes("\n") && !r.includes("\n")) return `Expected: ${e}\nReceived: ${r}`;
    if (e === r) return `Expected: ${e}\nReceived: the same print, but a different value (types or prototypes differ)`;
    return "- Expected\n+ Received\n\n" + native.diff(e, r);
  }

  function iterableItems(v) {
    if (v === null || v === undefined || typeof v[Symbol.iterator] !== "function") return null;
    return Array.from(v);
  }

  function checkNumber(value, what) {
    if (typeof value !== "number" && typeof value !== "bigint") {
      throw new TypeError(`${what} must be a number or bigint, got ${show(value)}`);
    }
  }

  function propertyPath(path) {
    if (Array.isArray(path)) return path.map(String);
    return String(path)
      .replace(/\[(\w+)\]/g, ".$1")
      .split(".")
      .filter((p) => p !== "");
  }

  function errorMatches(thrown, expected) {
    const message = isObjectLike(thrown) && "message" in thrown ? String(thrown.message) : String(thrown);
    if (expected === undefined) return { pass: true };
    if (typeof expected === "string") return { pass: message.includes(expected), what: `an error whose message contains ${show(expected)}` };
    if (expected instanceof RegExp) {
      expected.lastIndex = 0;
      return { pass: expected.test(message), what: `an error whose message matches ${String(expected)}` };
    }
    if (typeof expected === "function") return { pass: thrown instanceof expected, what: `an instance of ${expected.name || "the class"}` };
    if (expected instanceof Error || isObjectLike(expected)) {
      return { pass: message === String(expected.message), what: `an error with message ${show(expected.message)}` };
    }
    throw new TypeError(`toThrow: expected must be a string, RegExp, Error or class, got ${show(expected)}`);
  }

  // Each matcher returns {pass, message(not), diff?: [expected, received]}.
  // `this` is {promise} for matchers called after resolves/rejects.
  const matchers = {
    toBe(actual, expected) {
      const pass = Object.is(actual, expected);
      const hint = !pass && isObjectLike(actual) && equals(actual, expected, true) ? " (the values are equal but not the same object: use toStrictEqual)" : "";
      return { pass, message: (not) => `expected ${show(actual)} ${not}to be ${show(expected)} (Object.is)${hint}`, diff: [expected, actual] };
    },
    toEqual(actual, expected) {
      return { pass: equals(actual, expected, false), message: (not) => `expected ${show(actual)} ${not}to deeply equal ${show(expected)}`, diff: [expected, actual] };
    },
    toStrictEqual(actual, expected) {
      return { pass: equals(actual, expected, true), message: (not) => `expected ${show(actual)} ${not}to strictly equal ${show(expected)}`, diff: [expected, actual] };
    },
    toMatchObject(actual, expected) {
      if (!isObjectLike(expected)) throw new TypeError(`toMatchObject: expected must be an object, got ${show(expected)}`);
      return { pass: matchesObject(actual, expected), message: (not) => `expected ${show(actual)} ${not}to match object ${show(expected)}`, diff: [expected, projection(actual, expected)] };
    },
    toContain(actual, item) {
      if (typeof actual === "string") {
        return { pass: actual.includes(String(item)), message: (not) => `expected ${show(actual)} ${not}to contain ${show(item)}` };
      }
      const items = iterableItems(actual);
      if (items === null) throw new TypeError(`toContain: ${show(actual)} is neither a string nor iterable`);
      return { pass: items.some((x) => x === item), message: (not) => `expected ${show(actual)} ${not}to contain ${show(item)}` };
    },
    toContainEqual(actual, item) {
      const items = iterableItems(actual);
      if (items === null) throw new TypeError(`toContainEqual: ${show(actual)} is not iterable`);
      return { pass: items.some((x) => equals(x, item, false)), message: (not) => `expected ${show(actual)} ${not}to contain an item equal to ${show(item)}` };
    },
    toMatch(actual, expected) {
      if (typeof actual !== "string") throw new TypeError(`toMatch: the value must be a string, got ${show(actual)}`);
      let pass;
      if (expected instanceof RegExp) {
        expected.lastIndex = 0;
        pass = expected.test(actual);
      } else {
        pass = actual.includes(String(expected));
      }
      return { pass, message: (not) => `expected ${show(actual)} ${not}to match ${expected instanceof RegExp ? String(expected) : show(expected)}` };
    },
    toThrow(actual, expected) {
      let threw = false;
      let thrown;
      if (this.promise) {
        threw = this.rejected;
        thrown = actual;
      } else {
        if (typeof actual !== "function") throw new TypeError(`toThrow: the value must be a function, got ${show(actual)}`);
        try {
          actual();
        } catch (e) {
          threw = true;
          thrown = e;
        }
      }
      if (!threw) return { pass: false, message: () => "expected the function to throw, but it returned normally" };
      const m = errorMatches(thrown, expected);
      return {
        pass: m.pass,
        message: (not) => (m.what ? `expected to throw ${not}${m.what}, but it threw ${show(thrown)}` : `expected the function ${not}to throw, but it threw ${show(thrown)}`),
      };
    },
    toBeTruthy(actual) {
      return { pass: !!actual, message: (not) => `expected ${show(actual)} ${not}to be truthy` };
    },
    toBeFalsy(actual) {
      return { pass: !actual, message: (not) => `expected ${show(actual)} ${not}to be falsy` };
    },
    toBeDefined(actual) {
      return { pass: actual !== undefined, message: (not) => `expected ${show(actual)} ${not}to be defined` };
    },
    toBeUndefined(actual) {
      return { pass: actual === undefined, message: (not) => `expected ${show(actual)} ${not}to be undefined` };
    },
    toBeNull(actual) {
      return { pass: actual === null, message: (not) => `expected ${show(actual)} ${not}to be null` };
    },
    toBeNaN(actual) {
      return { pass: Number.isNaN(actual), message: (not) => `expected ${show(actual)} ${not}to be NaN` };
    },
    toHaveLength(actual, length) {
      const has = actual !== null && actual !== undefined && typeof actual.length === "number";
      const got = has ? actual.length : undefined;
      return { pass: has && got === length, message: (not) => `expected ${show(actual)} ${not}to have length ${length}` + (has ? `, its length is ${got}` : ", it has no length") };
    },
    toHaveProperty(actual, path, ...rest) {
      const parts = propertyPath(path);
      let cur = actual;
      let found = true;
      for (const p of parts) {
        if (cur === null || cur === undefined || !(p in Object(cur))) {
          found = false;
          break;
        }
        cur = cur[p];
      }
      const name = parts.join(".");
      if (rest.length === 0) {
        return { pass: found, message: (not) => `expected ${show(actual)} ${not}to have property ${JSON.stringify(name)}` };
      }
      const want = rest[0];
      return {
        pass: found && equals(cur, want, false),
        message: (not) => `expected ${show(actual)} ${not}to have property ${JSON.stringify(name)} equal to ${show(want)}` + (found ? `, it is ${show(cur)}` : ", it has no such property"),
        diff: found ? [want, cur] : undefined,
      };
    },
    toBeGreaterThan(actual, expected) {
      checkNumber(actual, "the value");
      checkNumber(expected, "toBeGreaterThan's argument");
      return { pass: actual > expected, message: (not) => `expected ${show(actual)} ${not}to be greater than ${show(expected)}` };
    },
    toBeGreaterThanOrEqual(actual, expected) {
      checkNumber(actual, "the value");
      checkNumber(expected, "toBeGreaterThanOrEqual's argument");
      return { pass: actual >= expected, message: (not) => `expected ${show(actual)} ${not}to be greater than or equal to ${show(expected)}` };
    },
    toBeLessThan(actual, expected) {
      checkNumber(actual, "the value");
      checkNumber(expected, "toBeLessThan's argument");
      return { pass: actual < expected, message: (not) => `expected ${show(actual)} ${not}to be less than ${show(expected)}` };
    },
    toBeLessThanOrEqual(actual, expected) {
      checkNumber(actual, "the value");
      checkNumber(expected, "toBeLessThanOrEqual's argument");
      return { pass: actual <= expected, message: (not) => `expected ${show(actual)} ${not}to be less than or equal to ${show(expected)}` };
    },
    toBeCloseTo(actual, expected, digits = 2) {
      if (typeof actual !== "number" || typeof expected !== "number") {
        throw new TypeError(`toBeCloseTo: both values must be numbers, got ${show(actual)} and ${show(expected)}`);
      }
      const pass = actual === expected || Math.abs(expected - actual) < Math.pow(10, -digits) / 2;
      return { pass, message: (not) => `expected ${show(actual)} ${not}to be close to ${show(expected)} (${digits} digits)` };
    },
    toBeInstanceOf(actual, ctor) {
      if (typeof ctor !== "function") throw new TypeError(`toBeInstanceOf: expected a class, got ${show(ctor)}`);
      const got = isObjectLike(actual) ? className(actual) : typeof actual;
      return { pass: actual instanceof ctor, message: (not) => `expected ${show(actual)} ${not}to be an instance of ${ctor.name || "the class"}, it is ${got}` };
    },
  };
  matchers.toThrowError = matchers.toThrow;

  // The matchers of mock functions.

  function mockOf(actual, matcher) {
    const st = mockStates.get(actual);
    if (st === undefined) throw new TypeError(`${matcher}: ${show(actual)} is not a spy or a call to a spy!`);
    return st;
  }

  function ordinal(n) {
    const tens = n % 100;
    const suffix = tens >= 11 && tens <= 13 ? "th" : ["th", "st", "nd", "rd"][n % 10] || "th";
    return n + suffix;
  }

  function times(n) {
    return n === 1 ? "1 time" : `${n} times`;
  }

  // receivedCalls lists what a failed call matcher saw (the arguments of
  // each call, or each return value): the first five.
  function receivedCalls(list, what) {
    if (list.length === 0) return ", but it was never called";
    const shown = list.slice(0, 5).map((c) => show(c));
    if (list.length > 5) shown.push(`…(${list.length - 5} more)`);
    return `; ${what}: ${shown.join(", ")}`;
  }

  function calledWith(actual, args, matcher, pick) {
    const st = mockOf(actual, matcher);
    const calls = st.record.calls;
    const chosen = pick(calls);
    const pass = chosen.some((c) => c !== undefined && equals(c, args, false));
    const single = chosen.length === 1 && chosen[0] !== undefined ? chosen[0] : undefined;
    return { st, calls, pass, diff: single !== undefined ? [args, single] : undefined };
  }

  Object.assign(matchers, {
    toHaveBeenCalled(actual) {
      const st = mockOf(actual, "toHaveBeenCalled");
      const n = st.record.calls.length;
      return {
        pass: n > 0,
        message: (not) => (not ? `expected ${JSON.stringify(st.name)} to not be called at all, but actually been called ${times(n)}` : `expected ${JSON.stringify(st.name)} to be called at least once`),
      };
    },
    toHaveBeenCalledTimes(actual, expected) {
      const st = mockOf(actual, "toHaveBeenCalledTimes");
      const n = st.record.calls.length;
      return { pass: n === expected, message: (not) => `expected ${JSON.stringify(st.name)} ${not}to be called ${times(expected)}, but got ${times(n)}` };
    },
    toHaveBeenCalledWith(actual, ...args) {
      const r = calledWith(actual, args, "toHaveBeenCalledWith", (calls) => calls);
      return { pass: r.pass, message: (not) => `expected ${JSON.stringify(r.st.name)} ${not}to be called with arguments: ${show(args)}` + receivedCalls(r.calls, "calls"), diff: r.diff };
    },
    toHaveBeenLastCalledWith(actual, ...args) {
      const r = calledWith(actual, args, "toHaveBeenLastCalledWith", (calls) => calls.slice(-1));
      return { pass: r.pass, message: (not) => `expected last call of ${JSON.stringify(r.st.name)} ${not}to be called with arguments: ${show(args)}` + receivedCalls(r.calls, "calls"), diff: r.diff };
    },
    toHaveBeenNthCalledWith(actual, nth, ...args) {
      const r = calledWith(actual, args, "toHaveBeenNthCalledWith", (calls) => [calls[nth - 1]]);
      return { pass: r.pass, message: (not) => `expected ${ordinal(nth)} call of ${JSON.stringify(r.st.name)} ${not}to be called with arguments: ${show(args)}` + receivedCalls(r.calls, "calls"), diff: r.diff };
    },
    toHaveReturned(actual) {
      const st = mockOf(actual, "toHaveReturned");
      const n = st.record.results.filter((r) => r.type === "return").length;
      return { pass: n > 0, message: (not) => `expected ${JSON.stringify(st.name)} ${not}to be successfully called at least once` + (not ? `, but it returned ${times(n)}` : "") };
    },
    toHaveReturnedTimes(actual, expected) {
      const st = mockOf(actual, "toHaveReturnedTimes");
      const n = st.record.results.filter((r) => r.type === "return").length;
      return { pass: n === expected, message: (not) => `expected ${JSON.stringify(st.name)} ${not}to be successfully called ${times(expected)}, but got ${times(n)}` };
    },
    toHaveReturnedWith(actual, value) {
      const st = mockOf(actual, "toHaveReturnedWith");
      const values = st.record.results.filter((r) => r.type === "return").map((r) => r.value);
      return { pass: values.some((v) => equals(v, value, false)), message: (not) => `expected ${JSON.stringify(st.name)} ${not}to return ${show(value)}` + receivedCalls(values, "returns") };
    },
    toHaveLastReturnedWith(actual, value) {
      const st = mockOf(actual, "toHaveLastReturnedWith");
      const results = st.record.results;
      const last = results[results.length - 1];
      const ok = last !== undefined && last.type === "return";
      return {
        pass: ok && equals(last.value, value, false),
        message: (not) => `expected last call of ${JSON.stringify(st.name)} ${not}to return ${show(value)}` + (last === undefined ? ", but it was never called" : ok ? `, it returned ${show(last.value)}` : `, it threw ${show(last.value)}`),
        diff: ok ? [value, last.value] : undefined,
      };
    },
  });
  matchers.toBeCalled = matchers.toHaveBeenCalled;
  matchers.toBeCalledTimes = matchers.toHaveBeenCalledTimes;
  matchers.toBeCalledWith = matchers.toHaveBeenCalledWith;
  matchers.lastCalledWith = matchers.toHaveBeenLastCalledWith;
  matchers.nthCalledWith = matchers.toHaveBeenNthCalledWith;
  matchers.toReturn = matchers.toHaveReturned;
  matchers.toReturnWith = matchers.toHaveReturnedWith;

  // fail throws an AssertionError whose stack is site's (the user's line
  // that asked for the check) when given.
  function fail(message, diff, site) {
    const err = new AssertionError(message);
    if (diff !== undefined) err.diff = diff;
    if (site !== undefined && typeof site.stack === "string") {
      const frames = site.stack.split("\n").filter((l) => /^\s*at /.test(l));
      err.stack = `AssertionError: ${message}\n` + frames.join("\n");
    }
    throw err;
  }

  function check(name, actual, args, state, site) {
    const r = matchers[name].call({ promise: state.mode !== "", rejected: state.rejected }, actual, ...args);
    if (r.pass !== state.not) return;
    let message = r.message(state.not ? "not " : "");
    if (state.message !== undefined) message = `${state.message}: ${message}`;
    const diff = !state.not && r.diff !== undefined ? difference(r.diff[0], r.diff[1]) : undefined;
    fail(message, diff, site);
  }

  // assertion is what expect(value) returns: every matcher, with `not`,
  // `resolves` and `rejects` as modifiers.
  function assertion(actual, state) {
    const a = {};
    for (const name of Object.keys(matchers)) {
      a[name] = function (...args) {
        assertions.count++;
        if (state.mode === "") return check(name, actual, args, state, undefined);
        const site = new Error("site");
        if (actual === null || actual === undefined || typeof actual.then !== "function") {
          return Promise.reject(new TypeError(`expect(value).${state.mode}: the value must be a promise, got ${show(actual)}`));
        }
        return Promise.resolve(actual).then(
          (v) => {
            if (state.mode === "rejects") fail(`expected the promise to reject, but it resolved with ${show(v)}`, undefined, site);
            return check(name, v, args, { ...state, rejected: false }, site);
          },
          (e) => {
            if (state.mode === "resolves") fail(`expected the promise to resolve, but it rejected with ${show(e)}`, undefined, site);
            return check(name, e, args, { ...state, rejected: true }, site);
          },
        );
      };
    }
    Object.defineProperty(a, "not", { get: () => assertion(actual, { ...state, not: !state.not }) });
    if (state.mode === "") {
      Object.defineProperty(a, "resolves", { get: () => assertion(actual, { ...state, mode: "resolves" }) });
      Object.defineProperty(a, "rejects", { get: () => assertion(actual, { ...state, mode: "rejects" }) });
    }
    return a;
  }

  function expect(actual, message) {
    return assertion(actual, { not: false, mode: "", message, rejected: false });
  }

  // assertions counts the matchers the running test called, for
  // expect.assertions and expect.hasAssertions (checked when its body ends).
  const assertions = { count: 0, expected: undefined, any: false, site: undefined };

  function resetAssertions() {
    Object.assign(assertions, { count: 0, expected: undefined, any: false, site: undefined });
  }

  function verifyAssertions() {
    const { count, expected, any, site } = assertions;
    if (expected !== undefined && count !== expected) {
      fail(`expected number of assertions to be ${expected}, but got ${count}`, undefined, site);
    }
    if (any && count === 0) fail("expected any number of assertion, but got none", undefined, site);
  }

  expect.assertions = (n) => {
    if (!Number.isInteger(n) || n < 0) throw new TypeError(`expect.assertions(n): n must be a whole number, got ${show(n)}`);
    assertions.expected = n;
    assertions.site = new Error("site");
  };
  expect.hasAssertions = () => {
    assertions.any = true;
    assertions.site = new Error("site");
  };

  function typeMatches(ctor, v) {
    if (typeof ctor !== "function") throw new TypeError(`expect.any(constructor): expected a class or constructor, got ${show(ctor)}`);
    switch (ctor) {
      case String:
        return typeof v === "string" || v instanceof String;
      case Number:
        return typeof v === "number" || v instanceof Number;
      case Boolean:
        return typeof v === "boolean" || v instanceof Boolean;
      case BigInt:
        return typeof v === "bigint";
      case Symbol:
        return typeof v === "symbol";
      case Function:
        return typeof v === "function";
      case Object:
        return typeof v === "object" && v !== null;
    }
    return v instanceof ctor;
  }

  function hasPath(obj, key) {
    return obj !== null && obj !== undefined && key in Object(obj);
  }

  // asymmetric builds expect.<name> (inverse false) or expect.not.<name>.
  function asymmetric(inverse) {
    const make = (kind, sample, test) => new Asymmetric(kind, sample, inverse, test);
    const out = {
      objectContaining: (sample) => {
        if (!isObjectLike(sample)) throw new TypeError(`expect.objectContaining(object): expected an object, got ${show(sample)}`);
        return make("ObjectContaining", sample, (v) => keysOf(sample).every((k) => hasPath(v, k) && equals(v[k], sample[k], false)));
      },
      arrayContaining: (sample) => {
        if (!Array.isArray(sample)) throw new TypeError(`expect.arrayContaining(array): expected an array, got ${show(sample)}`);
        return make("ArrayContaining", sample, (v) => Array.isArray(v) && sample.every((e) => v.some((x) => equals(x, e, false))));
      },
      stringContaining: (sample) => {
        if (typeof sample !== "string") throw new TypeError(`expect.stringContaining(string): expected a string, got ${show(sample)}`);
        return make("StringContaining", sample, (v) => typeof v === "string" && v.includes(sample));
      },
      stringMatching: (sample) => {
        if (typeof sample !== "string" && !(sample instanceof RegExp)) throw new TypeError(`expect.stringMatching(pattern): expected a string or RegExp, got ${show(sample)}`);
        const re = typeof sample === "string" ? new RegExp(sample) : sample;
        return make("StringMatching", re, (v) => {
          re.lastIndex = 0;
          return typeof v === "string" && re.test(v);
        });
      },
    };
    if (!inverse) {
      out.any = (ctor) => {
        typeMatches(ctor, undefined);
        return make("Any", ctor, (v) => typeMatches(ctor, v));
      };
      out.anything = () => make("Anything", undefined, (v) => v !== null && v !== undefined);
      out.closeTo = (n, digits = 2) => {
        if (typeof n !== "number") throw new TypeError(`expect.closeTo(number): expected a number, got ${show(n)}`);
        return make("NumberCloseTo", n, (v) => typeof v === "number" && (v === n || Math.abs(n - v) < Math.pow(10, -digits) / 2));
      };
    }
    return out;
  }
  Object.assign(expect, asymmetric(false));
  expect.not = asymmetric(true);

  // -----------------------------------------------------------------------------------------------
  // Suites, tests and hooks

  class Suite {
    constructor(name, parent, mode, factory) {
      this.name = name;
      this.parent = parent;
      this.mode = mode; // "run" | "skip" | "only" | "todo"
      this.factory = factory;
      this.children = [];
      this.hooks = { beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
    }
    get path() {
      const out = [];
      for (let s = this; s.parent !== null; s = s.parent) out.unshift(s.name);
      return out;
    }
  }

  class Test {
    constructor(name, parent, mode, run, timeout, retry, site) {
      this.name = name;
      this.parent = parent;
      this.mode = mode;
      this.run = run;
      this.timeout = timeout;
      this.retry = retry;
      this.site = site;
    }
  }

  const root = new Suite("", null, "run", null);
  let current = root;
  let collecting = true;
  const teardowns = [];
  const setups = [];
  let cleaned = false;

  function nameOf(name) {
    if (typeof name === "function") return name.name || "anonymous";
    return String(name);
  }

  function modeOf(flags) {
    if (flags.skip) return "skip";
    if (flags.only) return "only";
    return "run";
  }

  function checkCollecting(what) {
    if (!collecting) throw new Error(`${what} must be called while the file's tests are collected, not while they run`);
  }

  // addTest registers a test in the current suite. run(ctx) is its body.
  function addTest(name, run, timeout, retry, flags) {
    checkCollecting("test()");
    const mode = run === undefined ? "todo" : modeOf(flags);
    current.children.push(new Test(nameOf(name), current, mode, run, timeout, retry, new Error("registered here")));
  }

  // testArgs reads (name, fn?, timeout?) | (name, options, fn?) |
  // (name, fn, options).
  function testArgs(a, b) {
    if (typeof a === "function") {
      if (isObjectLike(b)) return { fn: a, timeout: b.timeout, retry: b.retry };
      return { fn: a, timeout: b, retry: undefined };
    }
    if (isObjectLike(a)) return { fn: b, timeout: a.timeout, retry: a.retry };
    return { fn: undefined, timeout: undefined, retry: undefined };
  }

  // interpolate fills a test name from an each() case: printf verbs, %#
  // (the case index), %% and $name (a property of an object case).
  function interpolate(name, args, index) {
    let i = 0;
    let out = name.replace(/%[sdifjoO#%]/g, (verb) => {
      if (verb === "%%") return "%";
      if (verb === "%#") return String(index);
      if (i >= args.length) return verb;
      const v = args[i++];
      switch (verb) {
        case "%s":
          return typeof v === "string" ? v : show(v);
        case "%d":
        case "%i":
          return typeof v === "bigint" ? `${v}n` : String(verb === "%i" ? Math.trunc(Number(v)) : Number(v));
        case "%f":
          return String(Number(v));
        case "%j":
          return JSON.stringify(v);
        default:
          return show(v);
      }
    });
    if (args.length === 1 && isObjectLike(args[0]) && !Array.isArray(args[0])) {
      out = out.replace(/\$([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)/g, (whole, path) => {
        let v = args[0];
        for (const p of path.split(".")) {
          if (v === null || v === undefined) return whole;
          v = v[p];
        }
        return typeof v === "string" ? v : show(v);
      });
    }
    return out;
  }

  function caseArgs(c) {
    return Array.isArray(c) ? c : [c];
  }

  function makeTestAPI(flags) {
    const api = function test(name, a, b) {
      const { fn, timeout, retry } = testArgs(a, b);
      const testName = nameOf(name);
      // The body gets vitest's test context, whose expect concurrent tests use.
      const body = (ctx) => fn({ expect, task: { name: testName }, onTestFinished: (f) => ctx.onFinished(() => f()) });
      addTest(name, fn === undefined ? undefined : body, timeout, retry, flags);
    };
    Object.defineProperty(api, "skip", { get: () => makeTestAPI({ ...flags, skip: true }) });
    Object.defineProperty(api, "only", { get: () => makeTestAPI({ ...flags, only: true }) });
    // Concurrent tests run one after the other, in order, like the others:
    // a test file runs on one event loop, and files already run in parallel.
    Object.defineProperty(api, "concurrent", { get: () => makeTestAPI(flags) });
    Object.defineProperty(api, "sequential", { get: () => makeTestAPI(flags) });
    api.todo = (name) => addTest(name, undefined, undefined, undefined, flags);
    api.skipIf = (condition) => makeTestAPI({ ...flags, skip: flags.skip || !!condition });
    api.runIf = (condition) => makeTestAPI({ ...flags, skip: flags.skip || !condition });
    api.each = (cases) => (name, fn, timeout) => {
      Array.from(cases).forEach((c, i) => {
        const args = caseArgs(c);
        const t = testArgs(fn, timeout);
        addTest(interpolate(nameOf(name), args, i), t.fn === undefined ? undefined : () => t.fn(...args), t.timeout, t.retry, flags);
      });
    };
    return api;
  }

  function addSuite(name, factory, flags) {
    checkCollecting("describe()");
    const mode = typeof factory !== "function" ? "todo" : modeOf(flags);
    const s = new Suite(nameOf(name), current, mode, typeof factory === "function" ? factory : null);
    current.children.push(s);
  }

  function makeSuiteAPI(flags) {
    const api = function describe(name, factory) {
      addSuite(name, typeof factory === "function" ? () => factory() : undefined, flags);
    };
    Object.defineProperty(api, "skip", { get: () => makeSuiteAPI({ ...flags, skip: true }) });
    Object.defineProperty(api, "only", { get: () => makeSuiteAPI({ ...flags, only: true }) });
    Object.defineProperty(api, "concurrent", { get: () => makeSuiteAPI(flags) });
    Object.defineProperty(api, "sequential", { get: () => makeSuiteAPI(flags) });
    api.todo = (name) => addSuite(name, undefined, flags);
    api.skipIf = (condition) => makeSuiteAPI({ ...flags, skip: flags.skip || !!condition });
    api.runIf = (condition) => makeSuiteAPI({ ...flags, skip: flags.skip || !condition });
    api.each = (cases) => (name, factory) => {
      Array.from(cases).forEach((c, i) => {
        const args = caseArgs(c);
        addSuite(interpolate(nameOf(name), args, i), typeof factory === "function" ? () => factory(...args) : undefined, flags);
      });
    };
    return api;
  }

  function hook(kind) {
    return function (fn, timeout) {
      checkCollecting(`${kind}()`);
      if (typeof fn !== "function") throw new TypeError(`${kind}(fn): fn must be a function`);
      current.hooks[kind].push({ fn, timeout, site: new Error("registered here") });
    };
  }

  // -----------------------------------------------------------------------------------------------
  // Running

  function timeoutOf(ms) {
    return typeof ms === "number" && ms > 0 ? ms : native.timeout;
  }

  // timed runs fn, failing with a timeout error after ms; the error's stack
  // is site's (where the test or hook was registered).
  function timed(fn, ms, what, site) {
    return new Promise((resolve, reject) => {
      const timer = setTimer(() => {
        const err = new Error(`${what} timed out after ${ms} ms`);
        if (site !== undefined) err.stack = `Error: ${err.message}\n` + site.stack.split("\n").filter((l) => /^\s*at /.test(l)).join("\n");
        reject(err);
      }, ms);
      Promise.resolve()
        .then(fn)
        .then(
          (v) => {
            clearTimer(timer);
            resolve(v);
          },
          (e) => {
            clearTimer(timer);
            reject(e);
          },
        );
    });
  }

  function report(path, name, state, duration, error, reason) {
    native.report({ path, name, state, duration, error, reason, failed: state === "fail" });
  }

  // plan decides for every test whether it runs: skip reasons are "skip"
  // (.skip, .skipIf, .runIf, describe.skip), "todo" and "filtered" (.only
  // elsewhere in the file, -t).
  function plan(suite, skipped, inOnly, hasOnly) {
    for (const child of suite.children) {
      if (child instanceof Suite) {
        const childSkip = skipped || (child.mode === "skip" ? "skip" : child.mode === "todo" ? "todo" : "");
        plan(child, childSkip, inOnly || child.mode === "only", hasOnly);
        continue;
      }
      let reason = skipped;
      if (reason === "" && (child.mode === "skip" || child.mode === "todo")) reason = child.mode;
      if (reason === "" && hasOnly && !inOnly && child.mode !== "only") reason = "filtered";
      if (reason === "" && !native.filter([...suite.path, child.name])) reason = "filtered";
      child.reason = reason;
    }
  }

  function anyOnly(suite) {
    return suite.children.some((c) => c.mode === "only" || (c instanceof Suite && anyOnly(c)));
  }

  function runnable(suite) {
    return suite.children.some((c) => (c instanceof Suite ? runnable(c) : c.reason === ""));
  }

  function skipAll(suite, reason, error) {
    if (suite.mode === "todo" && suite.factory === null && suite.parent !== null) {
      report(suite.parent.path, suite.name, "todo", 0, undefined, "todo");
      return;
    }
    for (const child of suite.children) {
      if (child instanceof Suite) {
        skipAll(child, reason, error);
      } else if (error !== undefined && child.reason === "") {
        report(suite.path, child.name, "fail", 0, error);
      } else {
        report(suite.path, child.name, child.reason === "todo" ? "todo" : "skip", 0, undefined, child.reason || reason);
      }
    }
  }

  async function collect(suite) {
    for (let i = 0; i < suite.children.length; i++) {
      const child = suite.children[i];
      if (!(child instanceof Suite) || child.factory === null) continue;
      const prev = current;
      current = child;
      try {
        await child.factory();
      } catch (e) {
        child.error = e;
      } finally {
        current = prev;
      }
      await collect(child);
    }
  }

  async function runHooks(list, what) {
    const cleanups = [];
    for (const h of list) {
      const ms = timeoutOf(h.timeout);
      const r = await timed(() => h.fn(), ms, what, h.site);
      if (typeof r === "function") cleanups.push(r);
    }
    return cleanups;
  }

  async function runAfter(list, what) {
    let first;
    for (const h of list) {
      try {
        await timed(() => h.fn(), timeoutOf(h.timeout), what, h.site);
      } catch (e) {
        if (first === undefined) first = e;
      }
    }
    if (first !== undefined) throw first;
  }

  function chainOf(suite) {
    const chain = [];
    for (let s = suite; s !== null; s = s.parent) chain.unshift(s);
    return chain;
  }

  async function runTest(test) {
    const suite = test.parent;
    const path = suite.path;
    if (native.bailed()) {
      report(path, test.name, "skip", 0, undefined, "bail");
      return;
    }
    const start = native.now();
    const chain = chainOf(suite);
    const attempts = 1 + (typeof test.retry === "number" && test.retry > 0 ? test.retry : 0);
    let error;
    for (let attempt = 0; attempt < attempts; attempt++) {
      error = undefined;
      const finished = [];
      const ctx = { path, onFinished: (fn) => finished.push(fn) };
      let cleanups = [];
      try {
        resetAssertions();
        for (const s of chain) cleanups = cleanups.concat(await runHooks(s.hooks.beforeEach, "beforeEach hook"));
        await timed(() => test.run(ctx), timeoutOf(test.timeout), "test", test.site);
        verifyAssertions();
      } catch (e) {
        error = e;
      }
      const after = [];
      for (const s of chain.slice().reverse()) after.push(...s.hooks.afterEach.slice().reverse());
      after.push(...cleanups.reverse().map((fn) => ({ fn, timeout: undefined, site: undefined })));
      try {
        await runAfter(after, "afterEach hook");
      } catch (e) {
        if (error === undefined) error = e;
      }
      for (const fn of finished) {
        try {
          await fn(error !== undefined);
        } catch (e) {
          if (error === undefined) error = e;
        }
      }
      if (error === undefined) break;
    }
    const duration = native.now() - start;
    report(path, test.name, error === undefined ? "pass" : "fail", duration, error);
  }

  async function runSuite(suite) {
    if (suite.error !== undefined) {
      report(suite.path, "", "fail", 0, suite.error, "describe");
      skipAll(suite, "filtered");
      return;
    }
    if (!runnable(suite)) {
      skipAll(suite, "filtered");
      return;
    }
    let cleanups = [];
    let hookError;
    try {
      cleanups = await runHooks(suite.hooks.beforeAll, "beforeAll hook");
    } catch (e) {
      hookError = e;
    }
    if (hookError !== undefined) {
      skipAll(suite, "filtered", hookError);
    } else {
      for (const child of suite.children) {
        if (child instanceof Suite) {
          await runSuite(child);
        } else if (child.reason === "") {
          await runTest(child);
        } else {
          report(suite.path, child.name, child.reason === "todo" ? "todo" : "skip", 0, undefined, child.reason);
        }
      }
    }
    const after = suite.hooks.afterAll
      .slice()
      .reverse()
      .concat(cleanups.reverse().map((fn) => ({ fn, timeout: undefined, site: undefined })));
    try {
      await runAfter(after, "afterAll hook");
    } catch (e) {
      report(suite.path, "", "fail", 0, e, "afterAll");
    }
  }

  // cleanup runs the file's teardowns (alchemy.test destroys what the
  // file's tests left) once; Go runs it again in a fresh turn of the loop
  // when the file ended abnormally before it ran.
  async function cleanup() {
    // Fake timers end with the file, before its teardowns run.
    native.fakeTimers.restore();
    if (cleaned) return;
    cleaned = true;
    for (const fn of teardowns) {
      try {
        await fn();
      } catch (e) {
        report([], "", "fail", 0, e, "cleanup");
      }
    }
  }

  // run waits for the file's top level, then collects and runs its tests.
  // It never rejects: every error is reported.
  async function run(main) {
    try {
      await main;
    } catch (e) {
      collecting = false;
      report([], "", "fail", 0, e, "load");
      await cleanup();
      return;
    }
    try {
      await collect(root);
    } finally {
      collecting = false;
    }
    plan(root, "", false, anyOnly(root));
    if (runnable(root)) {
      for (const setup of setups) {
        try {
          await setup();
        } catch (e) {
          report([], "", "fail", 0, e, "setup");
          skipAll(root, "filtered");
          await cleanup();
          return;
        }
      }
    }
    try {
      await runSuite(root);
    } catch (e) {
      report([], "", "fail", 0, e, "runner");
    }
    await cleanup();
  }

  // -----------------------------------------------------------------------------------------------
  // alchemy.test

  function basename(p) {
    const parts = String(p).split(/[\\/]/);
    return parts[parts.length - 1];
  }

  // scopeName turns a describe or test name into a part of a scope name:
  // scopes cannot contain ":" (state file names use it for "/"), and "/"
  // separates the parts.
  function scopeName(name) {
    const s = String(name).replace(/[:/]/g, "-");
    return s === "" ? "(unnamed)" : s;
  }

  const apps = new Map();

  // alchemyTest is alchemy.test(import.meta, defaults): the returned test
  // function runs each body in the scope <describe…>/<name> of the stage of
  // the file's app <file>, finalized at the end; what a failed test created is
  // destroyed unless --keep; at the end of the file every resource left in
  // the app's stage is destroyed.
  function alchemyTest(meta, defaults) {
    const alchemy = native.alchemy();
    if (typeof alchemy !== "function") throw new Error("alchemy.test: the alchemy module is not available");
    if (!isObjectLike(meta) || typeof meta.filename !== "string") {
      throw new TypeError("alchemy.test(import.meta, options): pass the test file's import.meta");
    }
    const d = defaults === undefined ? {} : defaults;
    if (!isObjectLike(d)) throw new TypeError("alchemy.test(import.meta, options): options must be an object");
    const appName = (d.prefix ? `${d.prefix}-` : "") + basename(meta.filename);
    const open = () => {
      if (!apps.has(appName)) {
        const opened = alchemy(appName, {
          password: d.password === undefined ? "test-password" : d.password,
          quiet: d.quiet === undefined ? true : d.quiet,
          force: d.force,
          destroyStrategy: d.destroyStrategy,
          // Without one, test state is kept in files apart from deployed
          // state.
          stateStore: d.stateStore,
          // The library's test scopes never meet alchemy()'s CI check.
          [Symbol.for("alchemy.noStateStoreCheck")]: true,
          // d.local is not passed on: tests run on the in-process local
          // Cloudflare unless --remote, which the command line decides.
          phase: "up",
        });
        apps.set(appName, opened);
        teardowns.push(async () => {
          let app;
          try {
            app = await opened;
          } catch {
            return; // the app never opened: nothing to destroy
          }
          if (!native.keep) await alchemy.destroy(app);
        });
      }
      return apps.get(appName);
    };
    setups.push(open);

    // scoped runs a test body in its scope "<describe>/…/<name>" of the
    // file's stage (one scope, as the library names it, so that it never
    // meets the ids of resources the file's hooks create in the stage).
    async function scoped(ctx, name, options, fn) {
      const app = await open();
      const id = [...ctx.path, name].map(scopeName).join("/");
      const opts = {
        parent: app,
        quiet: options.quiet === undefined ? (d.quiet === undefined ? true : d.quiet) : options.quiet,
        force: options.force === undefined ? d.force : options.force,
        destroyStrategy: options.destroyStrategy === undefined ? d.destroyStrategy : options.destroyStrategy,
        // Physical names leave the test's scope out, as the library's do:
        // <file>-<id>-<stage>.
        [Symbol.for("alchemy.unnamedScope")]: true,
      };
      let release;
      const gate = new Promise((r) => (release = r));
      let scope;
      const opened = new Promise((resolve, reject) => {
        const done = alchemy.run(id, opts, async (s) => {
          resolve(s);
          await gate;
        });
        done.catch(reject);
        ctx.onFinished(async (failed) => {
          release();
          try {
            await done;
          } finally {
            if (failed && !native.keep && scope !== undefined) await alchemy.destroy(scope);
          }
        });
      });
      scope = await opened;
      return scope.run(() => fn.call(scope, scope));
    }

    function registrar(flags) {
      const t = function test(name, a, b, c) {
        let options = {};
        let fn = a;
        let timeout = b;
        if (typeof a !== "function") {
          options = isObjectLike(a) ? a : {};
          fn = b;
          timeout = c;
        }
        if (typeof fn !== "function") throw new TypeError(`alchemy test ${JSON.stringify(nameOf(name))}: the test function is missing`);
        const testName = nameOf(name);
        addTest(testName, (ctx) => scoped(ctx, testName, options, fn), timeout, undefined, flags);
      };
      Object.defineProperty(t, "skip", { get: () => registrar({ ...flags, skip: true }) });
      t.skipIf = (condition) => registrar({ ...flags, skip: flags.skip || !!condition });
      const rootHook = (kind) => (fn, timeout) => {
        if (typeof fn !== "function") throw new TypeError(`test.${kind}(fn): fn must be a function`);
        hook(kind)(async () => {
          const app = await open();
          await app.run(() => fn.call(app, app));
        }, timeout);
      };
      t.beforeAll = rootHook("beforeAll");
      t.afterAll = rootHook("afterAll");
      return t;
    }
    return registrar({});
  }

  const vitest = {
    describe: makeSuiteAPI({}),
    test: makeTestAPI({}),
    it: makeTestAPI({}),
    expect,
    vi,
    beforeAll: hook("beforeAll"),
    afterAll: hook("afterAll"),
    beforeEach: hook("beforeEach"),
    afterEach: hook("afterEach"),
  };

  return { vitest, alchemyTest, run, cleanup, isCleaned: () => cleaned, print, equals };
});
