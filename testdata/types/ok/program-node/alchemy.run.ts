// The Node built-ins and globals a program may use, with node: and bare spellings.
import assert, { deepStrictEqual, strictEqual } from "node:assert";
import { Buffer } from "node:buffer";
import nodeCrypto, { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import fs, { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path, { basename, dirname, join, relative, resolve } from "node:path";
import proc, { argv, cwd, env } from "node:process";
import { fileURLToPath, pathToFileURL } from "node:url";
import util, { format, inspect, isDeepStrictEqual, promisify } from "node:util";
import barePath from "path";
import { readFileSync as readBare } from "fs";
import strictAssert from "node:assert/strict";
import config from "./config/settings.json";

const here = dirname(fileURLToPath(import.meta.url));
const same: boolean = here === import.meta.dirname && join(here, basename(import.meta.filename)) === import.meta.filename;
const out = join(os.tmpdir(), `alchemy-${randomUUID()}`);
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "a.txt"), "hello", "utf8");
const text: string = readFileSync(join(out, "a.txt"), "utf8");
const bytes: Buffer = readFileSync(join(out, "a.txt"));
const names: string[] = readdirSync(out);
const entries = readdirSync(out, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
await writeFile(path.resolve(out, "b.json"), JSON.stringify({ ok: true }));
const parsed = JSON.parse(await readFile(join(out, "b.json"), "utf-8")) as { ok: boolean };
const info = await stat(out);
await mkdir(join(out, "sub"), { recursive: true });
const listed: string[] = await readdir(out);
await rm(out, { recursive: true, force: true });
console.log(existsSync(out), fs.existsSync(out), readBare, info.isDirectory(), info.mtime.getTime(), listed, entries, names);

const digest: string = createHash("sha256").update(text).digest("hex");
const mac: Buffer = createHmac("sha256", "key").update(bytes).digest();
const random: string = randomBytes(16).toString("base64url");
const equal: boolean = timingSafeEqual(Buffer.from("a"), Buffer.from("a"));
console.log(digest, mac.length, random, equal, nodeCrypto.randomInt(10));

strictEqual(typeof text, "string");
deepStrictEqual(parsed, { ok: true });
assert(parsed.ok, "parsed");
assert.ok(same || !same);
strictAssert.equal(1, 1);
await assert.rejects(Promise.reject(new Error("no")), /no/);

const relativePath: string = relative(cwd(), resolve("src")) + barePath.sep;
const url: URL = pathToFileURL(relativePath);
console.log(format("%s=%d", "answer", 42), inspect({ a: [1, 2] }, { depth: 1 }), isDeepStrictEqual([1], [1]), util.types.isDate(new Date()));
const sleep = promisify((ms: number, cb: (error: unknown, result: number) => void) => setTimeout(() => cb(null, ms), ms));
await sleep(1);
console.log(os.platform(), os.EOL, os.homedir(), os.cpus().length, url.href, argv.length, env.HOME, proc.pid);

// Globals.
const started = performance.now();
await new Promise((r) => setTimeout(r, 10));
await new Promise<void>((r) => queueMicrotask(r));
const timer = setInterval(() => {}, 1000);
clearInterval(timer);
const response = await fetch(new URL("https://example.com/"), { method: "GET", headers: { accept: "text/html" } });
const html: string = response.ok ? await response.text() : "";
const copy = structuredClone({ nested: { list: [1, 2, 3] } });
const encoded = new TextEncoder().encode("héllo");
const decoded: string = new TextDecoder().decode(encoded);
const id: string = crypto.randomUUID() + nodeCrypto.randomUUID();
const random16 = crypto.getRandomValues(new Uint8Array(16));
const sha = await crypto.subtle.digest("SHA-256", encoded);
const b64 = btoa("hi") + atob("aGk=");
const search = new URLSearchParams({ q: "alchemy" });
const controller = new AbortController();
setTimeout(() => controller.abort(), 1000);
const signal: AbortSignal = AbortSignal.timeout(5000);
console.info(random16.length, sha.byteLength, html.length, copy.nested.list, decoded, id, b64, search.toString(), controller.signal.aborted, signal.aborted, config.region);
console.warn(process.env.HOME, process.argv.slice(2), process.cwd(), process.platform, Buffer.byteLength("abc"));
console.error(performance.now() - started);
if (process.env.FAIL) process.exit(1);
