// The Node.js built-in modules alchemy programs may import (node:path, node:fs, node:fs/promises,
// node:crypto, node:os, node:url, node:util, node:buffer, node:process, node:assert, node:events), each also
// under its bare name, node:async_hooks (in Workers with nodejs_compat), plus the NodeJS namespace and the
// Node members of import.meta. Each module declares exactly the exports the binary serves.
//
// Layer "node". Leave it out when @types/node is in the program: it declares the same modules.

/* eslint-disable */

interface ImportMeta {
  /** file: URL of the current module. */
  url: string;
  /** Absolute path of the directory that holds the current module. */
  dirname: string;
  /** Absolute path of the current module. */
  filename: string;
}

declare namespace NodeJS {
  /** The type of process.env. Augment it to declare the variables a program expects. */
  interface ProcessEnv {
    [name: string]: string | undefined;
  }

  interface WriteStream {
    readonly fd: number;
    readonly isTTY: boolean;
    write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  }

  interface HRTime {
    (previous?: [number, number]): [number, number];
    bigint(): bigint;
  }

  interface Process {
    env: ProcessEnv;
    argv: string[];
    argv0: string;
    execArgv: string[];
    execPath: string;
    readonly platform: string;
    readonly arch: string;
    readonly pid: number;
    readonly ppid: number;
    title: string;
    readonly version: string;
    readonly versions: { readonly node: string; readonly [name: string]: string | undefined };
    readonly release: { readonly name: string };
    exitCode: number | undefined;
    readonly stdout: WriteStream;
    readonly stderr: WriteStream;
    readonly hrtime: HRTime;
    cwd(): string;
    /** Ends the program. Provider calls in flight finish and state is written first. */
    exit(code?: number): never;
    uptime(): number;
    umask(): number;
    nextTick(callback: (_: void) => void): void;
    nextTick<A extends unknown[]>(callback: (...args: A) => void, ...args: A): void;
    emitWarning(warning: string | Error): void;
    memoryUsage(): { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
    on(event: string, listener: (...args: any[]) => void): this;
    once(event: string, listener: (...args: any[]) => void): this;
    off(event: string, listener: (...args: any[]) => void): this;
    addListener(event: string, listener: (...args: any[]) => void): this;
    removeListener(event: string, listener: (...args: any[]) => void): this;
    removeAllListeners(event?: string): this;
    listeners(event: string): Function[];
    listenerCount(event: string): number;
    emit(event: string, ...args: unknown[]): boolean;
  }
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:buffer" {
  export type BufferEncoding =
    | "ascii"
    | "utf8"
    | "utf-8"
    | "utf16le"
    | "utf-16le"
    | "ucs2"
    | "ucs-2"
    | "base64"
    | "base64url"
    | "latin1"
    | "binary"
    | "hex";

  /** Bytes with Node's encoding helpers. A Buffer is a Uint8Array. */
  export interface Buffer extends Uint8Array {
    toString(encoding?: BufferEncoding, start?: number, end?: number): string;
    toJSON(): { type: "Buffer"; data: number[] };
    equals(other: Uint8Array): boolean;
    compare(target: Uint8Array, targetStart?: number, targetEnd?: number, sourceStart?: number, sourceEnd?: number): -1 | 0 | 1;
    copy(target: Uint8Array, targetStart?: number, sourceStart?: number, sourceEnd?: number): number;
    write(value: string, offset?: number, length?: number, encoding?: BufferEncoding): number;
    readUInt8(offset?: number): number;
    readUInt16BE(offset?: number): number;
    readUInt16LE(offset?: number): number;
    readUInt32BE(offset?: number): number;
    readUInt32LE(offset?: number): number;
    writeUInt8(value: number, offset?: number): number;
    writeUInt16BE(value: number, offset?: number): number;
    writeUInt16LE(value: number, offset?: number): number;
    writeUInt32BE(value: number, offset?: number): number;
    writeUInt32LE(value: number, offset?: number): number;
  }

