package worker_test

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

func (e *env) kv(title string) string {
	e.t.Helper()
	ns, err := e.srv.Store().CreateKVNamespace(e.ctx, e.srv.AccountID(), title)
	if err != nil {
		e.t.Fatal(err)
	}
	return ns.ID
}

func TestKV(t *testing.T) {
	e := start(t, worker.Options{})
	ns := e.kv("counter")
	e.deploy("kv", script{
		bindings: []store.Binding{{"name": "KV", "type": "kv_namespace", "namespace_id": ns}},
		modules: []store.Module{module("worker.js", `
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    if (path === "/count") {
      const n = Number((await env.KV.get("count")) || "0") + 1;
      await env.KV.put("count", String(n));
      return new Response(String(n));
    }
    if (path === "/meta") {
      await env.KV.put("doc", JSON.stringify({ a: 1 }), { metadata: { owner: "ada" }, expirationTtl: 3600 });
      const { value, metadata } = await env.KV.getWithMetadata("doc", "json");
      const buf = await env.KV.get("doc", "arrayBuffer");
      const text = await new Response(await env.KV.get("doc", { type: "stream" })).text();
      await env.KV.put("p/1", "x"); await env.KV.put("p/2", "y"); await env.KV.put("q", "z");
      const page = await env.KV.list({ prefix: "p/", limit: 1 });
      const rest = await env.KV.list({ prefix: "p/", cursor: page.cursor });
      await env.KV.delete("q");
      return Response.json({ value, metadata, bytes: buf.byteLength, text, first: page.keys.map((k) => k.name), complete: page.list_complete,
        rest: rest.keys.map((k) => k.name), restComplete: rest.list_complete, gone: await env.KV.get("q"), missing: await env.KV.get("nope") });
    }
    return new Response("?", { status: 404 });
  },
};
`)}})
	for i := 1; i <= 3; i++ {
		e.expect("kv", "/count", 200, fmt.Sprint(i))
	}
	got, err := e.srv.Store().KVGet(e.ctx, ns, "count")
	if err != nil || string(got.Value) != "3" {
		t.Fatalf("stored count = %q, %v", got.Value, err)
	}
	e.expect("kv", "/meta", 200, `{"value":{"a":1},"metadata":{"owner":"ada"},"bytes":7,"text":"{\"a\":1}","first":["p/1"],"complete":false,"rest":["p/2"],"restComplete":true,"gone":null,"missing":null}`)
}

func TestR2RoundTrip(t *testing.T) {
	e := start(t, worker.Options{})
	if _, err := e.srv.Store().CreateBucket(e.ctx, store.Bucket{AccountID: e.srv.AccountID(), Name: "files"}); err != nil {
		t.Fatal(err)
	}
	e.deploy("r2", script{
		bindings: []store.Binding{{"name": "FILES", "type": "r2_bucket", "bucket_name": "files"}},
		modules: []store.Module{module("worker.js", `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const key = url.pathname.slice(1);
    switch (request.method) {
      case "PUT": {
        const obj = await env.FILES.put(key, request.body, { httpMetadata: request.headers, customMetadata: { by: "test" } });
        return Response.json({ key: obj.key, size: obj.size, etag: obj.etag });
      }
      case "GET": {
        if (key === "") {
          const l = await env.FILES.list({ include: ["customMetadata"] });
          return Response.json(l.objects.map((o) => [o.key, o.size, o.customMetadata.by]));
        }
        const obj = await env.FILES.get(key, url.searchParams.has("range") ? { range: { offset: 1, length: 3 } } : undefined);
        if (obj === null) return new Response("not found", { status: 404 });
        const headers = new Headers();
        obj.writeHttpMetadata(headers);
        headers.set("etag", obj.httpEtag);
        headers.set("x-by", obj.customMetadata.by);
        return new Response(obj.body, { headers });
      }
      case "DELETE":
        await env.FILES.delete(key);
        return new Response("deleted");
    }
  },
};
`)}})
	status, body, _ := e.do("PUT", "r2", "/docs/a.txt", "hello r2", "Content-Type", "text/markdown")
	sum := fmt.Sprintf("%x", md5Sum("hello r2"))
	if status != 200 || body != fmt.Sprintf(`{"key":"docs/a.txt","size":8,"etag":"%s"}`, sum) {
		t.Fatalf("PUT = %d %s", status, body)
	}
	status, body, h := e.do("GET", "r2", "/docs/a.txt", "")
	if status != 200 || body != "hello r2" || h.Get("Content-Type") != "text/markdown" || h.Get("Etag") != `"`+sum+`"` || h.Get("X-By") != "test" {
		t.Fatalf("GET = %d %q %v", status, body, h)
	}
	e.expect("r2", "/docs/a.txt?range", 200, "ell")
	e.expect("r2", "/", 200, `[["docs/a.txt",8,"test"]]`)
	o, err := e.srv.Store().HeadObject(e.ctx, e.srv.AccountID(), "files", "docs/a.txt")
	if err != nil || o.HTTPMetadata.ContentType != "text/markdown" || o.CustomMetadata["by"] != "test" {
		t.Fatalf("stored object %+v, %v", o, err)
	}
	e.do("DELETE", "r2", "/docs/a.txt", "")
	e.expect("r2", "/docs/a.txt", 404, "not found")
}

