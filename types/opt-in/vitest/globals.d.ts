// The globals `alchemy test` gives every test file: the exports of "vitest" (describe, test, it, expect, vi and
// the hooks), as vitest does with `globals: true`, so that test files written for it run unchanged.
//
// Opt in as with vitest: `/// <reference types="vitest/globals" />` at the top of a test file, or
// "vitest/globals" in the "types" of tsconfig.json (the tsconfig alchemy init writes lists
// .alchemy/types/opt-in in "typeRoots"). TypeScript then declares them for every file of the compilation, programs included;
// give the tests their own tsconfig.json to keep them out of the programs.

/* eslint-disable */

declare const describe: import("vitest").SuiteAPI;
declare const test: import("vitest").TestAPI;
declare const it: import("vitest").TestAPI;
declare const expect: import("vitest").ExpectStatic;
declare const vi: import("vitest").VitestUtils;
declare const beforeAll: typeof import("vitest").beforeAll;
declare const afterAll: typeof import("vitest").afterAll;
declare const beforeEach: typeof import("vitest").beforeEach;
declare const afterEach: typeof import("vitest").afterEach;

// The fake timers of vi. They belong with the rest of VitestUtils in the "vitest" module of alchemy.d.ts;
// until they move there, a file sees them once it opts in to these globals.
declare module "vitest" {
  /** What vi.useFakeTimers fakes and how. */
  export interface FakeTimerInstallOpts {
    /** The fake clock's start, in milliseconds since the epoch or as a Date; the real time by default. */
    now?: number | Date;
    /**
     * The globals to fake. By default all of them but queueMicrotask and nextTick: setTimeout, clearTimeout,
     * setInterval, clearInterval, setImmediate, clearImmediate, Date, performance and process.hrtime.
     */
    toFake?: FakeTimerMethod[];
    /** How many timers runAllTimers runs before it gives up on an endless loop; 10000 by default. */
    loopLimit?: number;
    /** Move the fake clock along with the real one, by advanceTimeDelta every advanceTimeDelta ms. */
    shouldAdvanceTime?: boolean;
    /** Milliseconds of each move of shouldAdvanceTime; 20 by default. */
    advanceTimeDelta?: number;
    /** Accepted for compatibility: clearing a real timer while faking always clears it. */
    shouldClearNativeTimers?: boolean;
  }

  export type FakeTimerMethod =
    | "setTimeout"
    | "clearTimeout"
    | "setImmediate"
    | "clearImmediate"
    | "setInterval"
    | "clearInterval"
    | "Date"
    | "nextTick"
    | "hrtime"
    | "performance"
    | "queueMicrotask"
    | "requestAnimationFrame"
    | "cancelAnimationFrame"
    | "requestIdleCallback"
    | "cancelIdleCallback"
    | "Intl";

  export interface VitestUtils {
    /** Replaces the timer globals and Date by a fake clock that moves only when told to, until vi.useRealTimers. */
    useFakeTimers(config?: FakeTimerInstallOpts): VitestUtils;
    /** Puts the real timers and Date back; pending fake timers are dropped. */
    useRealTimers(): VitestUtils;
    isFakeTimers(): boolean;
    /** Moves the fake clock by ms, running every timer due on the way (those the timers set included). */
    advanceTimersByTime(ms: number): VitestUtils;
    /** advanceTimersByTime, letting promise callbacks run after each timer. */
    advanceTimersByTimeAsync(ms: number): Promise<VitestUtils>;
    /** Moves the fake clock to the next timer and runs it, with the others due at the same time. */
    advanceTimersToNextTimer(): VitestUtils;
    advanceTimersToNextTimerAsync(): Promise<VitestUtils>;
    /** Moves the fake clock to the start of the next 16 ms frame. */
    advanceTimersToNextFrame(): VitestUtils;
    /** Runs timers until there are none left; throws after loopLimit timers. */
    runAllTimers(): VitestUtils;
    runAllTimersAsync(): Promise<VitestUtils>;
    /** Runs the timers pending now, not those they set. */
    runOnlyPendingTimers(): VitestUtils;
    runOnlyPendingTimersAsync(): Promise<VitestUtils>;
    /** Runs the callbacks queued with a faked queueMicrotask or process.nextTick. */
    runAllTicks(): VitestUtils;
    /** How many fake timers (and faked microtasks) are waiting. */
    getTimerCount(): number;
    /** Drops every fake timer, and sets the fake clock back to its start. */
    clearAllTimers(): VitestUtils;
    /** Sets the fake clock's date (pending timers keep their remaining delays); without fake timers, freezes Date at it. */
    setSystemTime(time: number | string | Date): VitestUtils;
    /** The fake date, or null when Date is real. */
    getMockedSystemTime(): Date | null;
    /** The real time in milliseconds since the epoch, even while Date is faked. */
    getRealSystemTime(): number;
  }
}