  export interface BufferConstructor {
    readonly prototype: Buffer;
    from(value: string, encoding?: BufferEncoding): Buffer;
    from(value: ArrayBuffer | SharedArrayBuffer, byteOffset?: number, length?: number): Buffer;
    from(value: ArrayBufferView | ArrayLike<number> | Iterable<number>): Buffer;
    alloc(size: number, fill?: string | number | Uint8Array, encoding?: BufferEncoding): Buffer;
    allocUnsafe(size: number): Buffer;
    byteLength(value: string | ArrayBufferView | ArrayBuffer, encoding?: BufferEncoding): number;
    concat(list: readonly Uint8Array[], totalLength?: number): Buffer;
    compare(a: Uint8Array, b: Uint8Array): -1 | 0 | 1;
    isBuffer(value: unknown): value is Buffer;
    isEncoding(encoding: string): encoding is BufferEncoding;
  }

  export const Buffer: BufferConstructor;
  export function atob(data: string): string;
  export function btoa(data: string): string;
  /** The largest Buffer size. */
  export const kMaxLength: number;
  export const constants: { readonly MAX_LENGTH: number; readonly MAX_STRING_LENGTH: number };

  const _default: typeof import("node:buffer");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:path" {
  export interface ParsedPath {
    root: string;
    dir: string;
    base: string;
    ext: string;
    name: string;
  }

  export interface FormatInputPathObject {
    root?: string;
    dir?: string;
    base?: string;
    ext?: string;
    name?: string;
  }

  export interface PlatformPath {
    normalize(path: string): string;
    join(...paths: string[]): string;
    resolve(...paths: string[]): string;
    isAbsolute(path: string): boolean;
    relative(from: string, to: string): string;
    dirname(path: string): string;
    basename(path: string, suffix?: string): string;
    extname(path: string): string;
    parse(path: string): ParsedPath;
    format(pathObject: FormatInputPathObject): string;
    toNamespacedPath(path: string): string;
    readonly sep: "/" | "\\";
    readonly delimiter: ":" | ";";
    readonly posix: PlatformPath;
  }

  export const normalize: PlatformPath["normalize"];
  export const join: PlatformPath["join"];
  export const resolve: PlatformPath["resolve"];
  export const isAbsolute: PlatformPath["isAbsolute"];
  export const relative: PlatformPath["relative"];
  export const dirname: PlatformPath["dirname"];
  export const basename: PlatformPath["basename"];
  export const extname: PlatformPath["extname"];
  export const parse: PlatformPath["parse"];
  export const format: PlatformPath["format"];
  export const toNamespacedPath: PlatformPath["toNamespacedPath"];
  export const sep: PlatformPath["sep"];
  export const delimiter: PlatformPath["delimiter"];
  export const posix: PlatformPath;

  const path: PlatformPath;
  export default path;
}

declare module "node:path/posix" {
  export * from "node:path";
  export { default } from "node:path";
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:fs" {
  import type { Buffer, BufferEncoding } from "node:buffer";

  export type PathLike = string | URL | Buffer;

  export interface Stats {
    isFile(): boolean;
    isDirectory(): boolean;
    isSymbolicLink(): boolean;
    size: number;
    mode: number;
    uid: number;
    gid: number;
    atimeMs: number;
    mtimeMs: number;
    ctimeMs: number;
    birthtimeMs: number;
    atime: Date;
    mtime: Date;
    ctime: Date;
    birthtime: Date;
  }

  export interface Dirent {
    name: string;
    parentPath: string;
    isFile(): boolean;
    isDirectory(): boolean;
    isSymbolicLink(): boolean;
  }

  export interface WriteFileOptions {
    encoding?: BufferEncoding | null;
    mode?: number;
    flag?: string;
  }

  export interface MakeDirectoryOptions {
    recursive?: boolean;
    mode?: number;
  }

  export interface RmOptions {
    recursive?: boolean;
    force?: boolean;
  }

  export interface CopyOptions {
    recursive?: boolean;
    force?: boolean;
    errorOnExist?: boolean;
  }

  export interface ReadDirectoryOptions {
    encoding?: BufferEncoding | null;
    recursive?: boolean;
  }

  export const constants: {
    readonly F_OK: number;
    readonly R_OK: number;
    readonly W_OK: number;
    readonly X_OK: number;
    readonly COPYFILE_EXCL: number;
  };

