// The Node.js built-in modules alchemy programs may import (node:path, node:fs, node:fs/promises,
// node:crypto, node:os, node:url, node:util, node:buffer, node:process, node:assert, node:events,
// node:stream with stream/promises, stream/web and stream/consumers, node:string_decoder, node:timers with
// timers/promises, node:zlib, node:querystring, node:diagnostics_channel), each also under its bare name,
// node:async_hooks (in Workers with nodejs_compat), plus the NodeJS namespace and the Node members of
// import.meta. Each module declares exactly the exports the binary serves.
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

declare module "node:stream" {
  import type { BufferEncoding } from "node:buffer";
  import { EventEmitter } from "node:events";

  /** The options every Node stream takes. */
  interface StreamOptions<S> {
    /** Bytes (objects in object mode) buffered before the stream asks its producer to wait. */
    highWaterMark?: number;
    /** Chunks are any value but null, not bytes or strings. */
    objectMode?: boolean;
    /** Emit "close" once destroyed (default true). */
    emitClose?: boolean;
    /** Destroy the stream once it has ended or finished (default true). */
    autoDestroy?: boolean;
    /** Aborting it destroys the stream with an AbortError. */
    signal?: AbortSignal;
    /** Runs before the first _read or _write; the stream buffers until callback is called. */
    construct?(this: S, callback: (error?: Error | null) => void): void;
    destroy?(this: S, error: Error | null, callback: (error?: Error | null) => void): void;
  }

  interface ReadableOptions<S extends Readable = Readable> extends StreamOptions<S> {
    /** Chunks are decoded to strings in this encoding. */
    encoding?: BufferEncoding;
    read?(this: S, size: number): void;
  }

  interface WritableOptions<S extends Writable = Writable> extends StreamOptions<S> {
    /** Turn strings written into Buffers before _write (default true). */
    decodeStrings?: boolean;
    /** The encoding of strings written without one (default "utf8"). */
    defaultEncoding?: BufferEncoding;
    write?(this: S, chunk: any, encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
    writev?(this: S, chunks: { chunk: any; encoding: BufferEncoding }[], callback: (error?: Error | null) => void): void;
    /** Runs once everything written has been handled, before "finish". */
    final?(this: S, callback: (error?: Error | null) => void): void;
  }

  interface DuplexOptions<S extends Duplex = Duplex> extends ReadableOptions<S>, WritableOptions<S> {
    /** Keep the writable side open once the readable side has ended (default true). */
    allowHalfOpen?: boolean;
    /** false: the stream starts with its readable side ended. */
    readable?: boolean;
    /** false: the stream starts with its writable side finished. */
    writable?: boolean;
    readableObjectMode?: boolean;
    writableObjectMode?: boolean;
    readableHighWaterMark?: number;
    writableHighWaterMark?: number;
  }

  /** Called by _transform and _flush: with an error, or with data to push (null or undefined: none). */
  type TransformCallback = (error?: Error | null, data?: any) => void;

  interface TransformOptions<S extends Transform = Transform> extends DuplexOptions<S> {
    transform?(this: S, chunk: any, encoding: BufferEncoding, callback: TransformCallback): void;
    /** Runs once the writable side has finished, before the readable side ends. */
    flush?(this: S, callback: TransformCallback): void;
  }

  /** The events of a Readable and the arguments their listeners get. */
  interface ReadableEvents {
    close: [];
    data: [chunk: any];
    end: [];
    error: [error: Error];
    pause: [];
    readable: [];
    resume: [];
  }

  /** The events of a Writable and the arguments their listeners get. */
  interface WritableEvents {
    close: [];
    drain: [];
    error: [error: Error];
    finish: [];
    pipe: [source: Readable];
    unpipe: [source: Readable];
  }

  interface DuplexEvents extends ReadableEvents, WritableEvents {}

  type Listener = (...args: any[]) => void;

  /** The legacy base of every stream: an EventEmitter with pipe. */
  class Stream extends EventEmitter {
    constructor(options?: { captureRejections?: boolean });
    pipe<T extends Writable>(destination: T, options?: { end?: boolean }): T;
  }

  /** A source of data, read in flowing mode ("data" events, pipe) or paused mode ("readable" and read()). */
  class Readable extends Stream implements AsyncIterable<any> {
    constructor(options?: ReadableOptions);
    /** A Readable that yields what iterable yields; a string or Buffer is one chunk. Object mode unless options say otherwise. */
    static from(iterable: Iterable<any> | AsyncIterable<any>, options?: ReadableOptions): Readable;
    static fromWeb(readableStream: ReadableStream, options?: { encoding?: BufferEncoding; highWaterMark?: number; objectMode?: boolean; signal?: AbortSignal }): Readable;
    static toWeb(streamReadable: Readable, options?: { strategy?: QueuingStrategy }): ReadableStream;

    /** True while read() may return data: not ended, errored or destroyed. */
    readable: boolean;
    readonly readableAborted: boolean;
    readonly readableDidRead: boolean;
    readonly readableEncoding: BufferEncoding | null;
    readonly readableEnded: boolean;
    /** null before anything reads, true in flowing mode, false once paused. */
    readonly readableFlowing: boolean | null;
    readonly readableHighWaterMark: number;
    readonly readableLength: number;
    readonly readableObjectMode: boolean;
    destroyed: boolean;
    readonly closed: boolean;
    readonly errored: Error | null;

