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