  export function readFileSync(path: PathLike, options?: { encoding?: null; flag?: string } | null): Buffer;
  export function readFileSync(path: PathLike, options: BufferEncoding | { encoding: BufferEncoding; flag?: string }): string;
  export function writeFileSync(path: PathLike, data: string | ArrayBufferView, options?: BufferEncoding | WriteFileOptions | null): void;
  export function appendFileSync(path: PathLike, data: string | ArrayBufferView, options?: BufferEncoding | WriteFileOptions | null): void;
  export function existsSync(path: PathLike): boolean;
  export function accessSync(path: PathLike, mode?: number): void;
  export function mkdirSync(path: PathLike, options?: MakeDirectoryOptions | number): string | undefined;
  export function mkdtempSync(prefix: string): string;
  export function readdirSync(path: PathLike, options?: BufferEncoding | (ReadDirectoryOptions & { withFileTypes?: false }) | null): string[];
  export function readdirSync(path: PathLike, options: ReadDirectoryOptions & { withFileTypes: true }): Dirent[];
  export function statSync(path: PathLike): Stats;
  export function lstatSync(path: PathLike): Stats;
  export function rmSync(path: PathLike, options?: RmOptions): void;
  export function rmdirSync(path: PathLike, options?: { recursive?: boolean }): void;
  export function unlinkSync(path: PathLike): void;
  export function renameSync(oldPath: PathLike, newPath: PathLike): void;
  export function copyFileSync(src: PathLike, dest: PathLike, mode?: number): void;
  export function cpSync(src: string | URL, dest: string | URL, options?: CopyOptions): void;
  export function realpathSync(path: PathLike): string;
  export function readlinkSync(path: PathLike): string;
  export function symlinkSync(target: PathLike, path: PathLike, type?: "dir" | "file" | "junction" | null): void;
  export function chmodSync(path: PathLike, mode: number | string): void;

  // The callback forms: the last argument is called with the error (or null) and the result.
  export type NoParamCallback = (err: Error | null) => void;
  export type Callback<T> = (err: Error | null, result: T) => void;
  export function readFile(path: PathLike, callback: Callback<Buffer>): void;
  export function readFile(path: PathLike, options: { encoding?: null; flag?: string } | null | undefined, callback: Callback<Buffer>): void;
  export function readFile(path: PathLike, options: BufferEncoding | { encoding: BufferEncoding; flag?: string }, callback: Callback<string>): void;
  export function writeFile(path: PathLike, data: string | ArrayBufferView, callback: NoParamCallback): void;
  export function writeFile(path: PathLike, data: string | ArrayBufferView, options: BufferEncoding | WriteFileOptions | null | undefined, callback: NoParamCallback): void;
  export function appendFile(path: PathLike, data: string | ArrayBufferView, callback: NoParamCallback): void;
  export function appendFile(path: PathLike, data: string | ArrayBufferView, options: BufferEncoding | WriteFileOptions | null | undefined, callback: NoParamCallback): void;
  export function access(path: PathLike, callback: NoParamCallback): void;
  export function access(path: PathLike, mode: number | undefined, callback: NoParamCallback): void;
  export function mkdir(path: PathLike, callback: Callback<string | undefined>): void;
  export function mkdir(path: PathLike, options: MakeDirectoryOptions | number | undefined, callback: Callback<string | undefined>): void;
  export function mkdtemp(prefix: string, callback: Callback<string>): void;
  export function readdir(path: PathLike, callback: Callback<string[]>): void;
  export function readdir(path: PathLike, options: BufferEncoding | (ReadDirectoryOptions & { withFileTypes?: false }) | null | undefined, callback: Callback<string[]>): void;
  export function readdir(path: PathLike, options: ReadDirectoryOptions & { withFileTypes: true }, callback: Callback<Dirent[]>): void;
  export function stat(path: PathLike, callback: Callback<Stats>): void;
  export function lstat(path: PathLike, callback: Callback<Stats>): void;
  export function rm(path: PathLike, callback: NoParamCallback): void;
  export function rm(path: PathLike, options: RmOptions | undefined, callback: NoParamCallback): void;
  export function rmdir(path: PathLike, callback: NoParamCallback): void;
  export function rmdir(path: PathLike, options: { recursive?: boolean } | undefined, callback: NoParamCallback): void;
  export function unlink(path: PathLike, callback: NoParamCallback): void;
  export function rename(oldPath: PathLike, newPath: PathLike, callback: NoParamCallback): void;
  export function copyFile(src: PathLike, dest: PathLike, callback: NoParamCallback): void;
  export function copyFile(src: PathLike, dest: PathLike, mode: number | undefined, callback: NoParamCallback): void;
  export function cp(src: string | URL, dest: string | URL, callback: NoParamCallback): void;
  export function cp(src: string | URL, dest: string | URL, options: CopyOptions | undefined, callback: NoParamCallback): void;
  export function realpath(path: PathLike, callback: Callback<string>): void;
  export function readlink(path: PathLike, callback: Callback<string>): void;
  export function symlink(target: PathLike, path: PathLike, callback: NoParamCallback): void;
  export function symlink(target: PathLike, path: PathLike, type: "dir" | "file" | "junction" | null | undefined, callback: NoParamCallback): void;
  export function chmod(path: PathLike, mode: number | string, callback: NoParamCallback): void;

