package webapi_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/webapi"
)

func TestStreams(t *testing.T) {
	expectLines(t, `
const chunks: string[] = [];
const rs = new ReadableStream({
  start(c) { c.enqueue("a"); },
  pull(c) { chunks.push("pull"); if (chunks.length > 2) c.close(); else c.enqueue("b" + chunks.length); },
});
const reader = rs.getReader();
const got: string[] = [];
for (;;) { const { value, done } = await reader.read(); if (done) break; got.push(value); }
console.log(got.join(","), rs.locked, await reader.closed);

// A TransformStream upper-cases what a writer writes; the readable side is read with for await.
const { readable, writable } = new TransformStream({ transform(chunk, c) { c.enqueue(String(chunk).toUpperCase()); } });
const writer = writable.getWriter();
writer.write("x"); writer.write("y"); writer.close();
const out: string[] = [];
for await (const c of readable) out.push(c);
console.log(out.join(""));

// pipeThrough with text encoder and decoder streams, tee, and a Response over a stream.
const source = new ReadableStream({ start(c) { c.enqueue("héllo "); c.enqueue("wörld"); c.close(); } });
const [left, right] = source.pipeThrough(new TextEncoderStream()).tee();
console.log(await new Response(left).text(), (await new Response(right.pipeThrough(new TextDecoderStream())).text()).length);

// Errors reach the reader; a WritableStream sink sees every chunk in order.
const bad = new ReadableStream({ pull() { throw new Error("boom"); } });
try { await bad.getReader().read(); } catch (e: any) { console.log("read failed:", e.message); }
const seen: number[] = [];
const ws = new WritableStream({ write(c) { seen.push(c); return new Promise((r) => setTimeout(r, 1)); } });
const w = ws.getWriter();
await Promise.all([w.write(1), w.write(2), w.write(3)]);
await w.close();
console.log(seen.join(","), await w.closed);

// A BYOB reader over a byte stream fills the given view.
const bytes = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5])); c.close(); } });
const byob = bytes.getReader({ mode: "byob" });
const r1 = await byob.read(new Uint8Array(3));
const r2 = await byob.read(new Uint8Array(3));
console.log(Array.from(r1.value).join(""), Array.from(r2.value).join(""), (await byob.read(new Uint8Array(3))).done);
console.log((await new Response(ReadableStream.from(["p", "q"]).pipeThrough(new TextEncoderStream())).text()));
`,
		"a,b1,b2 true undefined",
		"XY",
		"héllo wörld 11",
		"read failed: boom",
		"1,2,3 undefined",
		"123 45 true",
		"pq",
	)
}

func TestBodiesBlobsAndForms(t *testing.T) {
	expectLines(t, `
const blob = new Blob(["ab", new Uint8Array([99]), new Blob(["d"])], { type: "Text/Plain" });
console.log(blob.size, blob.type, await blob.text(), await blob.slice(1, -1).text(), new Uint8Array(await blob.arrayBuffer())[2]);
const file = new File(["xyz"], "a.txt", { type: "text/plain" });
console.log(file.name, file.size, file instanceof Blob);

const fd = new FormData();
fd.append("name", "Ada");
fd.append("upload", file);
fd.append("name", "Grace");
const req = new Request("https://example.com/form", { method: "POST", body: fd });
console.log(req.headers.get("content-type")!.startsWith("multipart/form-data; boundary="));
const parsed = await req.formData();
const up = parsed.get("upload") as File;
console.log(parsed.getAll("name").join("+"), up.name, up.type, await up.text());

const enc = await new Response("a=1&b=two+words", { headers: { "content-type": "application/x-www-form-urlencoded" } }).formData();
console.log(enc.get("a"), enc.get("b"));

// A stream body reads like any other; bodyUsed follows the stream.
const res = new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("{\"n\":")); c.enqueue(new TextEncoder().encode("2}")); c.close(); } }));
const copy = res.clone();
console.log((await res.json()).n, res.bodyUsed, await copy.text());
const r = new Response("plain");
console.log(r.body instanceof ReadableStream, await r.text(), Response.redirect("https://example.com/x", 301).headers.get("location"));
console.log(Response.json({ a: [1] }, { status: 201 }).status, await Response.json({ a: [1] }).text(), await new Request("https://e.com", { method: "PUT", body: blob }).text());
try { await r.text(); } catch (e: any) { console.log(e.name); }
`,
		"4 text/plain abcd bc 99",
		"a.txt 3 true",
		"true",
		"Ada+Grace a.txt text/plain xyz",
		"1 two words",
		`2 true {"n":2}`,
		"true plain https://example.com/x",
		`201 {"a":[1]} abcd`,
		"TypeError",
	)
}

