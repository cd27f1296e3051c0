package cloudflare_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/value"
)

const counterWorker = `import { DurableObject } from "cloudflare:workers";

export class Counter extends DurableObject {
  async fetch(request) {
    const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", n);
    return new Response(String(n));
  }
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/kv") return new Response(await env.KV.get("greeting"));
    if (url.pathname === "/d1") {
      const { results } = await env.DB.prepare("SELECT name FROM users ORDER BY id").all();
      return Response.json(results);
    }
    if (url.pathname === "/r2") {
      await env.BUCKET.put("hello.txt", "hi");
      return new Response((await env.BUCKET.get("hello.txt")).body);
    }
    if (url.pathname === "/queue") {
      await env.JOBS.send({ job: 1 });
      return new Response("sent");
    }
    const stub = env.COUNTER.get(env.COUNTER.idFromName("a"));
    return stub.fetch(request);
  },
  async queue(batch, env) {
    for (const m of batch.messages) await env.KV.put("last-job", JSON.stringify(m.body));
  },
};
`

const frontWorker = `export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/counter") {
      return env.COUNTER.get(env.COUNTER.idFromName("shared")).fetch(request);
    }
    return env.API.fetch(request);
  },
};
`

// fullProgram deploys every storage kind, a Worker binding them with a
// queue consumer, and a second Worker bound to the first by a service
// binding and by its Durable Object namespace.
type fullResult struct {
	kv, db, bucket, queue, api, front *value.Object
}

func fullProgram(res *fullResult, apiScript string) program {
	return func(ctx context.Context, r *runner) error {
		s := r.app.Stage()
		kvH, err := r.start(ctx, s, "cloudflare::KVNamespace", "kv", obj("values", []any{obj("key", "greeting", "value", "hello")}))
		if err != nil {
			return err
		}
		dbH, err := r.start(ctx, s, "cloudflare::D1Database", "db", obj("migrationsDir", "migrations"))
		if err != nil {
			return err
		}
		bucketH, err := r.start(ctx, s, "cloudflare::R2Bucket", "bucket", obj("empty", true))
		if err != nil {
			return err
		}
		queueH, err := r.start(ctx, s, "cloudflare::Queue", "jobs", nil)
		if err != nil {
			return err
		}
		var outs []*value.Object
		for _, h := range []*engine.Handle{kvH, dbH, bucketH, queueH} {
			o, err := h.Wait(ctx)
			if err != nil {
				return err
			}
			outs = append(outs, o)
		}
		res.kv, res.db, res.bucket, res.queue = outs[0], outs[1], outs[2], outs[3]
		counter, err := export("DurableObjectNamespace").Build([]value.Value{value.String("counter"), obj("className", "Counter", "sqlite", true)})
		if err != nil {
			return err
		}
		res.api, err = r.apply(ctx, "cloudflare::Worker", "api", obj(
			"entrypoint", apiScript,
			"compatibilityDate", "2025-09-01",
			"bindings", obj("KV", res.kv, "DB", res.db, "BUCKET", res.bucket, "JOBS", res.queue, "COUNTER", counter),
			"eventSources", []any{res.queue},
		))
		if err != nil {
			return err
		}
		apiBindings, _ := res.api.GetObject("bindings")
		do, _ := apiBindings.Get("COUNTER")
		res.front, err = r.apply(ctx, "cloudflare::Worker", "front", obj(
			"entrypoint", "src/front.js",
			"bindings", obj("API", res.api, "COUNTER", do),
		))
		return err
	}
}

func writeFullProject(h *harness) {
	h.write("src/api.js", counterWorker)
	h.write("src/front.js", frontWorker)
	h.write("migrations/0001_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);")
	h.write("migrations/0002_seed.sql", "INSERT INTO users (name) VALUES ('ada'), ('grace');")
}