  export const promises: typeof import("node:fs/promises");

  const _default: typeof import("node:fs");
  export default _default;
}

declare module "node:fs/promises" {
  import type { Buffer, BufferEncoding } from "node:buffer";
  import type { CopyOptions, Dirent, MakeDirectoryOptions, PathLike, ReadDirectoryOptions, RmOptions, Stats, WriteFileOptions } from "node:fs";

  export const constants: typeof import("node:fs").constants;

  export function readFile(path: PathLike, options?: { encoding?: null; flag?: string } | null): Promise<Buffer>;
  export function readFile(path: PathLike, options: BufferEncoding | { encoding: BufferEncoding; flag?: string }): Promise<string>;
  export function writeFile(path: PathLike, data: string | ArrayBufferView, options?: BufferEncoding | WriteFileOptions | null): Promise<void>;
  export function appendFile(path: PathLike, data: string | ArrayBufferView, options?: BufferEncoding | WriteFileOptions | null): Promise<void>;
  export function access(path: PathLike, mode?: number): Promise<void>;
  export function mkdir(path: PathLike, options?: MakeDirectoryOptions | number): Promise<string | undefined>;
  export function mkdtemp(prefix: string): Promise<string>;
  export function readdir(path: PathLike, options?: BufferEncoding | (ReadDirectoryOptions & { withFileTypes?: false }) | null): Promise<string[]>;
  export function readdir(path: PathLike, options: ReadDirectoryOptions & { withFileTypes: true }): Promise<Dirent[]>;
  export function stat(path: PathLike): Promise<Stats>;
  export function lstat(path: PathLike): Promise<Stats>;
  export function rm(path: PathLike, options?: RmOptions): Promise<void>;
  export function rmdir(path: PathLike, options?: { recursive?: boolean }): Promise<void>;
  export function unlink(path: PathLike): Promise<void>;
  export function rename(oldPath: PathLike, newPath: PathLike): Promise<void>;
  export function copyFile(src: PathLike, dest: PathLike, mode?: number): Promise<void>;
  export function cp(src: string | URL, dest: string | URL, options?: CopyOptions): Promise<void>;
  export function realpath(path: PathLike): Promise<string>;
  export function readlink(path: PathLike): Promise<string>;
  export function symlink(target: PathLike, path: PathLike, type?: "dir" | "file" | "junction" | null): Promise<void>;
  export function chmod(path: PathLike, mode: number | string): Promise<void>;

  const _default: typeof import("node:fs/promises");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:crypto" {
  import type { Buffer, BufferEncoding } from "node:buffer";

  export type BinaryToTextEncoding = "hex" | "base64" | "base64url" | "latin1" | "binary";

  /** A running hash (createHash) or HMAC (createHmac). digest() ends it. */
  export interface Hash {
    update(data: string | ArrayBufferView, inputEncoding?: BufferEncoding): this;
    digest(): Buffer;
    digest(encoding: BinaryToTextEncoding): string;
  }
  export type Hmac = Hash;

  export function randomUUID(): `${string}-${string}-${string}-${string}-${string}`;
  export function randomBytes(size: number): Buffer;
  export function randomInt(max: number): number;
  export function randomInt(min: number, max: number): number;
  export function getRandomValues<T extends ArrayBufferView>(array: T): T;
  export function createHash(algorithm: string): Hash;
  export function createHmac(algorithm: string, key: string | ArrayBufferView): Hmac;
  export function timingSafeEqual(a: ArrayBufferView, b: ArrayBufferView): boolean;
  /** The hash algorithms createHash and hash take. */
  export function getHashes(): string[];
  /** A one-shot digest of data (hex by default). */
  export function hash(algorithm: string, data: string | ArrayBufferView, outputEncoding?: BinaryToTextEncoding): string;
  export function hash(algorithm: string, data: string | ArrayBufferView, outputEncoding: "buffer"): Buffer;

