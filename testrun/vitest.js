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
    if (!Array.isArray(value) && tagOf(value) !== "[object Object]") return s.slice(0, 77) + "...";
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
  // expect

  class AssertionError extends Error {}
  Object.defineProperty(AssertionError.prototype, "name", { value: "AssertionError", writable: true });

  // difference explains how expected and received differ: both values on
  // one line each, or a line diff of their multiline prints.
  function difference(expected, received) {
    const e = print(expected, true);
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
      addTest(name, fn === undefined ? undefined : () => fn(), timeout, retry, flags);
    };
    Object.defineProperty(api, "skip", { get: () => makeTestAPI({ ...flags, skip: true }) });
    Object.defineProperty(api, "only", { get: () => makeTestAPI({ ...flags, only: true }) });
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
        for (const s of chain) cleanups = cleanups.concat(await runHooks(s.hooks.beforeEach, "beforeEach hook"));
        await timed(() => test.run(ctx), timeoutOf(test.timeout), "test", test.site);
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
    if (d.stateStore !== undefined) {
      throw new Error("alchemy.test: option stateStore is not supported: test state is kept in files apart from deployed state");
    }
    const appName = (d.prefix ? `${d.prefix}-` : "") + basename(meta.filename);
    const open = () => {
      if (!apps.has(appName)) {
        const opened = alchemy(appName, {
          password: d.password === undefined ? "test-password" : d.password,
          quiet: d.quiet === undefined ? true : d.quiet,
          force: d.force,
          destroyStrategy: d.destroyStrategy,
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
    beforeAll: hook("beforeAll"),
    afterAll: hook("afterAll"),
    beforeEach: hook("beforeEach"),
    afterEach: hook("afterEach"),
  };

  return { vitest, alchemyTest, run, cleanup, isCleaned: () => cleaned, print, equals };
});