func TestFullProgram(t *testing.T) {
	h := newHarness(t, local.Options{})
	writeFullProject(h)
	var res fullResult
	h.mustRun(fullProgram(&res, "src/api.js"))

	// D1: the migrations ran in order and are recorded as wrangler does.
	dbID := str(res.db, "id")
	raw, status := h.api(http.MethodPost, "/d1/database/"+dbID+"/query", map[string]string{"sql": "SELECT id, name FROM d1_migrations ORDER BY id; SELECT name FROM users ORDER BY id;"})
	var q []struct {
		Results []map[string]any `json:"results"`
	}
	if err := json.Unmarshal(raw, &q); err != nil || status != http.StatusOK || len(q) != 2 {
		t.Fatalf("query: %d %s", status, raw)
	}
	if fmt.Sprint(q[0].Results) != "[map[id:00001 name:0001_users.sql] map[id:00002 name:0002_seed.sql]]" {
		t.Errorf("d1_migrations = %v", q[0].Results)
	}
	if len(q[1].Results) != 2 {
		t.Errorf("users = %v", q[1].Results)
	}
	var rec struct {
		Props struct {
			MigrationsFiles []map[string]string `json:"migrationsFiles"`
		} `json:"props"`
	}
	json.Unmarshal(h.stateFile("db.json"), &rec)
	if len(rec.Props.MigrationsFiles) != 2 || rec.Props.MigrationsFiles[0]["id"] != "0001_users.sql" || len(rec.Props.MigrationsFiles[0]["hash"]) != 64 {
		t.Errorf("stored migrationsFiles %v", rec.Props.MigrationsFiles)
	}

	// The Durable Object class was created by a migration, and the
	// consumer and both Workers are deployed.
	apiName, frontName := str(res.api, "name"), str(res.front, "name")
	dos := h.list("/workers/durable_objects/namespaces")
	if len(dos) != 1 || dos[0]["class"] != "Counter" || dos[0]["script"] != apiName || dos[0]["use_sqlite"] != true {
		t.Errorf("DO namespaces %v", dos)
	}
	s, _ := h.settings(apiName)
	if !slices.Contains(s.Tags, "alchemy:do:counter:COUNTER") {
		t.Errorf("api tags %v", s.Tags)
	}
	fs, _ := h.settings(frontName)
	if b := bindingOf(fs, "API"); b["type"] != "service" || b["service"] != apiName {
		t.Errorf("front API binding %v", b)
	}
	if b := bindingOf(fs, "COUNTER"); b["type"] != "durable_object_namespace" || b["script_name"] != apiName || b["class_name"] != "Counter" {
		t.Errorf("front COUNTER binding %v", b)
	}
	consumers := h.list("/workers/scripts/" + apiName + "/queue-consumers")
	if len(consumers) != 1 || consumers[0]["queue_id"] != str(res.queue, "id") {
		t.Errorf("consumers %v", consumers)
	}
	if _, err := json.Marshal(consumers); err != nil {
		t.Fatal(err)
	}
	consumerFile := h.stateFile("api/" + str(res.queue, "id") + "-consumer.json")
	if !strings.Contains(string(consumerFile), `"kind": "cloudflare::QueueConsumer"`) {
		t.Errorf("consumer state %s", consumerFile)
	}
	if b := bindingOf(s, "DB"); b["type"] != "d1" || b["id"] != dbID {
		t.Errorf("DB binding %v", b)
	}

	// Re-run without changes: no requests at all.
	h.log.Reset()
	ev := h.mustRun(fullProgram(&res, "src/api.js"))
	if n := len(h.requests()); n != 0 {
		t.Errorf("unchanged re-run made %d requests: %v", n, h.requests())
	}
	for fqn, acts := range actions(ev) {
		if slices.Contains(acts, engine.ActionCreated) || slices.Contains(acts, engine.ActionDeleted) {
			t.Errorf("unchanged re-run: %s %v", fqn, acts)
		}
	}

	// A new migration: only it runs.
	h.write("migrations/0003_more.sql", "INSERT INTO users (name) VALUES ('linus');")
	h.log.Reset()
	h.mustRun(fullProgram(&res, "src/api.js"))
	raw, _ = h.api(http.MethodPost, "/d1/database/"+dbID+"/query", map[string]string{"sql": "SELECT count(*) AS n FROM users; SELECT count(*) AS n FROM d1_migrations;"})
	q = nil
	json.Unmarshal(raw, &q)
	if fmt.Sprint(q[0].Results, q[1].Results) != "[map[n:3]] [map[n:3]]" {
		t.Errorf("after a new migration: %s", raw)
	}

	// Put an object in the bucket: destroy empties it (empty: true).
	if _, status := h.api(http.MethodPut, "/r2/buckets/"+str(res.bucket, "name")+"/objects/a.txt", "x"); status != http.StatusOK {
		t.Fatalf("put object: %d", status)
	}
	h.destroy()
	h.assertEmpty()
}