    _construct?(callback: (error?: Error | null) => void): void;
    /** Implemented by subclasses: fetch data and push() it. */
    _read(size: number): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
    /** Adds a chunk to the read buffer (null ends the stream); false once the buffer is at the high-water mark. */
    push(chunk: any, encoding?: BufferEncoding): boolean;
    unshift(chunk: any, encoding?: BufferEncoding): void;
    /** Takes size bytes (or everything buffered) from the read buffer; null when there are not enough yet. */
    read(size?: number): any;
    setEncoding(encoding: BufferEncoding): this;
    pause(): this;
    resume(): this;
    isPaused(): boolean;
    pipe<T extends Writable>(destination: T, options?: { end?: boolean }): T;
    unpipe(destination?: Writable): this;
    /** Makes this stream read from an old-style stream (one with "data" and "end" events). */
    wrap(stream: Stream): this;
    destroy(error?: Error): this;
    [Symbol.asyncIterator](): AsyncIterableIterator<any>;
    /** destroyOnReturn: false leaves the stream open when a loop over the iterator breaks. */
    iterator(options?: { destroyOnReturn?: boolean }): AsyncIterableIterator<any>;
    toArray(): Promise<any[]>;
    forEach(fn: (data: any) => void | Promise<void>): Promise<void>;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    map(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    filter(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    flatMap(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    reduce(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    some(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    every(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    find(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    take(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    drop(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    compose(...args: unknown[]): never;

    on<E extends keyof ReadableEvents>(event: E, listener: (...args: ReadableEvents[E]) => void): this;
    on(event: string | symbol, listener: Listener): this;
    once<E extends keyof ReadableEvents>(event: E, listener: (...args: ReadableEvents[E]) => void): this;
    once(event: string | symbol, listener: Listener): this;
    addListener<E extends keyof ReadableEvents>(event: E, listener: (...args: ReadableEvents[E]) => void): this;
    addListener(event: string | symbol, listener: Listener): this;
    prependListener<E extends keyof ReadableEvents>(event: E, listener: (...args: ReadableEvents[E]) => void): this;
    prependListener(event: string | symbol, listener: Listener): this;
    prependOnceListener<E extends keyof ReadableEvents>(event: E, listener: (...args: ReadableEvents[E]) => void): this;
    prependOnceListener(event: string | symbol, listener: Listener): this;
    off<E extends keyof ReadableEvents>(event: E, listener: (...args: ReadableEvents[E]) => void): this;
    off(event: string | symbol, listener: Listener): this;
    removeListener<E extends keyof ReadableEvents>(event: E, listener: (...args: ReadableEvents[E]) => void): this;
    removeListener(event: string | symbol, listener: Listener): this;
  }

  /** A destination for data: write() returns false when the caller should wait for "drain". */
  class Writable extends Stream {
    constructor(options?: WritableOptions);
    static fromWeb(writableStream: WritableStream, options?: { decodeStrings?: boolean; highWaterMark?: number; objectMode?: boolean; signal?: AbortSignal }): Writable;
    static toWeb(streamWritable: Writable): WritableStream;

    /** True while write() may be called: not ended, errored or destroyed. */
    writable: boolean;
    readonly writableAborted: boolean;
    /** end() has been called. */
    readonly writableEnded: boolean;
    /** Everything has been handled and "finish" is emitted. */
    readonly writableFinished: boolean;
    readonly writableHighWaterMark: number;
    readonly writableLength: number;
    readonly writableObjectMode: boolean;
    readonly writableCorked: number;
    readonly writableNeedDrain: boolean;
    destroyed: boolean;
    readonly closed: boolean;
    readonly errored: Error | null;

    _construct?(callback: (error?: Error | null) => void): void;
    /** Implemented by subclasses: handle one chunk, then call callback. */
    _write(chunk: any, encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
    _writev?(chunks: { chunk: any; encoding: BufferEncoding }[], callback: (error?: Error | null) => void): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
    _final(callback: (error?: Error | null) => void): void;
    write(chunk: any, callback?: (error: Error | null | undefined) => void): boolean;
    write(chunk: any, encoding: BufferEncoding, callback?: (error: Error | null | undefined) => void): boolean;
    setDefaultEncoding(encoding: BufferEncoding): this;
    /** No more writes: "finish" follows once everything written has been handled. */
    end(callback?: () => void): this;
    end(chunk: any, callback?: () => void): this;
    end(chunk: any, encoding: BufferEncoding, callback?: () => void): this;
    cork(): void;
    uncork(): void;
    destroy(error?: Error): this;

    on<E extends keyof WritableEvents>(event: E, listener: (...args: WritableEvents[E]) => void): this;
    on(event: string | symbol, listener: Listener): this;
    once<E extends keyof WritableEvents>(event: E, listener: (...args: WritableEvents[E]) => void): this;
    once(event: string | symbol, listener: Listener): this;
    addListener<E extends keyof WritableEvents>(event: E, listener: (...args: WritableEvents[E]) => void): this;
    addListener(event: string | symbol, listener: Listener): this;
    prependListener<E extends keyof WritableEvents>(event: E, listener: (...args: WritableEvents[E]) => void): this;
    prependListener(event: string | symbol, listener: Listener): this;
    prependOnceListener<E extends keyof WritableEvents>(event: E, listener: (...args: WritableEvents[E]) => void): this;
    prependOnceListener(event: string | symbol, listener: Listener): this;
    off<E extends keyof WritableEvents>(event: E, listener: (...args: WritableEvents[E]) => void): this;
    off(event: string | symbol, listener: Listener): this;
    removeListener<E extends keyof WritableEvents>(event: E, listener: (...args: WritableEvents[E]) => void): this;
    removeListener(event: string | symbol, listener: Listener): this;
  }

  /** Both a Readable and a Writable (instanceof Writable is true), with independent sides. */
  class Duplex extends Readable implements Writable {
    constructor(options?: DuplexOptions);
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    static from(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    static fromWeb(...args: unknown[]): never;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    static toWeb(...args: unknown[]): never;

    allowHalfOpen: boolean;
    writable: boolean;
    readonly writableAborted: boolean;
    readonly writableEnded: boolean;
    readonly writableFinished: boolean;
    readonly writableHighWaterMark: number;
    readonly writableLength: number;
    readonly writableObjectMode: boolean;
    readonly writableCorked: number;
    readonly writableNeedDrain: boolean;

    _write(chunk: any, encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
    _writev?(chunks: { chunk: any; encoding: BufferEncoding }[], callback: (error?: Error | null) => void): void;
    _final(callback: (error?: Error | null) => void): void;
    write(chunk: any, callback?: (error: Error | null | undefined) => void): boolean;
    write(chunk: any, encoding: BufferEncoding, callback?: (error: Error | null | undefined) => void): boolean;
    setDefaultEncoding(encoding: BufferEncoding): this;
    end(callback?: () => void): this;
    end(chunk: any, callback?: () => void): this;
    end(chunk: any, encoding: BufferEncoding, callback?: () => void): this;
    cork(): void;
    uncork(): void;

    on<E extends keyof DuplexEvents>(event: E, listener: (...args: DuplexEvents[E]) => void): this;
    on(event: string | symbol, listener: Listener): this;
    once<E extends keyof DuplexEvents>(event: E, listener: (...args: DuplexEvents[E]) => void): this;
    once(event: string | symbol, listener: Listener): this;
    addListener<E extends keyof DuplexEvents>(event: E, listener: (...args: DuplexEvents[E]) => void): this;
    addListener(event: string | symbol, listener: Listener): this;
    prependListener<E extends keyof DuplexEvents>(event: E, listener: (...args: DuplexEvents[E]) => void): this;
    prependListener(event: string | symbol, listener: Listener): this;
    prependOnceListener<E extends keyof DuplexEvents>(event: E, listener: (...args: DuplexEvents[E]) => void): this;
    prependOnceListener(event: string | symbol, listener: Listener): this;
    off<E extends keyof DuplexEvents>(event: E, listener: (...args: DuplexEvents[E]) => void): this;
    off(event: string | symbol, listener: Listener): this;
    removeListener<E extends keyof DuplexEvents>(event: E, listener: (...args: DuplexEvents[E]) => void): this;
    removeListener(event: string | symbol, listener: Listener): this;
  }

  /** A Duplex whose output is computed from its input, chunk by chunk, by _transform. */
  class Transform extends Duplex {
    constructor(options?: TransformOptions);
    /** Implemented by subclasses (or options.transform): the default throws ERR_METHOD_NOT_IMPLEMENTED. */
    _transform(chunk: any, encoding: BufferEncoding, callback: TransformCallback): void;
    _flush?(callback: TransformCallback): void;
  }

  /** A Transform that passes its input through unchanged. */
  class PassThrough extends Transform {
    constructor(options?: TransformOptions);
  }

  interface FinishedOptions {
    /** false: an "error" event does not count as the end (default true). */
    error?: boolean;
    /** false: do not wait for the readable side to end. */
    readable?: boolean;
    /** false: do not wait for the writable side to finish. */
    writable?: boolean;
    /** Aborting it calls back with an AbortError (the stream is left as is). */
    signal?: AbortSignal;
  }

  /**
   * Calls callback once stream has ended, finished, errored or closed early (ERR_STREAM_PREMATURE_CLOSE).
   * Returns a function that removes the listeners it added.
   */
  function finished(stream: Readable | Writable, options: FinishedOptions, callback: (error?: Error) => void): () => void;
  function finished(stream: Readable | Writable, callback: (error?: Error) => void): () => void;

  /** What a function stage of a pipeline gets besides its source: aborted when the pipeline fails. */
  interface PipelineStageOptions {
    signal: AbortSignal;
  }

  /** The first stage: a stream, an iterable, or a function that returns one. */
  type PipelineSource<T = any> =
    | Readable
    | ReadableStream<T>
    | Iterable<T>
    | AsyncIterable<T>
    | ((options: PipelineStageOptions) => Iterable<T> | AsyncIterable<T>);
  /** A middle stage: a Duplex, or an async generator over the previous stage's output. */
  type PipelineTransform<I = any, O = any> = Duplex | ((source: AsyncIterable<I>, options: PipelineStageOptions) => AsyncIterable<O>);
  /** The last stage: a writable stream, or a function that consumes the previous stage's output. */
  type PipelineDestination<I = any> =
    | Writable
    | WritableStream<I>
    | ((source: AsyncIterable<I>, options: PipelineStageOptions) => PromiseLike<unknown> | AsyncIterable<unknown>);
  /** The items a stage yields. */
  type PipelineItem<S> = S extends (...args: any[]) => infer R ? PipelineItem<R> : S extends AsyncIterable<infer T> ? T : S extends Iterable<infer T> ? T : any;
  /** What the pipeline settles with: the value a function destination's promise resolves to. */
  type PipelineValue<D> = D extends (...args: any[]) => PromiseLike<infer R> ? R : void;
  /** What the callback form returns: the destination stream, a Writable over a web stream, or the PassThrough a function destination's output flows into. */
  type PipelineTail<D> = D extends Writable ? D : D extends WritableStream ? Writable : PassThrough;
  type PipelineCallback<D> = (error: Error | undefined, value?: PipelineValue<D>) => void;

  /**
   * Pipes source through the transforms into the destination, forwarding errors and destroying every
   * stream when one fails; callback is called once with the first error, or none.
   */
  function pipeline<A extends PipelineSource, D extends PipelineDestination<PipelineItem<A>>>(source: A, destination: D, callback: PipelineCallback<D>): PipelineTail<D>;
  function pipeline<A extends PipelineSource, T1 extends PipelineTransform<PipelineItem<A>>, D extends PipelineDestination<PipelineItem<T1>>>(
    source: A,
    transform1: T1,
    destination: D,
    callback: PipelineCallback<D>,
  ): PipelineTail<D>;
  function pipeline<
    A extends PipelineSource,
    T1 extends PipelineTransform<PipelineItem<A>>,
    T2 extends PipelineTransform<PipelineItem<T1>>,
    D extends PipelineDestination<PipelineItem<T2>>,
  >(source: A, transform1: T1, transform2: T2, destination: D, callback: PipelineCallback<D>): PipelineTail<D>;
  function pipeline<
    A extends PipelineSource,
    T1 extends PipelineTransform<PipelineItem<A>>,
    T2 extends PipelineTransform<PipelineItem<T1>>,
    T3 extends PipelineTransform<PipelineItem<T2>>,
    D extends PipelineDestination<PipelineItem<T3>>,
  >(source: A, transform1: T1, transform2: T2, transform3: T3, destination: D, callback: PipelineCallback<D>): PipelineTail<D>;
  function pipeline(streams: readonly (PipelineSource | PipelineTransform | PipelineDestination)[], callback: (error: Error | undefined, value?: unknown) => void): Writable;
  function pipeline(
    source: PipelineSource,
    ...rest: (PipelineTransform | PipelineDestination | ((error: Error | undefined, value?: unknown) => void))[]
  ): Writable;

  /** Destroys the stream with error when signal aborts. */
  function addAbortSignal<T extends Readable | Writable | ReadableStream>(signal: AbortSignal, stream: T): T;
  /** Destroys any stream (a no-op on one already destroyed). */
  function destroy(stream: Readable | Writable, error?: Error): void;
  /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
  function compose(...streams: unknown[]): never;
  /** The high-water mark streams get when their options set none: 65536 bytes, or 16 objects. */
  function getDefaultHighWaterMark(objectMode: boolean): number;
  function setDefaultHighWaterMark(objectMode: boolean, value: number): void;
  /** Whether the stream has been read from or cancelled. */
  function isDisturbed(stream: Readable | ReadableStream): boolean;
  function isErrored(stream: Readable | Writable): boolean;
  /** Whether the stream can still be read: not ended, destroyed, or (a web stream) locked. */
  function isReadable(stream: Readable | ReadableStream): boolean;

  const promises: typeof import("node:stream/promises");

  export {
    Duplex,
    PassThrough,
    Readable,
    Stream,
    Transform,
    Writable,
    addAbortSignal,
    compose,
    destroy,
    finished,
    getDefaultHighWaterMark,
    isDisturbed,
    isErrored,
    isReadable,
    pipeline,
    promises,
    setDefaultHighWaterMark,
  };
  export type {
    DuplexEvents,
    DuplexOptions,
    FinishedOptions,
    PipelineDestination,
    PipelineItem,
    PipelineSource,
    PipelineStageOptions,
    PipelineTransform,
    PipelineValue,
    ReadableEvents,
    ReadableOptions,
    StreamOptions,
    TransformCallback,
    TransformOptions,
    WritableEvents,
    WritableOptions,
  };

  /** The default export is Stream, with every export of the module as its properties. */
  const _default: typeof Stream & typeof import("node:stream");
  export default _default;
}

declare module "node:stream/promises" {
  import type {
    FinishedOptions,
    PipelineDestination,
    PipelineItem as Item,
    PipelineSource,
    PipelineTransform,
    PipelineValue as Value,
    Readable,
    Writable,
  } from "node:stream";

  /** The options of the promise form of pipeline, given after the last stage. */
  interface PipelineOptions {
    /** Aborting it destroys the pipeline's streams and rejects with an AbortError. */
    signal?: AbortSignal;
    /** false: do not end the destination when the source ends (default true). */
    end?: boolean;
  }

  /** Pipes source through the transforms into the destination; settles when all is done, or with the first error. */
  function pipeline<A extends PipelineSource, D extends PipelineDestination<Item<A>>>(source: A, destination: D, options?: PipelineOptions): Promise<Value<D>>;
  function pipeline<A extends PipelineSource, T1 extends PipelineTransform<Item<A>>, D extends PipelineDestination<Item<T1>>>(
    source: A,
    transform1: T1,
    destination: D,
    options?: PipelineOptions,
  ): Promise<Value<D>>;
  function pipeline<
    A extends PipelineSource,
    T1 extends PipelineTransform<Item<A>>,
    T2 extends PipelineTransform<Item<T1>>,
    D extends PipelineDestination<Item<T2>>,
  >(source: A, transform1: T1, transform2: T2, destination: D, options?: PipelineOptions): Promise<Value<D>>;
  function pipeline<
    A extends PipelineSource,
    T1 extends PipelineTransform<Item<A>>,
    T2 extends PipelineTransform<Item<T1>>,
    T3 extends PipelineTransform<Item<T2>>,
    D extends PipelineDestination<Item<T3>>,
  >(source: A, transform1: T1, transform2: T2, transform3: T3, destination: D, options?: PipelineOptions): Promise<Value<D>>;
  function pipeline(streams: readonly (PipelineSource | PipelineTransform | PipelineDestination)[], options?: PipelineOptions): Promise<unknown>;
  function pipeline(source: PipelineSource, ...rest: (PipelineTransform | PipelineDestination | PipelineOptions)[]): Promise<unknown>;

  /** Resolves once stream has ended or finished; rejects when it errors or closes early. */
  function finished(stream: Readable | Writable, options?: FinishedOptions): Promise<void>;

  export { finished, pipeline };
  export type { PipelineOptions };

  const _default: { pipeline: typeof pipeline; finished: typeof finished };
  export default _default;
}

declare module "node:stream/web" {
  // The web stream classes, the same values as the globals of those names, re-exported as they are.
  const ReadableStream_: typeof ReadableStream;
  type ReadableStream_<R = any> = ReadableStream<R>;
  const ReadableStreamDefaultReader_: typeof ReadableStreamDefaultReader;
  type ReadableStreamDefaultReader_<R = any> = ReadableStreamDefaultReader<R>;
  const WritableStream_: typeof WritableStream;
  type WritableStream_<W = any> = WritableStream<W>;
  const WritableStreamDefaultWriter_: typeof WritableStreamDefaultWriter;
  type WritableStreamDefaultWriter_<W = any> = WritableStreamDefaultWriter<W>;
  const TransformStream_: typeof TransformStream;
  type TransformStream_<I = any, O = any> = TransformStream<I, O>;
  const TextEncoderStream_: typeof TextEncoderStream;
  type TextEncoderStream_ = TextEncoderStream;
  const TextDecoderStream_: typeof TextDecoderStream;
  type TextDecoderStream_ = TextDecoderStream;
  // Streams make their controllers and hand them to the source, sink or transformer; constructing one
  // throws a TypeError.
  const ReadableStreamDefaultController_: abstract new () => ReadableStreamDefaultController;
  type ReadableStreamDefaultController_<R = any> = ReadableStreamDefaultController<R>;
  const WritableStreamDefaultController_: abstract new () => WritableStreamDefaultController;
  type WritableStreamDefaultController_ = WritableStreamDefaultController;
  const TransformStreamDefaultController_: abstract new () => TransformStreamDefaultController;
  type TransformStreamDefaultController_<O = any> = TransformStreamDefaultController<O>;
  const ReadableStreamBYOBReader_: typeof ReadableStreamBYOBReader;
  type ReadableStreamBYOBReader_ = ReadableStreamBYOBReader;
  const ByteLengthQueuingStrategy_: typeof ByteLengthQueuingStrategy;
  type ByteLengthQueuingStrategy_ = ByteLengthQueuingStrategy;
  const CountQueuingStrategy_: typeof CountQueuingStrategy;
  type CountQueuingStrategy_ = CountQueuingStrategy;
  const CompressionStream_: typeof CompressionStream;
  type CompressionStream_ = CompressionStream;
  const DecompressionStream_: typeof DecompressionStream;
  type DecompressionStream_ = DecompressionStream;

  export {
    ReadableStream_ as ReadableStream,
    ReadableStreamDefaultReader_ as ReadableStreamDefaultReader,
    WritableStream_ as WritableStream,
    WritableStreamDefaultWriter_ as WritableStreamDefaultWriter,
    TransformStream_ as TransformStream,
    TextEncoderStream_ as TextEncoderStream,
    TextDecoderStream_ as TextDecoderStream,
    ReadableStreamDefaultController_ as ReadableStreamDefaultController,
    WritableStreamDefaultController_ as WritableStreamDefaultController,
    TransformStreamDefaultController_ as TransformStreamDefaultController,
    ReadableStreamBYOBReader_ as ReadableStreamBYOBReader,
    ByteLengthQueuingStrategy_ as ByteLengthQueuingStrategy,
    CountQueuingStrategy_ as CountQueuingStrategy,
    CompressionStream_ as CompressionStream,
    DecompressionStream_ as DecompressionStream,
  };

  export type CompressionFormat = "deflate" | "deflate-raw" | "gzip";

  const _default: typeof import("node:stream/web");
  export default _default;
}

declare module "node:stream/consumers" {
  import type { Buffer } from "node:buffer";
  import type { Readable } from "node:stream";

  /** What the consumers read: a Node stream, a web stream, or any async iterable of strings or bytes. */
  type Source = Readable | ReadableStream | AsyncIterable<any>;

  export function arrayBuffer(stream: Source): Promise<ArrayBuffer>;
  export function blob(stream: Source): Promise<Blob>;
  export function buffer(stream: Source): Promise<Buffer>;
  /** The text of the stream, parsed as JSON. */
  export function json(stream: Source): Promise<unknown>;
  /** The stream decoded as UTF-8. */
  export function text(stream: Source): Promise<string>;

  const _default: typeof import("node:stream/consumers");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:string_decoder" {
  import type { BufferEncoding } from "node:buffer";

  /** Decodes bytes to strings, keeping the bytes of a character split across writes until the rest arrives. */
  export class StringDecoder {
    /** encoding defaults to "utf8"; an unknown one throws ERR_UNKNOWN_ENCODING. */
    constructor(encoding?: BufferEncoding);
    /** The encoding, normalized ("utf-8" is "utf8"). */
    readonly encoding: BufferEncoding;
    /** The decoded text of buffer, less the bytes of an incomplete character at its end. A string is returned as is. */
    write(buffer: string | ArrayBuffer | ArrayBufferView): string;
    /** Decodes buffer if given, then whatever bytes are left, incomplete characters included. */
    end(buffer?: string | ArrayBuffer | ArrayBufferView): string;
  }

  const _default: typeof import("node:string_decoder");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:timers" {
  // The same functions as the globals of those names.
  const setTimeout_: typeof setTimeout;
  const clearTimeout_: typeof clearTimeout;
  const setInterval_: typeof setInterval;
  const clearInterval_: typeof clearInterval;
  const setImmediate_: typeof setImmediate;
  const clearImmediate_: typeof clearImmediate;
  export {
    setTimeout_ as setTimeout,
    clearTimeout_ as clearTimeout,
    setInterval_ as setInterval,
    clearInterval_ as clearInterval,
    setImmediate_ as setImmediate,
    clearImmediate_ as clearImmediate,
  };
  export const promises: typeof import("node:timers/promises");

  const _default: typeof import("node:timers");
  export default _default;
}

declare module "node:timers/promises" {
  export interface TimerOptions {
    /** Aborting it rejects the promise with an AbortError and cancels the timer. */
    signal?: AbortSignal;
    /** false: the pending timer does not keep the program running (default true). */
    ref?: boolean;
  }

  /** Resolves with value after delay milliseconds. */
  export function setTimeout<T = void>(delay?: number, value?: T, options?: TimerOptions): Promise<T>;
  /** Resolves with value once the current turn of the event loop is over. */
  export function setImmediate<T = void>(value?: T, options?: TimerOptions): Promise<T>;
  /** Yields value every delay milliseconds, for as long as the loop over it runs. */
  export function setInterval<T = void>(delay?: number, value?: T, options?: { signal?: AbortSignal }): AsyncIterableIterator<T>;

  export const scheduler: {
    /** Resolves after delay milliseconds. */
    wait(delay: number, options?: { signal?: AbortSignal }): Promise<void>;
    /** Resolves once the current turn of the event loop is over. */
    yield(): Promise<void>;
  };

  const _default: typeof import("node:timers/promises");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:zlib" {
  import type { Buffer } from "node:buffer";
  import { Transform, type TransformOptions } from "node:stream";

  /** What the zlib functions compress or decompress; a string is its UTF-8 bytes. */
  export type InputType = string | ArrayBuffer | ArrayBufferView;

  /** The options this runtime reads; Node's other zlib options (windowBits, memLevel, strategy, dictionary, …) are not. */
  export interface ZlibOptions {
    /** Compression level, -1 (the default, 6) or 0 (none) to 9 (best). */
    level?: number;
    /** The largest chunk a zlib stream pushes, at least 64 (default 16384). */
    chunkSize?: number;
  }

  /** The options of the create* streams: ZlibOptions and the stream's buffering. */
  export interface ZlibStreamOptions extends ZlibOptions, Pick<TransformOptions, "highWaterMark" | "signal" | "emitClose" | "autoDestroy"> {}

  export type CompressCallback = (error: Error | null, result: Buffer) => void;

  /** The Transform every zlib stream is: bytes in, compressed (or decompressed) bytes out. */
  abstract class ZlibBase extends Transform {
    /** The bytes written so far. */
    bytesWritten: number;
    /** Pushes out what has been compressed so far (a sync flush) once earlier writes are handled. */
    flush(kind?: number, callback?: () => void): void;
    flush(callback: () => void): void;
    /** Starts over, as a new stream would. */
    reset(): void;
    /** Not supported in this runtime: throws ERR_METHOD_NOT_IMPLEMENTED. */
    params(level: number, strategy: number, callback: () => void): never;
    /** Destroys the stream; callback runs once it has closed. */
    close(callback?: () => void): void;
  }

  export class Gzip extends ZlibBase {
    constructor(options?: ZlibStreamOptions);
  }
  export class Gunzip extends ZlibBase {
    constructor(options?: ZlibStreamOptions);
  }
  export class Deflate extends ZlibBase {
    constructor(options?: ZlibStreamOptions);
  }
  export class Inflate extends ZlibBase {
    constructor(options?: ZlibStreamOptions);
  }
  export class DeflateRaw extends ZlibBase {
    constructor(options?: ZlibStreamOptions);
  }
  export class InflateRaw extends ZlibBase {
    constructor(options?: ZlibStreamOptions);
  }
  /** Decompresses gzip or zlib data, whichever its header says. */
  export class Unzip extends ZlibBase {
    constructor(options?: ZlibStreamOptions);
  }

  export function createGzip(options?: ZlibStreamOptions): Gzip;
  export function createGunzip(options?: ZlibStreamOptions): Gunzip;
  export function createDeflate(options?: ZlibStreamOptions): Deflate;
  export function createInflate(options?: ZlibStreamOptions): Inflate;
  export function createDeflateRaw(options?: ZlibStreamOptions): DeflateRaw;
  export function createInflateRaw(options?: ZlibStreamOptions): InflateRaw;
  export function createUnzip(options?: ZlibStreamOptions): Unzip;

  export function gzipSync(buffer: InputType, options?: ZlibOptions): Buffer;
  export function gunzipSync(buffer: InputType, options?: ZlibOptions): Buffer;
  export function deflateSync(buffer: InputType, options?: ZlibOptions): Buffer;
  export function inflateSync(buffer: InputType, options?: ZlibOptions): Buffer;
  export function deflateRawSync(buffer: InputType, options?: ZlibOptions): Buffer;
  export function inflateRawSync(buffer: InputType, options?: ZlibOptions): Buffer;
  export function unzipSync(buffer: InputType, options?: ZlibOptions): Buffer;

  // The callback forms do the work off the event loop. The form without options comes last, the one
  // util.promisify takes.
  export function gzip(buffer: InputType, options: ZlibOptions | undefined, callback: CompressCallback): void;
  export function gzip(buffer: InputType, callback: CompressCallback): void;
  export function gunzip(buffer: InputType, options: ZlibOptions | undefined, callback: CompressCallback): void;
  export function gunzip(buffer: InputType, callback: CompressCallback): void;
  export function deflate(buffer: InputType, options: ZlibOptions | undefined, callback: CompressCallback): void;
  export function deflate(buffer: InputType, callback: CompressCallback): void;
  export function inflate(buffer: InputType, options: ZlibOptions | undefined, callback: CompressCallback): void;
  export function inflate(buffer: InputType, callback: CompressCallback): void;
  export function deflateRaw(buffer: InputType, options: ZlibOptions | undefined, callback: CompressCallback): void;
  export function deflateRaw(buffer: InputType, callback: CompressCallback): void;
  export function inflateRaw(buffer: InputType, options: ZlibOptions | undefined, callback: CompressCallback): void;
  export function inflateRaw(buffer: InputType, callback: CompressCallback): void;
  export function unzip(buffer: InputType, options: ZlibOptions | undefined, callback: CompressCallback): void;
  export function unzip(buffer: InputType, callback: CompressCallback): void;

  /** The CRC-32 of data, continuing from value (default 0). */
  export function crc32(data: string | ArrayBuffer | ArrayBufferView, value?: number): number;

  // Brotli is not available in this runtime: each of these throws ERR_METHOD_NOT_IMPLEMENTED.
  /** Not available: brotli is not built in. */
  export const BrotliCompress: abstract new (options?: object) => never;
  /** Not available: brotli is not built in. */
  export const BrotliDecompress: abstract new (options?: object) => never;
  /** Not available: brotli is not built in; throws ERR_METHOD_NOT_IMPLEMENTED. */
  export function createBrotliCompress(options?: object): never;
  /** Not available: brotli is not built in; throws ERR_METHOD_NOT_IMPLEMENTED. */
  export function createBrotliDecompress(options?: object): never;
  /** Not available: brotli is not built in; throws ERR_METHOD_NOT_IMPLEMENTED. */
  export function brotliCompressSync(buffer: InputType, options?: object): never;
  /** Not available: brotli is not built in; throws ERR_METHOD_NOT_IMPLEMENTED. */
  export function brotliDecompressSync(buffer: InputType, options?: object): never;
  /** Not available: brotli is not built in; throws ERR_METHOD_NOT_IMPLEMENTED. */
  export function brotliCompress(buffer: InputType, ...rest: unknown[]): never;
  /** Not available: brotli is not built in; throws ERR_METHOD_NOT_IMPLEMENTED. */
  export function brotliDecompress(buffer: InputType, ...rest: unknown[]): never;

  export const constants: {
    readonly Z_NO_FLUSH: number;
    readonly Z_PARTIAL_FLUSH: number;
    readonly Z_SYNC_FLUSH: number;
    readonly Z_FULL_FLUSH: number;
    readonly Z_FINISH: number;
    readonly Z_BLOCK: number;
    readonly Z_OK: number;
    readonly Z_STREAM_END: number;
    readonly Z_NEED_DICT: number;
    readonly Z_ERRNO: number;
    readonly Z_STREAM_ERROR: number;
    readonly Z_DATA_ERROR: number;
    readonly Z_MEM_ERROR: number;
    readonly Z_BUF_ERROR: number;
    readonly Z_VERSION_ERROR: number;
    readonly Z_NO_COMPRESSION: number;
    readonly Z_BEST_SPEED: number;
    readonly Z_BEST_COMPRESSION: number;
    readonly Z_DEFAULT_COMPRESSION: number;
    readonly Z_FILTERED: number;
    readonly Z_HUFFMAN_ONLY: number;
    readonly Z_RLE: number;
    readonly Z_FIXED: number;
    readonly Z_DEFAULT_STRATEGY: number;
    readonly DEFLATE: number;
    readonly INFLATE: number;
    readonly GZIP: number;
    readonly GUNZIP: number;
    readonly DEFLATERAW: number;
    readonly INFLATERAW: number;
    readonly UNZIP: number;
    readonly BROTLI_DECODE: number;
    readonly BROTLI_ENCODE: number;
    readonly Z_MIN_WINDOWBITS: number;
    readonly Z_MAX_WINDOWBITS: number;
    readonly Z_DEFAULT_WINDOWBITS: number;
    readonly Z_MIN_CHUNK: number;
    readonly Z_MAX_CHUNK: number;
    readonly Z_DEFAULT_CHUNK: number;
    readonly Z_MIN_MEMLEVEL: number;
    readonly Z_MAX_MEMLEVEL: number;
    readonly Z_DEFAULT_MEMLEVEL: number;
    readonly Z_MIN_LEVEL: number;
    readonly Z_MAX_LEVEL: number;
    readonly Z_DEFAULT_LEVEL: number;
  };

  /** The zlib return codes by name, and their names by code. */
  export const codes: {
    readonly Z_OK: number;
    readonly Z_STREAM_END: number;
    readonly Z_NEED_DICT: number;
    readonly Z_ERRNO: number;
    readonly Z_STREAM_ERROR: number;
    readonly Z_DATA_ERROR: number;
    readonly Z_MEM_ERROR: number;
    readonly Z_BUF_ERROR: number;
    readonly Z_VERSION_ERROR: number;
    readonly [code: number]: string;
  };

  const _default: typeof import("node:zlib");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:querystring" {
  import type { Buffer } from "node:buffer";

  /** A parsed query: a key given once has a string, a repeated key an array of them. */
  export interface ParsedUrlQuery {
    [key: string]: string | string[] | undefined;
  }

  /** What stringify takes: other values (objects, NaN, Infinity) become empty strings. */
  export interface ParsedUrlQueryInput {
    [key: string]: string | number | boolean | bigint | readonly (string | number | boolean | bigint)[] | null | undefined;
  }

  export interface ParseOptions {
    /** The most pairs read (default 1000; 0: no limit). */
    maxKeys?: number;
    /** Decodes keys and values (default unescape). */
    decodeURIComponent?: (str: string) => string;
  }

  export interface StringifyOptions {
    /** Encodes keys and values (default escape). */
    encodeURIComponent?: (str: string) => string;
  }

  /** Parses "a=1&b=2&b=3" into { a: "1", b: ["2", "3"] }; "+" is a space. */
  export function parse(str: string, sep?: string, eq?: string, options?: ParseOptions): ParsedUrlQuery;
  /** The inverse of parse: arrays become repeated keys. */
  export function stringify(obj?: ParsedUrlQueryInput, sep?: string, eq?: string, options?: StringifyOptions): string;
  export const decode: typeof parse;
  export const encode: typeof stringify;
  /** Percent-encodes str as encodeURIComponent does. */
  export function escape(str: string): string;
  /** Decodes percent escapes; malformed ones are left as they are. */
  export function unescape(str: string): string;
  /** Decodes percent escapes into bytes; decodeSpaces: "+" is a space. */
  export function unescapeBuffer(str: string, decodeSpaces?: boolean): Buffer;

  const _default: typeof import("node:querystring");
  export default _default;
}

// ---------------------------------------------------------------------------------------------------------

declare module "node:diagnostics_channel" {
  import type { AsyncLocalStorage } from "node:async_hooks";

  export type ChannelListener = (message: unknown, name: string | symbol) => void;

  /** A named channel: what is published to it goes to each of its subscribers, in order. */
  export class Channel<StoreType = unknown, ContextType = StoreType> {
    /** Channels are made by channel(name). */
    private constructor(name: string | symbol);
    readonly name: string | symbol;
    /** Whether anything subscribes to the channel (or a store is bound to it). */
    readonly hasSubscribers: boolean;
    subscribe(onMessage: ChannelListener): void;
    /** false when onMessage was not subscribed. */
    unsubscribe(onMessage: ChannelListener): boolean;
    /** Calls each subscriber with message; a subscriber that throws does not stop the others (its error is rethrown later). */
    publish(message: unknown): void;
    /** While runStores runs, store holds transform(context), or the context itself. */
    bindStore(store: AsyncLocalStorage<StoreType>, transform?: (context: ContextType) => StoreType): void;
    unbindStore(store: AsyncLocalStorage<StoreType>): boolean;
    /** Runs fn with the bound stores set from context, after publishing context. */
    runStores<This, Args extends any[], Result>(context: ContextType, fn: (this: This, ...args: Args) => Result, thisArg?: This, ...args: Args): Result;
  }

  /** The subscribers of a TracingChannel, one per event. */
  export interface TracingChannelSubscribers<ContextType extends object> {
    start: (message: ContextType) => void;
    end: (message: ContextType & { error?: unknown; result?: unknown }) => void;
    asyncStart: (message: ContextType & { error?: unknown; result?: unknown }) => void;
    asyncEnd: (message: ContextType & { error?: unknown; result?: unknown }) => void;
    error: (message: ContextType & { error: unknown }) => void;
  }

  /** The five channels of a TracingChannel. */
  export interface TracingChannelCollection<StoreType = unknown, ContextType = StoreType> {
    start: Channel<StoreType, ContextType>;
    end: Channel<StoreType, ContextType>;
    asyncStart: Channel<StoreType, ContextType>;
    asyncEnd: Channel<StoreType, ContextType>;
    error: Channel<StoreType, ContextType>;
  }

  /** Traces an operation through the channels tracing:<name>:start, end, asyncStart, asyncEnd and error. */
  export interface TracingChannel<StoreType = unknown, ContextType extends object = {}> extends TracingChannelCollection<StoreType, ContextType> {
    readonly hasSubscribers: boolean;
    subscribe(subscribers: Partial<TracingChannelSubscribers<ContextType>>): void;
    /** false when one of the subscribers was not subscribed. */
    unsubscribe(subscribers: Partial<TracingChannelSubscribers<ContextType>>): boolean;
    /** Runs fn, publishing start and end around it and error if it throws. */
    traceSync<This, Args extends any[], Result>(fn: (this: This, ...args: Args) => Result, context?: ContextType, thisArg?: This, ...args: Args): Result;
    /** Runs fn, publishing start and end around the call, then asyncStart and asyncEnd (and error) when its promise settles. */
    tracePromise<This, Args extends any[], Result>(
      fn: (this: This, ...args: Args) => PromiseLike<Result>,
      context?: ContextType,
      thisArg?: This,
      ...args: Args
    ): Promise<Result>;
    /** Runs fn with its callback (at position, default last) wrapped to publish asyncStart, asyncEnd and error. */
    traceCallback<This, Args extends any[], Result>(
      fn: (this: This, ...args: Args) => Result,
      position?: number,
      context?: ContextType,
      thisArg?: This,
      ...args: Args
    ): Result;
  }

  /** The channel of that name, made on first use. */
  export function channel(name: string | symbol): Channel;
  export function hasSubscribers(name: string | symbol): boolean;
  export function subscribe(name: string | symbol, onMessage: ChannelListener): void;
  /** false when onMessage was not subscribed. */
  export function unsubscribe(name: string | symbol, onMessage: ChannelListener): boolean;
  export function tracingChannel<StoreType = unknown, ContextType extends object = {}>(
    nameOrChannels: string | TracingChannelCollection<StoreType, ContextType>,
  ): TracingChannel<StoreType, ContextType>;

  const _default: typeof import("node:diagnostics_channel");
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
declare module "stream" {
  export * from "node:stream";
  export { default } from "node:stream";
}
declare module "stream/promises" {
  export * from "node:stream/promises";
  export { default } from "node:stream/promises";
}
declare module "stream/web" {
  export * from "node:stream/web";
  export { default } from "node:stream/web";
}
declare module "stream/consumers" {
  export * from "node:stream/consumers";
  export { default } from "node:stream/consumers";
}
declare module "string_decoder" {
  export * from "node:string_decoder";
  export { default } from "node:string_decoder";
}
declare module "timers" {
  export * from "node:timers";
  export { default } from "node:timers";
}
declare module "timers/promises" {
  export * from "node:timers/promises";
  export { default } from "node:timers/promises";
}
declare module "zlib" {
  export * from "node:zlib";
  export { default } from "node:zlib";
}
declare module "querystring" {
  export * from "node:querystring";
  export { default } from "node:querystring";
}
declare module "diagnostics_channel" {
  export * from "node:diagnostics_channel";
  export { default } from "node:diagnostics_channel";
}