  const _default: typeof import("node:crypto");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:os" {
  export interface CpuInfo {
    model: string;
    speed: number;
  }

  export interface UserInfo {
    username: string;
    uid: number;
    gid: number;
    shell: string | null;
    homedir: string;
  }

  export const EOL: string;
  export function platform(): string;
  export function arch(): string;
  export function type(): string;
  export function release(): string;
  export function hostname(): string;
  export function homedir(): string;
  export function tmpdir(): string;
  export function cpus(): CpuInfo[];
  export function availableParallelism(): number;
  export function totalmem(): number;
  export function freemem(): number;
  export function uptime(): number;
  export function endianness(): "BE" | "LE";
  export function userInfo(): UserInfo;
  export function machine(): string;
  export function version(): string;
  /** The 1, 5 and 15 minute load averages. */
  export function loadavg(): [number, number, number];
  /** Always empty: programs are not meant to depend on the machine's network interfaces. */
  export function networkInterfaces(): Record<string, never[]>;
  export const devNull: string;

  const _default: typeof import("node:os");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:url" {
  const URLClass: typeof URL;
  const URLSearchParamsClass: typeof URLSearchParams;
  export { URLClass as URL, URLSearchParamsClass as URLSearchParams };
  export function fileURLToPath(url: string | URL): string;
  export function pathToFileURL(path: string): URL;
  export function domainToASCII(domain: string): string;
  export function domainToUnicode(domain: string): string;
  export function format(url: string | URL | { protocol?: string; host?: string; hostname?: string; port?: string | number; pathname?: string; search?: string; hash?: string }, options?: { auth?: boolean; fragment?: boolean; search?: boolean; unicode?: boolean }): string;

  const _default: typeof import("node:url");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:util" {
  export interface InspectOptions {
    depth?: number | null;
    colors?: boolean;
    compact?: boolean | number;
    breakLength?: number;
    sorted?: boolean;
    showHidden?: boolean;
  }

  export interface Inspect {
    (value: unknown, options?: InspectOptions): string;
    /** Objects may define [inspect.custom]() to choose how inspect and console show them. */
    readonly custom: unique symbol;
  }

  export const inspect: Inspect;
  export function format(format?: unknown, ...args: unknown[]): string;
  export function isDeepStrictEqual(a: unknown, b: unknown): boolean;
  export function deprecate<F extends (...args: any[]) => any>(fn: F, message: string, code?: string): F;
  export function promisify<R>(fn: (callback: (error: unknown, result: R) => void) => void): () => Promise<R>;
  export function promisify<A, R>(fn: (a: A, callback: (error: unknown, result: R) => void) => void): (a: A) => Promise<R>;
  export function promisify<A, B, R>(fn: (a: A, b: B, callback: (error: unknown, result: R) => void) => void): (a: A, b: B) => Promise<R>;
  export function promisify(fn: Function): (...args: any[]) => Promise<unknown>;
  export function callbackify<R>(fn: () => Promise<R>): (callback: (error: unknown, result: R) => void) => void;
  export function callbackify<A, R>(fn: (a: A) => Promise<R>): (a: A, callback: (error: unknown, result: R) => void) => void;
  export function callbackify(fn: (...args: any[]) => Promise<unknown>): (...args: any[]) => void;
  /** @deprecated Use class extends. */
  export function inherits(constructor: Function, superConstructor: Function): void;

  export const types: {
    isDate(value: unknown): value is Date;
    isRegExp(value: unknown): value is RegExp;
    isPromise(value: unknown): value is Promise<unknown>;
    isUint8Array(value: unknown): value is Uint8Array;
    isArrayBuffer(value: unknown): value is ArrayBuffer;
  };

  const TextEncoderClass: typeof TextEncoder;
  const TextDecoderClass: typeof TextDecoder;
  export { TextEncoderClass as TextEncoder, TextDecoderClass as TextDecoder };