func TestEventsAndAbort(t *testing.T) {
	expectLines(t, `
const target = new EventTarget();
const seen: string[] = [];
const once = (e: Event) => seen.push("once:" + e.type);
target.addEventListener("ping", once, { once: true });
target.addEventListener("ping", (e) => seen.push("always:" + (e as CustomEvent).detail));
target.dispatchEvent(new CustomEvent("ping", { detail: 1 }));
target.dispatchEvent(new CustomEvent("ping", { detail: 2 }));
console.log(seen.join(" "));

const ac = new AbortController();
ac.signal.addEventListener("abort", () => console.log("aborted:", ac.signal.reason.name));
ac.abort();
console.log(ac.signal.aborted, ac.signal.reason instanceof DOMException, ac.signal.reason.code);
try { ac.signal.throwIfAborted(); } catch (e: any) { console.log("thrown", e.name); }
const t = AbortSignal.timeout(5);
await new Promise((r) => setTimeout(r, 20));
console.log(t.aborted, t.reason.name, AbortSignal.any([new AbortController().signal, AbortSignal.abort("why")]).reason);
const e = new DOMException("m", "NotFoundError");
console.log(e.name, e.message, e.code, e instanceof Error, DOMException.NOT_FOUND_ERR);
console.log(typeof performance.now(), performance.now() >= 0);
`,
		"once:ping always:1 always:2",
		"aborted: AbortError",
		"true true 20",
		"thrown AbortError",
		"true TimeoutError why",
		"NotFoundError m 8 true 8",
		"number true",
	)
}

func TestSubtleCrypto(t *testing.T) {
	sum := sha256.Sum256([]byte("hello worker"))
	mac := hmac.New(sha256.New, []byte("secret"))
	mac.Write([]byte("message"))
	expectLines(t, `
const hex = (b: ArrayBuffer) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");
const data = new TextEncoder().encode("hello worker");
console.log(hex(await crypto.subtle.digest("SHA-256", data)));
console.log(hex(await crypto.subtle.digest({ name: "SHA-1" }, new Uint8Array())));
const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("secret"), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
const sig = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode("message"));
console.log(hex(sig), key.type, key.algorithm.name, (key.algorithm as any).hash.name, key instanceof CryptoKey);
console.log(await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode("message")), await crypto.subtle.verify("HMAC", key, sig, new TextEncoder().encode("other")));
try { await crypto.subtle.exportKey("raw", key); } catch (e: any) { console.log(e.name); }

const aes = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt", "decrypt"]);
const iv = crypto.getRandomValues(new Uint8Array(12));
const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, aes, new TextEncoder().encode("secret text"));
console.log(new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv }, aes, ct)), (await crypto.subtle.exportKey("jwk", aes)).alg);

const ec = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]) as CryptoKeyPair;
const esig = await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, ec.privateKey, data);
const jwk = await crypto.subtle.exportKey("jwk", ec.publicKey);
const pub = await crypto.subtle.importKey("jwk", jwk, { name: "ECDSA", namedCurve: "P-256" }, true, ["verify"]);
console.log(esig.byteLength, await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, pub, esig, data));

const base = await crypto.subtle.importKey("raw", new TextEncoder().encode("pw"), "PBKDF2", false, ["deriveBits"]);
const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", salt: new TextEncoder().encode("salt"), iterations: 1, hash: "SHA-256" }, base, 256);
console.log(hex(bits));
try { await crypto.subtle.digest("SHA-3", data); } catch (e: any) { console.log(e.name); }
`,
		hex.EncodeToString(sum[:]),
		"da39a3ee5e6b4b0d3255bfef95601890afd80709",
		hex.EncodeToString(mac.Sum(nil))+" secret HMAC SHA-256 true",
		"true false",
		"InvalidAccessError",
		"secret text A256GCM",
		"64 true",
		// PBKDF2-HMAC-SHA256("pw", "salt", 1 iteration, 32 bytes)
		pbkdf2Hex("pw", "salt"),
		"NotSupportedError",
	)
}

