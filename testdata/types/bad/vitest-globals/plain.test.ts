// Without the opt-in (/// <reference types="vitest/globals" />), the globals are unknown.
describe("no opt-in", () => {}); // error TS2582|TS2593: Cannot find name 'describe'
expect(1).toBe(1); // error TS2304: Cannot find name 'expect'
export {};