func TestDurableObjectMigrations(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.write("src/api.js", counterWorker+"\nexport class Counter2 extends Counter {}\n")
	deploy := func(bindings *value.Object) {
		t.Helper()
		h.mustRun(func(ctx context.Context, r *runner) error {
			_, err := r.apply(ctx, "cloudflare::Worker", "api", obj("entrypoint", "src/api.js", "bindings", bindings))
			return err
		})
	}
	do := func(id, class string) value.Value {
		v, err := export("DurableObjectNamespace").Build([]value.Value{value.String(id), obj("className", class)})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	classes := func() []string {
		var out []string
		for _, ns := range h.list("/workers/durable_objects/namespaces") {
			out = append(out, ns["class"].(string))
		}
		slices.Sort(out)
		return out
	}
	deploy(obj("COUNTER", do("counter", "Counter")))
	if got := classes(); !slices.Equal(got, []string{"Counter"}) {
		t.Fatalf("after create: %v", got)
	}
	// Same stable id, new class name and binding name: a rename.
	deploy(obj("C", do("counter", "Counter2")))
	if got := classes(); !slices.Equal(got, []string{"Counter2"}) {
		t.Fatalf("after rename: %v", got)
	}
	// A second class, then the first one removed.
	deploy(obj("C", do("counter", "Counter2"), "D", do("other", "Counter")))
	if got := classes(); !slices.Equal(got, []string{"Counter", "Counter2"}) {
		t.Fatalf("after adding: %v", got)
	}
	deploy(obj("D", do("other", "Counter")))
	if got := classes(); !slices.Equal(got, []string{"Counter"}) {
		t.Fatalf("after removing: %v", got)
	}
	h.destroy()
	h.assertEmpty()
}

func TestWorkerRoutesDomainsAndCrons(t *testing.T) {
	h := newHarness(t, local.Options{Zones: []string{"example.com"}})
	prog := func(routes, domains []any, crons []string) program {
		return func(ctx context.Context, r *runner) error {
			props := obj("script", "export default { fetch() { return new Response('ok') }, scheduled() {} }",
				"routes", routes, "domains", domains)
			if crons != nil {
				props.Set("crons", conv(crons))
			}
			_, err := r.apply(ctx, "cloudflare::Worker", "web", props)
			return err
		}
	}
	h.mustRun(prog([]any{"api.example.com/*", obj("pattern", "example.com/v1/*")}, []any{"www.example.com"}, []string{"*/5 * * * *"}))
	zones := h.list("/zones")
	if len(zones) != 1 {
		t.Fatalf("zones %v", zones)
	}
	routesPath := fmt.Sprintf("/zones/%s/workers/routes", zones[0]["id"])
	if routes := h.list(routesPath); len(routes) != 2 {
		t.Errorf("routes %v", routes)
	}
	if d := h.list("/workers/domains"); len(d) != 1 || d[0]["hostname"] != "www.example.com" || d[0]["service"] != "app-web-test" {
		t.Errorf("domains %v", d)
	}
	raw, _ := h.api(http.MethodGet, "/workers/scripts/app-web-test/schedules", nil)
	if !strings.Contains(string(raw), "*/5 * * * *") {
		t.Errorf("schedules %s", raw)
	}
	// Route files are stored with "/" as ":".
	if !strings.Contains(string(h.stateFile("web/api.example.com:*.json")), `"kind": "cloudflare::Route"`) {
		t.Error("route state file")
	}
	// A route removed from the Worker is deleted when the Worker's apply ends.
	h.mustRun(prog([]any{"api.example.com/*"}, []any{"www.example.com"}, []string{}))
	if routes := h.list(routesPath); len(routes) != 1 || routes[0]["pattern"] != "api.example.com/*" {
		t.Errorf("routes after removal %v", routes)
	}
	raw, _ = h.api(http.MethodGet, "/workers/scripts/app-web-test/schedules", nil)
	if strings.Contains(string(raw), "*/5") {
		t.Errorf("schedules not cleared: %s", raw)
	}
	h.destroy()
	h.assertEmpty()
}

// get sends a request to a deployed Worker through the local Cloudflare's
// workers.dev routing.
func (h *harness) get(script, path string) (int, string) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL()+path, nil)
	req.Host = h.srv.WorkerHostname(script)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