func pbkdf2Hex(password, salt string) string {
	// One iteration of PBKDF2 is HMAC(password, salt || INT(1)).
	m := hmac.New(sha256.New, []byte(password))
	m.Write([]byte(salt))
	m.Write([]byte{0, 0, 0, 1})
	return hex.EncodeToString(m.Sum(nil))
}

// Serialize and Deserialize carry a value from one runtime to another.
func TestSerializeAcrossRuntimes(t *testing.T) {
	newHost := func() *runtime.Host {
		h := runtime.New(runtime.Config{})
		webapi.Install(h)
		return h
	}
	a, b := newHost(), newHost()
	v, err := a.VM().RunString(`const o = { n: 1.5, i: 42, s: "é", big: 12345678901234567890n, d: new Date(7), m: new Map([[1, "one"]]),
		bytes: new Uint16Array([1, 65535]), nested: [null, undefined, true], err: new RangeError("r") }; o.self = o; o`)
	if err != nil {
		t.Fatal(err)
	}
	data, err := webapi.Serialize(a.VM(), v)
	if err != nil {
		t.Fatal(err)
	}
	got, err := webapi.Deserialize(b.VM(), data)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.VM().Set("o", got); err != nil {
		t.Fatal(err)
	}
	out, err := b.VM().RunString(`[o.self === o, o.n, o.i, o.s, o.big === 12345678901234567890n, o.d.getTime(), o.m.get(1),
		o.bytes instanceof Uint16Array && o.bytes[1], o.nested.length, o.nested[1] === undefined, o.err instanceof RangeError && o.err.message].join(" ")`)
	if err != nil {
		t.Fatal(err)
	}
	if want := "true 1.5 42 é true 7 one 65535 3 true r"; out.String() != want {
		t.Errorf("round trip = %q, want %q", out.String(), want)
	}
	fn, _ := a.VM().RunString(`({ f() {} })`)
	if _, err := webapi.Serialize(a.VM(), fn); err == nil {
		t.Error("serialising a function succeeded")
	}
	if _, err := webapi.Deserialize(b.VM(), data[:len(data)/2]); err == nil {
		t.Error("truncated data deserialised")
	}
	_ = goja.Undefined()
}

// A transform or flush that throws errors the readable side too, so its
// reader fails instead of waiting forever; the writer sees the same error.
func TestTransformStreamErrors(t *testing.T) {
	expectLines(t, `
async function run(name: string, transformer: Transformer<string, string>) {
  const { readable, writable } = new TransformStream(transformer);
  const writer = writable.getWriter();
  const read = new Response(readable).text().then((t) => "read " + t, (e) => "read failed: " + e.message);
  const wrote = writer.write("x").then(() => writer.close()).then(() => "wrote", (e) => "write failed: " + e.message);
  console.log(name, await read, "|", await wrote);
}
await run("throws", { transform() { throw new Error("bad chunk"); } });
await run("rejects", { async transform() { await null; throw new Error("late"); } });
await run("flush", { transform(c, ctl) { ctl.enqueue(c); }, flush() { throw new Error("no flush"); } });
await run("fine", { transform(c, ctl) { ctl.enqueue(c.toUpperCase()); } });
`,
		"throws read failed: bad chunk | write failed: bad chunk",
		"rejects read failed: late | write failed: late",
		"flush read failed: no flush | write failed: no flush",
		"fine read X | wrote",
	)
}