func TestD1(t *testing.T) {
	e := start(t, worker.Options{})
	db, err := e.srv.Store().CreateD1(e.ctx, e.srv.AccountID(), "app", "", "")
	if err != nil {
		t.Fatal(err)
	}
	e.deploy("d1", script{
		bindings: []store.Binding{{"name": "DB", "type": "d1", "database_id": db.UUID}},
		modules: []store.Module{module("worker.js", `
export default {
  async fetch(request, env) {
    await env.DB.exec("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, admin INTEGER)");
    const ins = env.DB.prepare("INSERT INTO users (name, admin) VALUES (?, ?)");
    const results = await env.DB.batch([ins.bind("ada", true), ins.bind("grace", false), ins.bind("linus", null)]);
    const one = await env.DB.prepare("SELECT name FROM users WHERE id = ?").bind(2).first("name");
    const all = await env.DB.prepare("SELECT id, name, admin FROM users WHERE name LIKE ?1 ORDER BY id").bind("%a%").all();
    const raw = await env.DB.prepare("SELECT count(*) AS n FROM users").raw({ columnNames: true });
    let error = "";
    try { await env.DB.prepare("SELECT * FROM nope").all(); } catch (e) { error = e.message; }
    const run = await env.DB.prepare("UPDATE users SET admin = 1 WHERE admin IS NULL").run();
    return Response.json({ inserted: results.map((r) => r.meta.last_row_id), one, all: all.results, raw, error, changes: run.meta.changes });
  },
};
`)}})
	e.expect("d1", "/", 200, `{"inserted":[1,2,3],"one":"grace","all":[{"id":1,"name":"ada","admin":1},{"id":2,"name":"grace","admin":0}],"raw":[["n"],[3]],"error":"D1_ERROR: no such table: nope: SQLITE_ERROR","changes":1}`)
	res, err := e.srv.Store().D1ExecByID(e.ctx, db.UUID, []store.D1Statement{{SQL: "SELECT count(*) FROM users WHERE admin = 1"}})
	if err != nil || fmt.Sprint(res[0].Rows) != "[[2]]" {
		t.Fatalf("stored rows: %v, %v", res, err)
	}
}

