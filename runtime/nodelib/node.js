// The parts of the Node built-ins that are plain JS over the host: assert,
// deep equality, and util's function helpers. Evaluated once per runtime
// with natives { inspect(value), emitWarning(message) }.
(function (native) {
  "use strict";
  const inspect = (v) => native.inspect(v);
  const toString = (v) => Object.prototype.toString.call(v);

  function isDeepEqual(a, b, strict, memo) {
    if (strict ? Object.is(a, b) : a == b || (a !== a && b !== b)) return true;
    if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
      return false;
    }
    if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    if (toString(a) !== toString(b)) return false;
    if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
    if (a instanceof RegExp) return b instanceof RegExp && String(a) === String(b) && a.lastIndex === b.lastIndex;
    if (a instanceof Error && (a.message !== b.message || a.name !== b.name)) return false;
    if (ArrayBuffer.isView(a)) {
      if (!ArrayBuffer.isView(b) || a.byteLength !== b.byteLength) return false;
      const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    }
    if (a instanceof ArrayBuffer) {
      return isDeepEqual(new Uint8Array(a), new Uint8Array(b), strict, memo);
    }
    for (const box of [Number, String, Boolean]) {
      if (a instanceof box) return b instanceof box && Object.is(a.valueOf(), b.valueOf());
    }
    memo = memo || new Map();
    const seen = memo.get(a);
    if (seen !== undefined && seen === b) return true;
    memo.set(a, b);
    if (Array.isArray(a) && a.length !== b.length) return false;
    if (a instanceof Map) {
      if (a.size !== b.size) return false;
      outer: for (const [k, v] of a) {
        if (b.has(k)) {
          if (!isDeepEqual(v, b.get(k), strict, memo)) return false;
          continue;
        }
        if (typeof k !== "object" || k === null) return false;
        for (const [k2, v2] of b) {
          if (isDeepEqual(k, k2, strict, memo) && isDeepEqual(v, v2, strict, memo)) continue outer;
        }
        return false;
      }
    } else if (a instanceof Set) {
      if (a.size !== b.size) return false;
      outer: for (const v of a) {
        if (b.has(v)) continue;
        if (typeof v !== "object" || v === null) return false;
        for (const v2 of b) if (isDeepEqual(v, v2, strict, memo)) continue outer;
        return false;
      }
    }
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    if (keysA.length !== keysB.length) return false;
    for (const k of keysA) {
      if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
      if (!isDeepEqual(a[k], b[k], strict, memo)) return false;
    }
    if (strict) {
      const symA = Object.getOwnPropertySymbols(a).filter((s) => Object.prototype.propertyIsEnumerable.call(a, s));
      const symB = Object.getOwnPropertySymbols(b).filter((s) => Object.prototype.propertyIsEnumerable.call(b, s));
      if (symA.length !== symB.length) return false;
      for (const s of symA) if (!isDeepEqual(a[s], b[s], strict, memo)) return false;
    }
    return true;
  }

  class AssertionError extends Error {
    constructor(options = {}) {
      const { actual, expected, operator } = options;
      const generated = options.message === undefined;
      const message = generated
        ? `Expected values to be ${operator === "deepStrictEqual" || operator === "strictEqual" ? "strictly " : ""}${operator === "notStrictEqual" || operator === "notDeepStrictEqual" ? "not " : ""}${operator && operator.includes("eep") ? "deep-equal" : "equal"}:\n\n${inspect(actual)}\n\nshould ${operator && operator.startsWith("not") ? "not " : ""}equal\n\n${inspect(expected)}`
        : String(options.message);
      super(message);
      this.name = "AssertionError";
      this.code = "ERR_ASSERTION";
      this.actual = actual;
      this.expected = expected;
      this.operator = operator;
      this.generatedMessage = generated;
    }
  }

  const raise = (message, props) => {
    if (message instanceof Error) throw message;
    throw new AssertionError({ ...props, message });
  };

  function makeAssert(strictMode) {
    function ok(value, message) {
      if (arguments.length === 0) {
        raise("No value argument passed to `assert.ok()`", { actual: undefined, expected: true, operator: "==" });
      }
      if (!value) {
        raise(message === undefined ? `The expression evaluated to a falsy value: ${inspect(value)}` : message, {
          actual: value,
          expected: true,
          operator: "==",
        });
      }
    }
    const assert = function assert(value, message) {
      return ok.apply(undefined, arguments);
    };
    assert.ok = ok;
    assert.AssertionError = AssertionError;
    assert.fail = (message = "Failed") => raise(message, { operator: "fail" });
    assert.strictEqual = (actual, expected, message) => {
      if (!Object.is(actual, expected)) raise(message, { actual, expected, operator: "strictEqual" });
    };
    assert.notStrictEqual = (actual, expected, message) => {
      if (Object.is(actual, expected)) raise(message, { actual, expected, operator: "notStrictEqual" });
    };
    assert.deepStrictEqual = (actual, expected, message) => {
      if (!isDeepEqual(actual, expected, true)) raise(message, { actual, expected, operator: "deepStrictEqual" });
    };
    assert.notDeepStrictEqual = (actual, expected, message) => {
      if (isDeepEqual(actual, expected, true)) raise(message, { actual, expected, operator: "notDeepStrictEqual" });
    };
    if (strictMode) {
      assert.equal = assert.strictEqual;
      assert.notEqual = assert.notStrictEqual;
      assert.deepEqual = assert.deepStrictEqual;
      assert.notDeepEqual = assert.notDeepStrictEqual;
    } else {
      assert.equal = (actual, expected, message) => {
        if (!(actual == expected || (actual !== actual && expected !== expected))) {
          raise(message, { actual, expected, operator: "==" });
        }
      };
      assert.notEqual = (actual, expected, message) => {
        if (actual == expected || (actual !== actual && expected !== expected)) {
          raise(message, { actual, expected, operator: "!=" });
        }
      };
      assert.deepEqual = (actual, expected, message) => {
        if (!isDeepEqual(actual, expected, false)) raise(message, { actual, expected, operator: "deepEqual" });
      };
      assert.notDeepEqual = (actual, expected, message) => {
        if (isDeepEqual(actual, expected, false)) raise(message, { actual, expected, operator: "notDeepEqual" });
      };
    }
    const matches = (err, expected, message) => {
      if (expected === undefined) return;
      if (expected instanceof RegExp) {
        if (!expected.test(String(err))) {
          raise(message, { actual: err, expected, operator: "throws" });
        }
        return;
      }
      if (typeof expected === "function") {
        if (expected.prototype !== undefined && err instanceof expected) return;
        if (Error.isPrototypeOf(expected) || expected === Error) {
          raise(message, { actual: err, expected, operator: "throws" });
        }
        if (expected.call({}, err) !== true) {
          raise(message, { actual: err, expected, operator: "throws" });
        }
        return;
      }
      if (typeof expected === "object" && expected !== null) {
        for (const k of Object.keys(expected)) {
          const want = expected[k];
          const got = err == null ? undefined : err[k];
          const same = want instanceof RegExp && typeof got === "string" ? want.test(got) : isDeepEqual(got, want, true);
          if (!same) raise(message, { actual: err, expected, operator: "throws" });
        }
      }
    };
    const splitArgs = (expected, message) =>
      typeof expected === "string" && message === undefined ? [undefined, expected] : [expected, message];
    assert.throws = (fn, expectedArg, messageArg) => {
      const [expected, message] = splitArgs(expectedArg, messageArg);
      let threw = false;
      let err;
      try {
        fn();
      } catch (e) {
        threw = true;
        err = e;
      }
      if (!threw) raise(message === undefined ? "Missing expected exception." : message, { operator: "throws" });
      matches(err, expected, message);
    };
    assert.doesNotThrow = (fn, message) => {
      try {
        fn();
      } catch (e) {
        raise(typeof message === "string" ? message : `Got unwanted exception.\nActual message: "${e && e.message}"`, {
          actual: e,
          operator: "doesNotThrow",
        });
      }
    };
    assert.rejects = async (promiseOrFn, expectedArg, messageArg) => {
      const [expected, message] = splitArgs(expectedArg, messageArg);
      let rejected = false;
      let err;
      try {
        await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
      } catch (e) {
        rejected = true;
        err = e;
      }
      if (!rejected) raise(message === undefined ? "Missing expected rejection." : message, { operator: "rejects" });
      matches(err, expected, message);
    };
    assert.doesNotReject = async (promiseOrFn, message) => {
      try {
        await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
      } catch (e) {
        raise(typeof message === "string" ? message : `Got unwanted rejection.\nActual message: "${e && e.message}"`, {
          actual: e,
          operator: "doesNotReject",
        });
      }
    };
    assert.match = (string, regexp, message) => {
      if (!regexp.test(string)) {
        raise(message === undefined ? `The input did not match the regular expression ${regexp}. Input:\n\n${inspect(string)}\n` : message, {
          actual: string,
          expected: regexp,
          operator: "match",
        });
      }
    };
    assert.doesNotMatch = (string, regexp, message) => {
      if (regexp.test(string)) {
        raise(message === undefined ? `The input was expected to not match the regular expression ${regexp}. Input:\n\n${inspect(string)}\n` : message, {
          actual: string,
          expected: regexp,
          operator: "doesNotMatch",
        });
      }
    };
    assert.ifError = (value) => {
      if (value !== null && value !== undefined) {
        if (value instanceof Error) throw value;
        raise(`ifError got unwanted exception: ${inspect(value)}`, { actual: value, operator: "ifError" });
      }
    };
    return assert;
  }

  const assert = makeAssert(false);
  assert.strict = makeAssert(true);
  assert.strict.strict = assert.strict;

  const customPromisify = Symbol.for("nodejs.util.promisify.custom");
  function promisify(fn) {
    if (typeof fn !== "function") throw new TypeError('The "original" argument must be of type function');
    if (fn[customPromisify]) return fn[customPromisify];
    return function (...args) {
      return new Promise((resolve, reject) => {
        fn.call(this, ...args, (err, ...values) => (err ? reject(err) : resolve(values[0])));
      });
    };
  }
  promisify.custom = customPromisify;

  function callbackify(fn) {
    if (typeof fn !== "function") throw new TypeError('The "original" argument must be of type function');
    return function (...args) {
      const cb = args.pop();
      if (typeof cb !== "function") throw new TypeError("The last argument must be of type function");
      fn.apply(this, args).then(
        (v) => queueMicrotask(() => cb(null, v)),
        (e) => queueMicrotask(() => cb(e || new Error("Promise was rejected with a falsy value"))),
      );
    };
  }

  function inherits(ctor, superCtor) {
    Object.defineProperty(ctor, "super_", { value: superCtor, writable: true, configurable: true });
    Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  }

  function deprecate(fn, message, code) {
    let warned = false;
    return function (...args) {
      if (!warned) {
        warned = true;
        native.emitWarning(`${code ? `[${code}] ` : ""}DeprecationWarning: ${message}`);
      }
      return new.target ? Reflect.construct(fn, args, new.target) : fn.apply(this, args);
    };
  }

  const tag = (name) => (v) => toString(v) === `[object ${name}]`;
  const types = {
    isPromise: (v) => v instanceof Promise,
    isDate: (v) => v instanceof Date,
    isRegExp: (v) => v instanceof RegExp,
    isMap: (v) => v instanceof Map,
    isSet: (v) => v instanceof Set,
    isWeakMap: (v) => v instanceof WeakMap,
    isWeakSet: (v) => v instanceof WeakSet,
    isNativeError: (v) => v instanceof Error,
    isArrayBuffer: (v) => v instanceof ArrayBuffer,
    isAnyArrayBuffer: (v) => v instanceof ArrayBuffer,
    isArrayBufferView: (v) => ArrayBuffer.isView(v),
    isTypedArray: (v) => ArrayBuffer.isView(v) && !(v instanceof DataView),
    isUint8Array: (v) => v instanceof Uint8Array,
    isDataView: (v) => v instanceof DataView,
    isAsyncFunction: tag("AsyncFunction"),
    isGeneratorFunction: tag("GeneratorFunction"),
    isGeneratorObject: tag("Generator"),
    isBoxedPrimitive: (v) =>
      v instanceof Number || v instanceof String || v instanceof Boolean || (typeof v === "object" && tag("Symbol")(v)),
    isProxy: () => false,
  };

  const callbackAPI = (promises, names) => {
    const out = {};
    for (const name of names) {
      out[name] = function (...args) {
        const cb = args.pop();
        if (typeof cb !== "function") throw new TypeError(`fs.${name}: the last argument must be a callback`);
        promises[name](...args).then(
          (v) => cb(null, v),
          (e) => cb(e),
        );
      };
    }
    return out;
  };

  return {
    assert,
    isDeepStrictEqual: (a, b) => isDeepEqual(a, b, true),
    promisify,
    callbackify,
    inherits,
    deprecate,
    types,
    callbackAPI,
  };
});