func newRuntimeHarness(t *testing.T, opt local.Options) *harness {
	opt.Host = worker.New(worker.Options{Log: testLog{t}})
	return newHarness(t, opt)
}

// testLog sends the Workers' console output to the test log.
type testLog struct{ t *testing.T }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// TestBindingsServeRequests deploys the full program to a local Cloudflare
// that runs Workers and shows each binding working from a request.
func TestBindingsServeRequests(t *testing.T) {
	h := newRuntimeHarness(t, local.Options{})
	writeFullProject(h)
	var res fullResult
	h.mustRun(fullProgram(&res, "src/api.js"))
	api, front := str(res.api, "name"), str(res.front, "name")
	expect := func(script, path string, want string) {
		t.Helper()
		status, body := h.get(script, path)
		if status != http.StatusOK || body != want {
			t.Errorf("GET %s%s = %d %q, want %q", script, path, status, body, want)
		}
	}
	expect(api, "/kv", "hello")                             // KV with its initial values
	expect(api, "/d1", `[{"name":"ada"},{"name":"grace"}]`) // D1 after the migrations
	expect(api, "/r2", "hi")                                // R2
	expect(api, "/counter", "1")                            // the Worker's own Durable Object
	expect(front, "/counter", "1")                          // the same class bound from another Worker (worker.bindings.COUNTER)
	expect(front, "/counter", "2")
	expect(front, "/kv", "hello") // a service binding to the first Worker
	expect(api, "/queue", "sent")
	// The queue's consumer is the first Worker: it records the message.
	deadline := time.Now().Add(10 * time.Second)
	for {
		raw, status := h.rawGet("/storage/kv/namespaces/" + str(res.kv, "namespaceId") + "/values/last-job")
		if status == http.StatusOK {
			if string(raw) != `{"job":1}` {
				t.Errorf("consumed message %s", raw)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the queue message was not consumed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.destroy()
	h.assertEmpty()
}

// TestSeedProgramsServeRequests runs the seeds' two binding examples and
// requests the Workers.
func TestSeedProgramsServeRequests(t *testing.T) {
	h := newRuntimeHarness(t, local.Options{})
	h.write("src/worker.ts", seedWorker)
	h.mustRun(seedProgram(nil))
	if status, body := h.get("my-worker", "/"); status != http.StatusOK || body != "Value: null secret-key true" {
		t.Errorf("my-worker: %d %q", status, body)
	}

	// The bindings table: KV, Durable Object, R2, secret and variable.
	h.write("src/table.ts", `import { DurableObject } from "cloudflare:workers";
export class Counter extends DurableObject {
  async fetch() {
    const n = ((await this.ctx.storage.get("n")) ?? 0) + 1;
    await this.ctx.storage.put("n", n);
    return new Response(String(n));
  }
}
export default {
  async fetch(request, env) {
    await env.KV_STORE.put("k", "v");
    await env.BUCKET.put("o", "body");
    const n = await (await env.COUNTER.get(env.COUNTER.idFromName("x")).fetch(request)).text();
    return new Response([await env.KV_STORE.get("k"), await (await env.BUCKET.get("o")).text(), n, env.API_KEY, env.DEBUG, env.VERSION].join(" "));
  },
};
`)
	h.mustRun(func(ctx context.Context, r *runner) error {
		kv, err := r.apply(ctx, "cloudflare::KVNamespace", "kv", nil)
		if err != nil {
			return err
		}
		bucket, err := r.apply(ctx, "cloudflare::R2Bucket", "bucket", obj("empty", true))
		if err != nil {
			return err
		}
		counter, err := export("DurableObjectNamespace").Build([]value.Value{value.String("counter"), obj("className", "Counter")})
		if err != nil {
			return err
		}
		_, err = r.apply(ctx, "cloudflare::Worker", "worker", obj("entrypoint", "src/table.ts", "bindings", obj(
			"KV_STORE", kv, "COUNTER", counter, "BUCKET", bucket,
			"API_KEY", value.NewSecret("key-123"), "DEBUG", "true", "VERSION", "1.0.0")))
		return err
	})
	if status, body := h.get("app-worker-test", "/"); status != http.StatusOK || body != "v body 1 key-123 true 1.0.0" {
		t.Errorf("worker: %d %q", status, body)
	}
	h.destroy()
	h.assertEmpty()
}
