package webapi_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

func lines(t *testing.T, src string) []string {
	t.Helper()
	return strings.Split(strings.TrimSuffix(runtimetest.Program(t, src), "\n"), "\n")
}

func expectLines(t *testing.T, src string, want ...string) {
	t.Helper()
	got := lines(t, src)
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d:\n got %s\nwant %s", i+1, got[i], want[i])
		}
	}
}

func TestTextEncoding(t *testing.T) {
	expectLines(t, `
const enc = new TextEncoder();
const bytes = enc.encode("héllo €");
console.log(enc.encoding, bytes.length, Array.from(bytes.slice(0, 3)).join(","));
console.log(new TextDecoder().decode(bytes), new TextDecoder("utf-8").decode(bytes.buffer));
const dst = new Uint8Array(4);
const r = enc.encodeInto("aé€", dst);
console.log(r.read, r.written);
const stream = new TextDecoder();
const euro = enc.encode("€");
console.log(stream.decode(euro.slice(0, 1), { stream: true }) + stream.decode(euro.slice(1), { stream: true }) + stream.decode());
console.log(new TextDecoder().decode(new Uint8Array([0xff, 0x41])));
let fatal = "";
try { new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff])); } catch (e: any) { fatal = e.name; }
console.log(fatal, new TextDecoder("utf-16le").decode(new Uint8Array([0x68, 0, 0x69, 0])), new TextDecoder("latin1").decode(new Uint8Array([0xe9])));
let bad = "";
try { new TextDecoder("klingon"); } catch (e: any) { bad = e.name; }
console.log(bad);
`,
		"utf-8 10 104,195,169",
		"héllo € héllo €",
		"2 3",
		"€",
		"\uFFFDA",
		"TypeError hi é",
		"RangeError",
	)
}

func TestBase64(t *testing.T) {
	expectLines(t, `
console.log(btoa("hello"), atob("aGVsbG8="), atob(" aGVs bG8 "), atob("aGVsbG8"));
console.log(btoa(String.fromCharCode(0, 255)), atob("AP8=").charCodeAt(1));
for (const f of [() => btoa("€"), () => atob("a")]) {
  try { f(); } catch (e: any) { console.log(e.name); }
}
`,
		"aGVsbG8= hello hello hello",
		"AP8= 255",
		"InvalidCharacterError",
		"InvalidCharacterError",
	)
}

func TestStructuredClone(t *testing.T) {
	expectLines(t, `
const d = new Date(5);
const shared = { n: 1 };
const src: any = { d, re: /a+/g, m: new Map([["k", shared]]), s: new Set([1]), arr: [shared, shared], bytes: new Uint8Array([1, 2]), big: 10n };
src.self = src;
const c = structuredClone(src);
console.log(c !== src, c.self === c, c.d instanceof Date && c.d.getTime() === 5 && c.d !== d, c.re.source, c.re.flags);
console.log(c.m.get("k") === c.arr[0], c.arr[0] === c.arr[1], c.arr[0] !== shared, c.s.has(1), c.bytes instanceof Uint8Array, c.bytes[1], c.big);
class P { x = 1; }
const p = structuredClone(new P());
console.log(p instanceof P, p.x);
for (const bad of [() => {}, Symbol("s")]) {
  try { structuredClone({ bad }); } catch (e: any) { console.log(e.name); }
}
const err = structuredClone(new TypeError("t"));
console.log(err instanceof TypeError, err.message);
`,
		"true true true a+ g",
		"true true true true true 2 10n",
		"false 1",
		"DataCloneError",
		"DataCloneError",
		"true t",
	)
}

func TestCryptoAndURL(t *testing.T) {
	expectLines(t, `
const id = crypto.randomUUID();
console.log(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id), id !== crypto.randomUUID());
const buf = crypto.getRandomValues(new Uint8Array(32));
console.log(buf.length, buf.some((b) => b !== 0));
const u = new URL("../b/c?x=1&y=two#frag", "https://example.com/a/z");
console.log(u.href, u.pathname, u.searchParams.get("y"), u.hash);
const q = new URLSearchParams({ a: "1", b: "x y" });
q.append("a", "2");
console.log(q.toString(), q.getAll("a").join("|"));
`,
		"true true",
		"32 true",
		"https://example.com/b/c?x=1&y=two#frag /b/c two #frag",
		"a=1&b=x+y&a=2 1|2",
	)
}