func TestDurableObjectCounterUnderConcurrency(t *testing.T) {
	e := start(t, worker.Options{Isolates: 2})
	e.deploy("counter", script{
		migrations: &store.Migrations{MigrationStep: store.MigrationStep{NewSqliteClasses: []string{"Counter"}}},
		bindings:   []store.Binding{{"name": "COUNTER", "type": "durable_object_namespace", "class_name": "Counter"}},
		modules: []store.Module{module("worker.js", `
import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.hits = 0;
    ctx.blockConcurrencyWhile(async () => {
      this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS log (n INTEGER)");
    });
  }
  async fetch(request) {
    let n = (await this.ctx.storage.get("n")) || 0;
    n++;
    await this.ctx.storage.put("n", n);
    this.ctx.storage.sql.exec("INSERT INTO log (n) VALUES (?)", n);
    this.hits++;
    return new Response(String(n));
  }
  async add(by) {
    const n = ((await this.ctx.storage.get("n")) || 0) + by;
    await this.ctx.storage.put("n", n);
    return { n, id: this.ctx.id.toString(), name: this.ctx.id.name };
  }
  logged() {
    return this.ctx.storage.sql.exec("SELECT count(*) AS c, max(n) AS m FROM log").one();
  }
  fail() {
    throw new RangeError("no way");
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const stub = env.COUNTER.get(env.COUNTER.idFromName(url.searchParams.get("name") || "main"));
    if (url.pathname === "/add") return Response.json(await stub.add(10));
    if (url.pathname === "/logged") return Response.json(await stub.logged());
    if (url.pathname === "/fail") {
      try { await stub.fail(); } catch (e) { return new Response(e.name + ": " + e.message + " " + (e instanceof RangeError)); }
    }
    if (url.pathname === "/ids") {
      const a = env.COUNTER.idFromName("x"), b = env.COUNTER.idFromName("x"), u = env.COUNTER.newUniqueId();
      let bad = "";
      try { env.COUNTER.idFromString("00"); } catch (e) { bad = e.message; }
      return Response.json({ same: a.equals(b) && a.toString() === b.toString(), len: u.toString().length,
        round: env.COUNTER.idFromString(u.toString()).equals(u), bad });
    }
    return stub.fetch(request);
  },
};
`)}})
	const n = 50
	var wg sync.WaitGroup
	seen := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, seen[i] = e.get("counter", "/")
		}(i)
	}
	wg.Wait()
	got := map[string]bool{}
	for _, s := range seen {
		got[s] = true
	}
	for i := 1; i <= n; i++ {
		if !got[fmt.Sprint(i)] {
			t.Fatalf("the %d concurrent increments returned %v, want each of 1…%d once\nlog:\n%s", n, seen, n, e.log.String())
		}
	}
	e.expect("counter", "/logged", 200, `{"c":50,"m":50}`)
	status, body := e.get("counter", "/add")
	if status != 200 || !strings.HasPrefix(body, `{"n":60,"id":"`) || !strings.HasSuffix(body, `","name":"main"}`) {
		t.Fatalf("rpc add = %d %s", status, body)
	}
	if _, other := e.get("counter", "/add?name=other"); !strings.HasPrefix(other, `{"n":10,`) || !strings.HasSuffix(other, `"name":"other"}`) {
		t.Fatalf("another object: %s", other)
	}
	e.expect("counter", "/fail", 200, "RangeError: no way true")
	e.expect("counter", "/ids", 200, `{"same":true,"len":64,"round":true,"bad":"Invalid Durable Object ID: it must be 64 hex digits"}`)
}

func md5Sum(s string) [16]byte { return md5.Sum([]byte(s)) }

