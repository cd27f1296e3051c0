// Fake timers for `alchemy test`: vi.useFakeTimers and the calls that move
// the fake clock, with the semantics vitest gets from @sinonjs/fake-timers.
// Evaluated once per test file's runtime, before the file runs, so that the
// real timers, Date, performance and process.hrtime it keeps are the
// runtime's own. Returns { members(vi), isFake(), advance(ms), restore() }:
// the vi members, what vi.waitFor needs, and the reset the runner does at
// the end of the file.
//
// Faking replaces globals (as the library does), and never touches the
// runtime's timer table: a fake timer is a record in the clock below, not a
// loop timer, so pending fake timers neither keep the file alive nor fire
// after vi.useRealTimers().
(function () {
  "use strict";

  const g = globalThis;
  const RealDate = g.Date;
  const realNow = RealDate.now;
  const real = {
    setTimeout: g.setTimeout,
    clearTimeout: g.clearTimeout,
    setInterval: g.setInterval,
    clearInterval: g.clearInterval,
    setImmediate: g.setImmediate,
    clearImmediate: g.clearImmediate,
  };

  // Fake timer ids start far above the runtime's, so that a clear call can
  // tell the two apart and hand real ids to the real clear function.
  const FIRST_ID = 1e12;
  // Delays above the largest 32-bit signed integer become 1, as in Node.
  const MAX_DELAY = 2 ** 31 - 1;
  const DEFAULT_LOOP_LIMIT = 10000;
  // The frame length advanceTimersToNextFrame moves to (60 frames a second).
  const FRAME = 16;

  // Everything the clock can fake; by default all but the two that run
  // promise-like jobs, as vitest does.
  const FAKEABLE = [
    "setTimeout",
    "clearTimeout",
    "setInterval",
    "clearInterval",
    "setImmediate",
    "clearImmediate",
    "Date",
    "hrtime",
    "performance",
    "nextTick",
    "queueMicrotask",
  ];
  const NOT_BY_DEFAULT = ["nextTick", "queueMicrotask"];

  const notMocked = () => new Error('Timers are not mocked. Try calling "vi.useFakeTimers()" first.');
  const loopError = (limit) => new Error(`Aborting after running ${limit} timers, assuming an infinite loop!`);

  // yieldToLoop settles after a real turn of the event loop, by which time
  // every promise callback queued before it has run.
  const yieldToLoop = () =>
    new Promise((resolve) => (typeof real.setImmediate === "function" ? real.setImmediate(resolve) : real.setTimeout(resolve, 0)));

  function delayOf(value) {
    let ms = typeof value === "number" ? value : parseInt(value, 10);
    if (!Number.isFinite(ms)) ms = 0;
    if (ms > MAX_DELAY) ms = 1;
    return Math.trunc(Math.max(0, ms));
  }

  // durationOf reads an advance: milliseconds, or a string of seconds,
  // "m:s" or "h:m:s" (two digits a part), as the library reads it.
  function durationOf(value) {
    if (typeof value === "number") return value;
    if (!value) return 0;
    const s = String(value);
    if (!/^(\d\d:){0,2}\d\d?$/.test(s)) throw new Error("tick only understands numbers, 'm:s' and 'h:m:s'. Each part must be two digits");
    let seconds = 0;
    for (const part of s.split(":")) {
      const n = parseInt(part, 10);
      if (n >= 60) throw new Error(`Invalid time ${s}`);
      seconds = seconds * 60 + n;
    }
    return seconds * 1000;
  }

  function epochOf(value) {
    if (!value) return 0;
    if (typeof value.getTime === "function") return value.getTime();
    if (typeof value === "number") return value;
    throw new TypeError("now should be milliseconds since UNIX epoch");
  }

  // Does the runtime's setTimeout return Node's Timeout objects (test files
  // with a process) or numbers (Workers)? The fakes return the same kind.
  let handlesAreObjects;
  function objectHandles() {
    if (handlesAreObjects === undefined) {
      const probe = real.setTimeout(() => {}, MAX_DELAY);
      handlesAreObjects = typeof probe === "object";
      real.clearTimeout(probe);
    }
    return handlesAreObjects;
  }

  // -----------------------------------------------------------------------------------------------
  // The clock: the fake time and the timers and jobs waiting on it.

  class Clock {
    constructor(start, loopLimit) {
      this.start = start;
      this.now = start;
      // Sub-millisecond remainder of fractional advances, in nanoseconds.
      this.nanos = 0;
      // Sum of the jumps setSystemTime made: the monotonic clocks
      // (performance.now, hrtime) do not see them.
      this.jumped = 0;
      this.loopLimit = loopLimit;
      this.timers = new Map();
      this.jobs = [];
      this.nextId = FIRST_ID;
      // While timers run, a timer added with no delay is due 1 ms later,
      // never in the same instant.
      this.ticking = false;
      // The end of the advance in progress (setSystemTime moves it).
      this.target = undefined;
    }

    // monotonic is the fake performance.now(): milliseconds since install.
    monotonic() {
      return this.now - this.start - this.jumped + this.nanos / 1e6;
    }

    add(kind, fn, delay, args) {
      const timer = { id: this.nextId++, kind, fn, args, delay, createdAt: this.now, callAt: 0, refed: true };
      if (kind === "Interval") timer.interval = Math.max(1, delay);
      this.schedule(timer);
      return timer;
    }

    schedule(timer) {
      timer.callAt = this.now + (timer.delay || (this.ticking ? 1 : 0));
      this.timers.set(timer.id, timer);
    }

    count() {
      return this.timers.size + this.jobs.length;
    }

    // Timers run in time order; at the same time setImmediate callbacks come
    // first, then the earlier scheduled.
    static before(a, b) {
      if (a.callAt !== b.callAt) return a.callAt < b.callAt;
      if ((a.kind === "Immediate") !== (b.kind === "Immediate")) return a.kind === "Immediate";
      if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
      return a.id < b.id;
    }

    first(limit) {
      let found;
      for (const t of this.timers.values()) {
        if (limit !== undefined && !(t.callAt <= limit)) continue;
        if (found === undefined || Clock.before(t, found)) found = t;
      }
      return found;
    }

    last() {
      let found;
      for (const t of this.timers.values()) if (found === undefined || Clock.before(found, t)) found = t;
      return found;
    }

    fire(timer) {
      if (timer.interval !== undefined) timer.callAt += timer.interval;
      else this.timers.delete(timer.id);
      timer.fn.apply(undefined, timer.args);
    }

    runJobs() {
      for (let i = 0; i < this.jobs.length; i++) {
        const job = this.jobs[i];
        job.fn.apply(undefined, job.args);
        if (i > this.loopLimit) throw loopError(this.loopLimit);
      }
      this.jobs = [];
    }

    // targetOf turns an advance of ms into the time it ends at, carrying
    // fractions of a millisecond over to later advances.
    targetOf(ms) {
      const n = durationOf(ms);
      if (n < 0) throw new TypeError("Negative ticks are not supported");
      // NaN would break the clock and Infinity never end an interval.
      if (!Number.isFinite(n)) throw new TypeError(`Cannot advance the clock by ${String(ms)} ms`);
      const whole = Math.floor(n);
      this.nanos += Math.round((n - whole) * 1e6);
      let target = this.now + whole;
      if (this.nanos >= 1e6) {
        target += 1;
        this.nanos -= 1e6;
      }
      return target;
    }

    // advancing advances to target, running every timer due by then, those
    // the timers schedule included, and yields after each timer. A throwing
    // timer does not stop the others; the first error is thrown at the end.
    *advancing(target) {
      const outer = [this.ticking, this.target];
      this.ticking = true;
      this.target = target;
      let failed = false;
      let error;
      const attempt = (fn) => {
        try {
          fn();
        } catch (e) {
          if (!failed) [failed, error] = [true, e];
        }
      };
      try {
        attempt(() => this.runJobs());
        for (;;) {
          const timer = this.first(this.target);
          if (timer === undefined) {
            attempt(() => this.runJobs());
            if (this.first(this.target) !== undefined) continue;
            break;
          }
          this.now = timer.callAt;
          attempt(() => {
            this.runJobs();
            this.fire(timer);
          });
          yield;
        }
        this.now = this.target;
      } finally {
        [this.ticking, this.target] = outer;
      }
      if (failed) throw error;
      return this.now;
    }

    tick(ms) {
      const steps = this.advancing(this.targetOf(ms));
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
      }
    }

    // tickAsync is tick with a real turn of the event loop after each timer,
    // so that promise callbacks run between timers.
    async tickAsync(ms) {
      await yieldToLoop();
      const steps = this.advancing(this.targetOf(ms));
      for (;;) {
        const step = steps.next();
        if (step.done) return step.value;
        await yieldToLoop();
      }
    }

    // next moves to the first timer and runs it (and the jobs it queued).
    next() {
      this.runJobs();
      const timer = this.first();
      if (timer === undefined) return this.now;
      const outer = this.ticking;
      this.ticking = true;
      try {
        this.now = timer.callAt;
        this.fire(timer);
        this.runJobs();
        return this.now;
      } finally {
        this.ticking = outer;
      }
    }

    async nextAsync() {
      await yieldToLoop();
      const timer = this.first();
      if (timer === undefined) return this.now;
      const outer = this.ticking;
      this.ticking = true;
      this.now = timer.callAt;
      let failed = false;
      let error;
      try {
        this.fire(timer);
      } catch (e) {
        [failed, error] = [true, e];
      } finally {
        this.ticking = outer;
      }
      await yieldToLoop();
      if (failed) throw error;
      return this.now;
    }

    runAll() {
      this.runJobs();
      for (let i = 0; i < this.loopLimit; i++) {
        if (this.timers.size === 0) return this.now;
        this.next();
      }
      throw loopError(this.loopLimit);
    }

    async runAllAsync() {
      for (let i = 0; ; i++) {
        await yieldToLoop();
        this.runJobs();
        if (i >= this.loopLimit) throw loopError(this.loopLimit);
        if (this.timers.size === 0) return this.now;
        this.next();
      }
    }

    // runToLast runs the timers pending now (up to the time of the last of
    // them), not those they schedule beyond it.
    runToLast() {
      const timer = this.last();
      if (timer === undefined) {
        this.runJobs();
        return this.now;
      }
      return this.tick(timer.callAt - this.now);
    }

    async runToLastAsync() {
      await yieldToLoop();
      const timer = this.last();
      if (timer === undefined) {
        this.runJobs();
        return this.now;
      }
      return this.tickAsync(timer.callAt - this.now);
    }

    toNextFrame() {
      return this.tick(FRAME - ((this.now - this.start) % FRAME));
    }

    reset() {
      this.timers.clear();
      this.jobs = [];
      this.now = this.start;
      this.nanos = 0;
    }

    // setSystemTime changes the time Date sees; pending timers keep the
    // delay they had left.
    setSystemTime(value) {
      const to = epochOf(value);
      const diff = to - this.now;
      this.jumped += diff;
      this.now = to;
      this.nanos = 0;
      for (const t of this.timers.values()) {
        t.createdAt += diff;
        t.callAt += diff;
      }
      if (this.target !== undefined) this.target += diff;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // The fake globals

  // makeDate returns a Date constructor whose current time is nowOf():
  // new Date() and Date.now() read it, Date() prints it; its instances are
  // real Dates (same prototype), so instanceof and the matchers see no
  // difference.
  function makeDate(nowOf) {
    const FakeDate = function Date(...args) {
      if (new.target === undefined) return new RealDate(nowOf()).toString();
      return Reflect.construct(RealDate, args.length === 0 ? [nowOf()] : args, new.target);
    };
    Object.defineProperty(FakeDate, "length", { value: RealDate.length });
    Object.defineProperty(FakeDate, "prototype", { value: RealDate.prototype, writable: false });
    FakeDate.now = () => nowOf();
    FakeDate.parse = RealDate.parse;
    FakeDate.UTC = RealDate.UTC;
    FakeDate.toString = () => RealDate.toString();
    FakeDate.isFake = true;
    return FakeDate;
  }

  function hrtimeOf(clock) {
    const hrtime = function hrtime(prev) {
      const ms = clock.monotonic();
      let sec = Math.floor(ms / 1000);
      let ns = Math.round((ms - sec * 1000) * 1e6);
      if (Array.isArray(prev)) {
        if (prev[1] > 1e9) throw new TypeError("Number of nanoseconds can't exceed a billion");
        sec -= prev[0];
        ns -= prev[1];
        if (ns < 0) {
          ns += 1e9;
          sec -= 1;
        }
      }
      return [sec, ns];
    };
    hrtime.bigint = () => {
      const [sec, ns] = hrtime();
      return BigInt(sec) * 1000000000n + BigInt(ns);
    };
    return hrtime;
  }

  // Globals swaps globals and puts the originals back, own property
  // descriptors included (a global may be a lazy getter).
  class Globals {
    constructor() {
      this.saved = [];
    }
    replace(target, name, value) {
      const d = Object.getOwnPropertyDescriptor(target, name);
      if (d !== undefined && !d.configurable && !d.writable) return false;
      this.saved.push({ target, name, d });
      if (d === undefined || d.configurable) {
        Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: d ? d.enumerable : false });
      } else {
        target[name] = value;
      }
      return true;
    }
    restore() {
      for (const { target, name, d } of this.saved.reverse()) {
        if (d === undefined) delete target[name];
        else if (d.configurable) Object.defineProperty(target, name, d);
        else target[name] = d.value;
      }
      this.saved = [];
    }
  }

  function requireFunction(fn) {
    if (typeof fn !== "function") throw new TypeError('The "callback" argument must be of type function');
  }

  // fakes builds the replacement of each global for clock.
  function fakes(clock) {
    const handle = (timer) => {
      if (!objectHandles()) return timer.id;
      const h = {
        ref() {
          timer.refed = true;
          return h;
        },
        unref() {
          timer.refed = false;
          return h;
        },
        hasRef: () => timer.refed,
        refresh() {
          clock.schedule(timer);
          return h;
        },
        close() {
          clock.timers.delete(timer.id);
          return h;
        },
        [Symbol.toPrimitive]: () => timer.id,
      };
      return h;
    };
    const clear = (kind) =>
      function (handle) {
        if (!handle) return;
        const id = Number(handle);
        if (Number.isNaN(id) || id < FIRST_ID) {
          // A timer of the runtime, made before faking or by a kept real
          // setTimeout: clear it for real.
          return real["clear" + kind](handle);
        }
        const timer = clock.timers.get(id);
        if (timer === undefined) return;
        const same = timer.kind === kind || (timer.kind !== "Immediate" && kind !== "Immediate");
        if (!same) throw new Error(`Cannot clear timer: timer created with set${timer.kind}() but cleared with clear${kind}()`);
        clock.timers.delete(id);
      };
    const job = (fn, args) => {
      requireFunction(fn);
      clock.jobs.push({ fn, args });
    };
    const perf = Object.create(g.performance !== undefined && g.performance !== null ? g.performance : null);
    perf.now = () => clock.monotonic();
    return {
      setTimeout(fn, delay, ...args) {
        requireFunction(fn);
        return handle(clock.add("Timeout", fn, delayOf(delay), args));
      },
      setInterval(fn, delay, ...args) {
        requireFunction(fn);
        return handle(clock.add("Interval", fn, delayOf(delay), args));
      },
      setImmediate(fn, ...args) {
        requireFunction(fn);
        return handle(clock.add("Immediate", fn, 0, args));
      },
      clearTimeout: clear("Timeout"),
      clearInterval: clear("Interval"),
      clearImmediate: clear("Immediate"),
      queueMicrotask: (fn) => job(fn, []),
      nextTick: (fn, ...args) => job(fn, args),
      Date: makeDate(() => clock.now),
      hrtime: hrtimeOf(clock),
      performance: perf,
    };
  }

  // -----------------------------------------------------------------------------------------------
  // The vi members

  let clock; // set while timers are faked
  let frozenDate = null; // set while only Date is mocked (vi.setSystemTime without fake timers)
  let advancing; // the real interval of shouldAdvanceTime
  const globals = new Globals();

  function check() {
    if (clock === undefined) throw notMocked();
    return clock;
  }

  function install(config) {
    const c = config === undefined || config === null ? {} : config;
    if (typeof c !== "object") throw new TypeError("vi.useFakeTimers(config): config must be an object");
    const toFake = Array.isArray(c.toFake) ? c.toFake : FAKEABLE.filter((n) => !NOT_BY_DEFAULT.includes(n));
    const start = c.now === undefined ? realNow() : epochOf(c.now);
    const limit = typeof c.loopLimit === "number" && c.loopLimit > 0 ? c.loopLimit : DEFAULT_LOOP_LIMIT;
    const fresh = new Clock(start, limit);
    const made = fakes(fresh);
    const proc = g.process;
    for (const name of toFake) {
      if (!FAKEABLE.includes(name)) continue; // what this runtime does not have (requestAnimationFrame, ...)
      if (name === "hrtime" || name === "nextTick") {
        if (proc !== null && typeof proc === "object" && typeof proc[name] === "function") globals.replace(proc, name, made[name]);
        continue;
      }
      if (name === "performance" && (g.performance === undefined || g.performance === null)) continue;
      if (name !== "Date" && name !== "performance" && typeof g[name] !== "function") continue;
      globals.replace(g, name, made[name]);
    }
    clock = fresh;
    if (c.shouldAdvanceTime === true) {
      const delta = typeof c.advanceTimeDelta === "number" && c.advanceTimeDelta > 0 ? c.advanceTimeDelta : 20;
      advancing = real.setInterval(() => fresh.tick(delta), delta);
    }
  }

  function uninstall() {
    if (advancing !== undefined) {
      real.clearInterval(advancing);
      advancing = undefined;
    }
    globals.restore();
    clock = undefined;
    frozenDate = null;
  }

  function useFakeTimers(config) {
    if (frozenDate !== null) {
      throw new Error(
        '"setSystemTime" was called already and date was mocked. Reset timers using `vi.useRealTimers()` if you want to use fake timers again.',
      );
    }
    // As in vitest, a second call while faking keeps the clock it has.
    if (clock === undefined) install(config);
  }

  function setSystemTime(time) {
    const date = time === undefined || time instanceof RealDate ? time : new RealDate(time);
    if (date !== undefined && Number.isNaN(date.getTime())) throw new TypeError(`mockdate: The time set is an invalid date: ${String(time)}`);
    if (clock !== undefined) {
      clock.setSystemTime(date);
      return;
    }
    const frozen = date === undefined ? new RealDate(realNow()) : date;
    if (frozenDate === null) globals.replace(g, "Date", makeDate(() => frozenDate.getTime()));
    frozenDate = frozen;
  }

  // members returns the fake timer members of vi; each returns vi (or its
  // promise) where vitest's do.
  function members(vi) {
    const chain = (fn) =>
      function (...args) {
        fn(...args);
        return vi;
      };
    const chainAsync = (fn) =>
      async function (...args) {
        await fn(...args);
        return vi;
      };
    return {
      useFakeTimers: chain(useFakeTimers),
      useRealTimers: chain(uninstall),
      isFakeTimers: () => clock !== undefined,
      advanceTimersByTime: chain((ms) => check().tick(ms)),
      advanceTimersByTimeAsync: chainAsync((ms) => check().tickAsync(ms)),
      // One timer, and the others due at the same time. An argument is
      // ignored, as vitest's vi ignores it (it runs one step).
      advanceTimersToNextTimer: chain(() => {
        const c = check();
        c.next();
        c.tick(0);
      }),
      advanceTimersToNextTimerAsync: chainAsync(async () => {
        const c = check();
        await c.nextAsync();
        c.tick(0);
      }),
      advanceTimersToNextFrame: chain(() => check().toNextFrame()),
      runAllTimers: chain(() => check().runAll()),
      runAllTimersAsync: chainAsync(() => check().runAllAsync()),
      runOnlyPendingTimers: chain(() => check().runToLast()),
      runOnlyPendingTimersAsync: chainAsync(() => check().runToLastAsync()),
      runAllTicks: chain(() => check().runJobs()),
      getTimerCount: () => check().count(),
      clearAllTimers: chain(() => {
        if (clock !== undefined) clock.reset();
      }),
      setSystemTime: chain(setSystemTime),
      getMockedSystemTime: () => (clock !== undefined ? new RealDate(clock.now) : frozenDate === null ? null : new RealDate(frozenDate.getTime())),
      getRealSystemTime: () => realNow(),
    };
  }

  return {
    members,
    isFake: () => clock !== undefined,
    advance: (ms) => check().tick(ms),
    restore: uninstall,
  };
});