  const _default: typeof import("node:util");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:process" {
  const process: NodeJS.Process;
  export default process;
  export const env: NodeJS.ProcessEnv;
  export const argv: string[];
  export const platform: string;
  export const arch: string;
  export const pid: number;
  export const version: string;
  export const versions: NodeJS.Process["versions"];
  export const stdout: NodeJS.WriteStream;
  export const stderr: NodeJS.WriteStream;
  export const hrtime: NodeJS.HRTime;
  export function cwd(): string;
  export function exit(code?: number): never;
  export function nextTick(callback: (_: void) => void): void;
  export function nextTick<A extends unknown[]>(callback: (...args: A) => void, ...args: A): void;
  export function uptime(): number;
  export const emitWarning: NodeJS.Process["emitWarning"];
  export const memoryUsage: NodeJS.Process["memoryUsage"];
  export const on: NodeJS.Process["on"];
  export const once: NodeJS.Process["once"];
  export const off: NodeJS.Process["off"];
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:assert" {
  class AssertionError extends Error {
    constructor(options?: { message?: string; actual?: unknown; expected?: unknown; operator?: string });
    actual: unknown;
    expected: unknown;
    operator: string;
    code: "ERR_ASSERTION";
  }

  type ErrorMatcher = RegExp | Function | ((error: unknown) => boolean) | object;

  interface Assert {
    (value: unknown, message?: string | Error): asserts value;
    ok(value: unknown, message?: string | Error): asserts value;
    fail(message?: string | Error): never;
    equal(actual: unknown, expected: unknown, message?: string | Error): void;
    notEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    strictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T;
    notStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    deepEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    notDeepEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    deepStrictEqual<T>(actual: unknown, expected: T, message?: string | Error): asserts actual is T;
    notDeepStrictEqual(actual: unknown, expected: unknown, message?: string | Error): void;
    throws(block: () => unknown, error?: ErrorMatcher | string, message?: string | Error): void;
    doesNotThrow(block: () => unknown, message?: string | Error): void;
    rejects(block: Promise<unknown> | (() => Promise<unknown>), error?: ErrorMatcher | string, message?: string | Error): Promise<void>;
    doesNotReject(block: Promise<unknown> | (() => Promise<unknown>), message?: string | Error): Promise<void>;
    match(value: string, regExp: RegExp, message?: string | Error): void;
    doesNotMatch(value: string, regExp: RegExp, message?: string | Error): void;
    ifError(value: unknown): asserts value is null | undefined;
    readonly strict: Assert;
    readonly AssertionError: typeof AssertionError;
  }

  const assert: Assert;
  export default assert;
  export const ok: Assert["ok"];
  export const fail: Assert["fail"];
  export const equal: Assert["equal"];
  export const notEqual: Assert["notEqual"];
  export const strictEqual: Assert["strictEqual"];
  export const notStrictEqual: Assert["notStrictEqual"];
  export const deepEqual: Assert["deepEqual"];
  export const notDeepEqual: Assert["notDeepEqual"];
  export const deepStrictEqual: Assert["deepStrictEqual"];
  export const notDeepStrictEqual: Assert["notDeepStrictEqual"];
  export const throws: Assert["throws"];
  export const doesNotThrow: Assert["doesNotThrow"];
  export const rejects: Assert["rejects"];
  export const doesNotReject: Assert["doesNotReject"];
  export const match: Assert["match"];
  export const doesNotMatch: Assert["doesNotMatch"];
  export const ifError: Assert["ifError"];
  export const strict: Assert;
  export { AssertionError };
}

declare module "node:assert/strict" {
  export * from "node:assert";
  export { default } from "node:assert";
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:events" {
  type Listener = (...args: any[]) => void;

  interface EventEmitterOptions {
    captureRejections?: boolean;
  }

  /** The event emitter of Node: listeners by event name, called in order by emit. */
  class EventEmitter {
    constructor(options?: EventEmitterOptions);
    static readonly EventEmitter: typeof EventEmitter;
    static defaultMaxListeners: number;
    static readonly errorMonitor: unique symbol;
    static readonly captureRejectionSymbol: unique symbol;
    /** Resolves with the arguments of the next such event (rejects on "error"). */
    static once(emitter: EventEmitter | EventTarget, name: string | symbol, options?: { signal?: AbortSignal }): Promise<any[]>;
    /** The arguments of each such event, as an async iterator. */
    static on(emitter: EventEmitter, name: string | symbol): AsyncIterableIterator<any[]>;
    static getEventListeners(emitter: EventEmitter | EventTarget, name: string | symbol): Function[];
    static setMaxListeners(n?: number, ...targets: (EventEmitter | EventTarget)[]): void;
    /** @deprecated Use emitter.listenerCount(name). */
    static listenerCount(emitter: EventEmitter, name: string | symbol): number;