func TestQueueProducerToConsumer(t *testing.T) {
	e := start(t, worker.Options{})
	st := e.srv.Store()
	q, err := st.CreateQueue(e.ctx, e.srv.AccountID(), "jobs", nil)
	if err != nil {
		t.Fatal(err)
	}
	results := e.kv("results")
	e.deploy("consumer", script{
		bindings: []store.Binding{{"name": "OUT", "type": "kv_namespace", "namespace_id": results}},
		modules: []store.Module{module("worker.js", `
export default {
  async queue(batch, env) {
    const bodies = batch.messages.map((m) => JSON.stringify(m.body));
    for (const m of batch.messages) {
      if (m.body && m.body.retry && m.attempts === 1) { m.retry(); continue; }
      m.ack();
    }
    await env.OUT.put("batch:" + bodies.join("|"), batch.queue + " " + batch.messages.map((m) => m.attempts).join(","));
  },
};
`)}})
	if _, err := st.CreateConsumer(e.ctx, e.srv.AccountID(), q.ID, store.Consumer{Type: "worker", Script: "consumer",
		Settings: store.ConsumerSettings{BatchSize: 10, MaxRetries: 3}}); err != nil {
		t.Fatal(err)
	}
	e.deploy("producer", script{
		bindings: []store.Binding{{"name": "JOBS", "type": "queue", "queue_name": "jobs"}},
		modules: []store.Module{module("worker.js", `
export default {
  async fetch(request, env) {
    await env.JOBS.sendBatch([{ body: { n: 1 } }, { body: { n: 2, at: new Date(0) } }, { body: "three", contentType: "text" }, { body: { retry: true }, contentType: "json" }]);
    return new Response("sent");
  },
};
`)}})
	e.expect("producer", "/", 200, "sent")
	deadline := time.Now().Add(10 * time.Second)
	var keys []store.KVKey
	for time.Now().Before(deadline) {
		keys, _, err = st.KVList(e.ctx, results, store.KVListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) == 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	var names []string
	for _, k := range keys {
		v, _ := st.KVGet(e.ctx, results, k.Name)
		names = append(names, k.Name+" => "+string(v.Value))
	}
	want := []string{
		`batch:{"n":1}|{"n":2,"at":"1970-01-01T00:00:00.000Z"}|"three"|{"retry":true} => jobs 1,1,1,1`,
		`batch:{"retry":true} => jobs 2`,
	}
	if strings.Join(names, "\n") != strings.Join(want, "\n") {
		t.Fatalf("consumer saw:\n%s\nwant:\n%s\nlog:\n%s", strings.Join(names, "\n"), strings.Join(want, "\n"), e.log.String())
	}
	if n, _ := st.QueueBacklog(e.ctx, q.ID); n != 0 {
		t.Errorf("backlog = %d after the batch was acked", n)
	}
}

func TestServiceBindingFetchAndRPC(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("backend", script{modules: []store.Module{module("worker.js", `
import { WorkerEntrypoint } from "cloudflare:workers";
export class Admin extends WorkerEntrypoint {
  async stats(prefix) { return { prefix, when: new Date(5), tags: new Set(["a"]) }; }
}
export default class extends WorkerEntrypoint {
  async fetch(request) {
    return new Response("backend saw " + request.method + " " + new URL(request.url).pathname + " " + (await request.text()), { headers: { "x-from": "backend" } });
  }
  add(a, b) { return a + b; }
  async fail() { throw new TypeError("bad input"); }
}
`)}})
	e.deploy("frontend", script{
		bindings: []store.Binding{{"name": "API", "type": "service", "service": "backend"}, {"name": "ADMIN", "type": "service", "service": "backend", "entrypoint": "Admin"}},
		modules: []store.Module{module("worker.js", `
export default {
  async fetch(request, env) {
    const res = await env.API.fetch("https://backend/hello", { method: "POST", body: "ping" });
    const sum = await env.API.add(2, 3);
    let failed = "";
    try { await env.API.fail(); } catch (e) { failed = e.name + ": " + e.message; }
    const stats = await env.ADMIN.stats("p");
    return Response.json({ text: await res.text(), from: res.headers.get("x-from"), sum, failed,
      stats: [stats.prefix, stats.when instanceof Date && stats.when.getTime(), stats.tags.has("a")] });
  },
};
`)}})
	e.expect("frontend", "/", 200, `{"text":"backend saw POST /hello ping","from":"backend","sum":5,"failed":"TypeError: bad input","stats":["p",5,true]}`)
}

func TestCryptoDigestMatchesGo(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("hash", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch(request) {
    const data = new Uint8Array(await request.arrayBuffer());
    const digest = await crypto.subtle.digest("SHA-256", data);
    return new Response([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join(""));
  },
};
`)}})
	payload := strings.Repeat("alchemy ", 1000)
	sum := sha256.Sum256([]byte(payload))
	status, body, _ := e.do("POST", "hash", "/", payload)
	if status != 200 || body != hex.EncodeToString(sum[:]) {
		t.Fatalf("digest = %d %s, want %x", status, body, sum)
	}
}

func TestInfiniteLoopIsCutOffWhileOthersAreServed(t *testing.T) {
	e := start(t, worker.Options{CPULimit: time.Second, Isolates: 1})
	e.deploy("spin", script{modules: []store.Module{module("worker.js", `
export default {
  async fetch(request) {
    if (new URL(request.url).pathname === "/spin") {
      let i = 0;
      for (;;) { i = (i + 1) % 1000; }
    }
    return new Response("fine");
  },
};
`)}})
	done := make(chan [2]any, 1)
	go func() {
		status, body := e.get("spin", "/spin")
		done <- [2]any{status, body}
	}()
	// While the loop spins (it holds the only isolate until the budget
	// stops it), other requests queue and are then served.
	for i := 0; i < 5; i++ {
		e.expect("spin", "/", 200, "fine")
	}
	r := <-done
	if r[0] != 500 || !strings.Contains(r[1].(string), "Error 1102: Worker exceeded resource limits") {
		t.Fatalf("spinning request = %v", r)
	}
	if log := e.log.String(); !strings.Contains(log, "exceeded the CPU time limit") || !strings.Contains(log, "worker.js:6:") {
		t.Errorf("log lacks the limit error with its position:\n%s", log)
	}
	e.expect("spin", "/", 200, "fine")
}

func TestServiceWorkerSyntax(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("legacy", script{
		classic:  true,
		bindings: []store.Binding{{"name": "GREETING", "type": "plain_text", "text": "hi"}, {"name": "CONF", "type": "json", "json": map[string]any{"debug": true}}},
		modules: []store.Module{{Name: "sw.js", ContentType: "application/javascript", Content: []byte(`
addEventListener("fetch", (event) => {
  event.respondWith(new Response(GREETING + " " + CONF.debug + " " + new URL(event.request.url).pathname));
});
`)}}})
	e.expect("legacy", "/old", 200, "hi true /old")
}

func TestStreamingResponseAndNodeCompat(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("stream", script{
		flags:    []string{"nodejs_compat"},
		bindings: []store.Binding{{"name": "TOKEN", "type": "secret_text", "text": "s3cret"}},
		modules: []store.Module{module("worker.js", `
import { Buffer } from "node:buffer";
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { format } from "node:util";
import path from "node:path";
import assert from "node:assert";
import { AsyncLocalStorage } from "node:async_hooks";

const als = new AsyncLocalStorage();

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/stream") {
      const { readable, writable } = new TransformStream();
      const writer = writable.getWriter();
      ctx.waitUntil((async () => {
        for (let i = 0; i < 3; i++) {
          await writer.write(new TextEncoder().encode("chunk" + i + "\n"));
          await new Promise((r) => setTimeout(r, 5));
        }
        await writer.close();
      })());
      return new Response(readable, { headers: { "content-type": "text/plain" } });
    }
    const bus = new EventEmitter();
    let heard = "";
    bus.on("x", (v) => (heard = v));
    bus.emit("x", "event");
    assert.strictEqual(1, 1);
    const stored = await als.run({ id: 7 }, async () => {
      await new Promise((r) => setTimeout(r, 1));
      return als.getStore().id;
    });
    return Response.json({
      b64: Buffer.from("hi").toString("base64"),
      sha: createHash("sha256").update("x").digest("hex").slice(0, 8),
      hmac: createHmac("sha256", "k").update("m").digest("hex").slice(0, 8),
      rand: randomBytes(4).length, uuid: randomUUID().length, heard,
      fmt: format("%s=%d", "n", 5), join: path.join("a", "..", "b"),
      env: process.env.TOKEN, als: stored, after: als.getStore() === undefined,
    });
  },
};
`)}})
	e.expect("stream", "/stream", 200, "chunk0\nchunk1\nchunk2\n")
	mac := hmac.New(sha256.New, []byte("k"))
	mac.Write([]byte("m"))
	e.expect("stream", "/", 200, `{"b64":"aGk=","sha":"2d711642","hmac":"`+hex.EncodeToString(mac.Sum(nil))[:8]+`","rand":4,"uuid":36,"heard":"event","fmt":"n=5","join":"b","env":"s3cret","als":7,"after":true}`)
}

func TestScheduled(t *testing.T) {
	e := start(t, worker.Options{})
	ns := e.kv("crons")
	e.deploy("cron", script{
		bindings: []store.Binding{{"name": "KV", "type": "kv_namespace", "namespace_id": ns}},
		modules: []store.Module{module("worker.js", `
export default {
  async scheduled(controller, env) {
    await env.KV.put("last", controller.cron + " " + (typeof controller.scheduledTime));
  },
};
`)}})
	e.expect("cron", "/__scheduled?cron=*/5+*+*+*+*", 200, "Ran scheduled event\n")
	v, err := e.srv.Store().KVGet(e.ctx, ns, "last")
	if err != nil || string(v.Value) != "*/5 * * * * number" {
		t.Fatalf("scheduled wrote %q, %v", v.Value, err)
	}
	if err := e.rt.Scheduled(e.ctx, e.srv.AccountID(), "cron", "0 0 * * *"); err != nil {
		t.Fatal(err)
	}
	if v, _ := e.srv.Store().KVGet(e.ctx, ns, "last"); string(v.Value) != "0 0 * * * number" {
		t.Fatalf("Scheduled wrote %q", v.Value)
	}
}