func TestFetch(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/json":
			w.Header().Set("Content-Type", "application/json")
			w.Header().Add("Set-Cookie", "a=1")
			w.Header().Add("Set-Cookie", "b=2")
			fmt.Fprintf(w, `{"method":%q,"auth":%q}`, r.Method, r.Header.Get("Authorization"))
		case "/echo":
			body, _ := io.ReadAll(r.Body)
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, "%s %s %s", r.Method, r.Header.Get("Content-Type"), body)
		case "/redirect":
			http.Redirect(w, r, "/json", http.StatusFound)
		case "/missing":
			http.Error(w, "nope", http.StatusNotFound)
		}
	}))
	defer srv.Close()
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": `
const base = process.env.BASE;
const r1 = await fetch(base + "/json", { headers: { Authorization: "Bearer t" } });
const j = await r1.json();
console.log(r1.status, r1.ok, r1.headers.get("content-type"), r1.headers.getSetCookie().join(";"), j.method, j.auth);
const r2 = await fetch(new Request(base + "/echo", { method: "post", body: JSON.stringify({ a: 1 }), headers: { "content-type": "application/json" } }));
console.log(r2.status, await r2.text(), r2.bodyUsed);
const r3 = await fetch(base + "/redirect");
console.log(r3.redirected, r3.url.endsWith("/json"));
const r4 = await fetch(base + "/redirect", { redirect: "manual" });
console.log(r4.status, r4.headers.get("location"));
const r5 = await fetch(base + "/missing");
console.log(r5.status, r5.ok, (await r5.text()).trim());
const r6 = await fetch(base + "/echo", { method: "PUT", body: new URLSearchParams({ q: "a b" }) });
console.log(await r6.text());
const made = new Response(JSON.stringify({ ok: true }), { status: 202, headers: { "x-a": "1" } });
console.log(made.status, made.headers.get("X-A"), (await made.clone().json()).ok, Response.json({ n: 1 }).headers.get("content-type"));
const h = new Headers([["b", "2"], ["a", "1"]]);
h.append("a", "3");
console.log([...h].map(([k, v]) => k + "=" + v).join("&"), h.has("A"));
try { await fetch("http://127.0.0.1:1/"); } catch (e: any) { console.log(e.name, e.message.startsWith("fetch failed")); }
try { await r2.text(); } catch (e: any) { console.log(e.name); }
`}, runtimetest.Options{Env: []string{"BASE=" + srv.URL}})
	if res.Err != nil {
		t.Fatal(res.Formatted)
	}
	want := []string{
		"200 true application/json a=1;b=2 GET Bearer t",
		`201 POST application/json {"a":1} true`,
		"true true",
		"302 /json",
		"404 false nope",
		"PUT application/x-www-form-urlencoded;charset=UTF-8 q=a+b",
		"202 1 true application/json",
		"a=1, 3&b=2 true",
		"TypeError true",
		"TypeError",
	}
	got := strings.Split(strings.TrimSuffix(res.Stdout, "\n"), "\n")
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stdout:\n%s\nwant:\n%s", res.Stdout, strings.Join(want, "\n"))
	}
}

func TestFetchCancelledWithTheRun(t *testing.T) {
	started := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	begin := time.Now()
	res := runtimetest.Run(t, map[string]string{"alchemy.run.ts": `await fetch(process.env.BASE + "/slow");`},
		runtimetest.Options{Env: []string{"BASE=" + srv.URL}, Context: ctx})
	if !errors.Is(res.Err, runtime.ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", res.Err)
	}
	if time.Since(begin) > 10*time.Second {
		t.Fatal("the interrupted fetch kept the run waiting")
	}
}