    setMaxListeners(n: number): this;
    getMaxListeners(): number;
    emit(name: string | symbol, ...args: any[]): boolean;
    addListener(name: string | symbol, listener: Listener): this;
    on(name: string | symbol, listener: Listener): this;
    once(name: string | symbol, listener: Listener): this;
    prependListener(name: string | symbol, listener: Listener): this;
    prependOnceListener(name: string | symbol, listener: Listener): this;
    removeListener(name: string | symbol, listener: Listener): this;
    off(name: string | symbol, listener: Listener): this;
    removeAllListeners(name?: string | symbol): this;
    listeners(name: string | symbol): Function[];
    rawListeners(name: string | symbol): Function[];
    listenerCount(name: string | symbol): number;
    eventNames(): (string | symbol)[];
  }

  export default EventEmitter;
  export { EventEmitter };
  export type { EventEmitterOptions };
  export const once: typeof EventEmitter.once;
  export const on: typeof EventEmitter.on;
  export const getEventListeners: typeof EventEmitter.getEventListeners;
  export const setMaxListeners: typeof EventEmitter.setMaxListeners;
  export const listenerCount: typeof EventEmitter.listenerCount;
  export const errorMonitor: typeof EventEmitter.errorMonitor;
  export const captureRejectionSymbol: typeof EventEmitter.captureRejectionSymbol;
  export let defaultMaxListeners: number;
}

// ---------------------------------------------------------------------------------------------------------

/** Served to Workers with the nodejs_compat (or nodejs_als) flag. */
declare module "node:async_hooks" {
  /** A value that follows the code that runs from run() on, across awaits, timers and callbacks. */
  export class AsyncLocalStorage<T> {
    constructor();
    /** Binds fn to the current context. */
    static bind<F extends (...args: any[]) => any>(fn: F): F;
    /** Returns a function that runs its argument in the current context. */
    static snapshot(): <R, A extends any[]>(fn: (...args: A) => R, ...args: A) => R;
    getStore(): T | undefined;
    run<R, A extends any[]>(store: T, fn: (...args: A) => R, ...args: A): R;
    exit<R, A extends any[]>(fn: (...args: A) => R, ...args: A): R;
    enterWith(store: T): void;
    disable(): void;
  }

  /** A context captured when constructed, to run callbacks in later. */
  export class AsyncResource {
    constructor(type: string, options?: object);
    static bind<F extends (...args: any[]) => any>(fn: F, type?: string): F;
    runInAsyncScope<R, A extends any[]>(fn: (...args: A) => R, thisArg?: unknown, ...args: A): R;
    bind<F extends (...args: any[]) => any>(fn: F): F;
  }

  const _default: { AsyncLocalStorage: typeof AsyncLocalStorage; AsyncResource: typeof AsyncResource };
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------
// Bare spellings

declare module "buffer" {
  export * from "node:buffer";
  export { default } from "node:buffer";
}
declare module "path" {
  export * from "node:path";
  export { default } from "node:path";
}
declare module "path/posix" {
  export * from "node:path";
  export { default } from "node:path";
}
declare module "fs" {
  export * from "node:fs";
  export { default } from "node:fs";
}
declare module "fs/promises" {
  export * from "node:fs/promises";
  export { default } from "node:fs/promises";
}
declare module "crypto" {
  export * from "node:crypto";
  export { default } from "node:crypto";
}
declare module "os" {
  export * from "node:os";
  export { default } from "node:os";
}
declare module "url" {
  export * from "node:url";
  export { default } from "node:url";
}
declare module "util" {
  export * from "node:util";
  export { default } from "node:util";
}
declare module "process" {
  export * from "node:process";
  export { default } from "node:process";
}
declare module "assert" {
  export * from "node:assert";
  export { default } from "node:assert";
}
declare module "assert/strict" {
  export * from "node:assert";
  export { default } from "node:assert";
}
declare module "events" {
  export * from "node:events";
  export { default } from "node:events";
}
declare module "async_hooks" {
  export * from "node:async_hooks";
  export { default } from "node:async_hooks";
}
