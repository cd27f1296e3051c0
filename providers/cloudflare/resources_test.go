package cloudflare_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/value"
)

// lifecycle applies one resource through a series of props, checking the
// action each step gets, then destroys the stage and checks the local
// Cloudflare is empty.
type step struct {
	props  *value.Object
	want   []engine.Action
	check  func(t *testing.T, h *harness, out *value.Object)
	noReqs bool // the step must make no API request
}

func runLifecycle(t *testing.T, h *harness, kind, id string, steps []step) {
	t.Helper()
	for i, s := range steps {
		var out *value.Object
		h.log.Reset()
		ev := h.mustRun(func(ctx context.Context, r *runner) error {
			var err error
			out, err = r.apply(ctx, kind, id, s.props)
			return err
		})
		if got := actions(ev)["app/test/"+id]; !slices.Equal(got, s.want) {
			t.Fatalf("step %d: actions %v, want %v", i, got, s.want)
		}
		if s.noReqs {
			if n := len(h.requests()); n != 0 {
				t.Errorf("step %d: %d requests, want none", i, n)
			}
		}
		if s.check != nil {
			s.check(t, h, out)
		}
	}
	h.destroy()
	h.assertEmpty()
}

var (
	created  = []engine.Action{engine.ActionCreating, engine.ActionCreated}
	updated  = []engine.Action{engine.ActionUpdating, engine.ActionUpdated}
	replaced = []engine.Action{engine.ActionUpdating, engine.ActionReplaced, engine.ActionCleanup, engine.ActionCleaned}
	skipped  = []engine.Action{engine.ActionSkipped}
)

func names(items []map[string]any, field string) []string {
	var out []string
	for _, it := range items {
		if s, ok := it[field].(string); ok {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func TestR2BucketLifecycle(t *testing.T) {
	h := newHarness(t, local.Options{})
	cors := []any{obj("allowed", obj("methods", []string{"GET"}, "origins", []string{"*"}))}
	runLifecycle(t, h, "cloudflare::R2Bucket", "bucket", []step{
		{props: obj("name", "assets-one"), want: created, check: func(t *testing.T, h *harness, out *value.Object) {
			if got := names(h.list("/r2/buckets"), "name"); !slices.Equal(got, []string{"assets-one"}) {
				t.Errorf("buckets %v", got)
			}
			if _, ok := out.Get("creationDate"); !ok || str(out, "type") != "r2_bucket" || str(out, "jurisdiction") != "default" {
				t.Errorf("output %v", out.Keys())
			}
			if d, ok := out.Get("creationDate"); ok {
				if _, isDate := d.(value.Date); !isDate {
					t.Errorf("creationDate is a %s, want a date", value.TypeName(d))
				}
			}
		}},
		{props: obj("name", "assets-one"), want: skipped, noReqs: true},
		{props: obj("name", "assets-one", "devDomain", true, "cors", cors), want: updated, check: func(t *testing.T, h *harness, out *value.Object) {
			if !strings.HasSuffix(str(out, "devDomain"), ".r2.dev") {
				t.Errorf("devDomain %q", str(out, "devDomain"))
			}
			raw, _ := h.api(http.MethodGet, "/r2/buckets/assets-one/cors", nil)
			if !strings.Contains(string(raw), `"origins":["*"]`) {
				t.Errorf("cors %s", raw)
			}
		}},
		// The name is immutable: a new bucket replaces the old one.
		{props: obj("name", "assets-two"), want: replaced, check: func(t *testing.T, h *harness, out *value.Object) {
			if got := names(h.list("/r2/buckets"), "name"); !slices.Equal(got, []string{"assets-two"}) {
				t.Errorf("buckets after replace %v", got)
			}
		}},
	})
}

func TestR2BucketNotEmpty(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.mustRun(func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::R2Bucket", "bucket", obj("name", "full-bucket"))
		return err
	})
	if _, status := h.api(http.MethodPut, "/r2/buckets/full-bucket/objects/k", "v"); status != http.StatusOK {
		t.Fatal(status)
	}
	_, err := h.run(engine.AppOptions{Phase: engine.PhaseDestroy}, nil)
	errorContains(t, err, "full-bucket", "10008", "empty: true")
}

func TestD1DatabaseLifecycle(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.write("sql/0001_a.sql", "CREATE TABLE a (x INTEGER);")
	h.write("sql/0002_b.sql", "CREATE TABLE b (x INTEGER);")
	h.write("sql/10_c.sql", "CREATE TABLE c (x INTEGER);")
	h.write("sql/extra.sql", "CREATE TABLE extra (x INTEGER);")
	h.write("seed.sql", "INSERT INTO a VALUES (1);")
	tables := func(h *harness, id string) []string {
		raw, _ := h.api(http.MethodPost, "/d1/database/"+id+"/query", map[string]string{"sql": "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"})
		var res []struct {
			Results []map[string]any `json:"results"`
		}
		json.Unmarshal(raw, &res)
		return names(res[0].Results, "name")
	}
	var firstID string
	runLifecycle(t, h, "cloudflare::D1Database", "db", []step{
		{props: obj("name", "main-db", "migrationsDir", "sql", "migrationsTable", "applied"), want: created, check: func(t *testing.T, h *harness, out *value.Object) {
			firstID = str(out, "id")
			if got := tables(h, firstID); !slices.Equal(got, []string{"a", "applied", "b", "c", "extra"}) {
				t.Errorf("tables %v", got)
			}
			raw, _ := h.api(http.MethodPost, "/d1/database/"+firstID+"/query", map[string]string{"sql": "SELECT id, name FROM applied ORDER BY id"})
			for i, want := range []string{`"00001","name":"0001_a.sql"`, `"00002","name":"0002_b.sql"`, `"00003","name":"10_c.sql"`, `"00004","name":"extra.sql"`} {
				if !strings.Contains(string(raw), want) {
					t.Errorf("migration %d: %s lacks %s", i, raw, want)
				}
			}
			wantKeys := []string{"type", "id", "name", "dev", "migrationsDir", "migrationsTable", "jurisdiction"}
			var keys []string
			for _, k := range out.Keys() {
				if !value.IsSymbolKey(k) {
					keys = append(keys, k)
				}
			}
			if !slices.Equal(keys, wantKeys) {
				t.Errorf("output keys %v, want %v", keys, wantKeys)
			}
		}},
		{props: obj("name", "main-db", "migrationsDir", "sql", "migrationsTable", "applied"), want: skipped, noReqs: true},
		// Import files run on every update.
		{props: obj("name", "main-db", "migrationsDir", "sql", "migrationsTable", "applied", "importFiles", []string{"seed.sql"},
			"readReplication", obj("mode", "auto")), want: updated, check: func(t *testing.T, h *harness, out *value.Object) {
			if str(out, "id") != firstID {
				t.Errorf("update changed the id")
			}
			raw, _ := h.api(http.MethodGet, "/d1/database/"+firstID, nil)
			if !strings.Contains(string(raw), `"mode":"auto"`) {
				t.Errorf("read replication: %s", raw)
			}
		}},
		{props: obj("name", "other-db"), want: replaced, check: func(t *testing.T, h *harness, out *value.Object) {
			if got := names(h.list("/d1/database"), "name"); !slices.Equal(got, []string{"other-db"}) {
				t.Errorf("databases %v", got)
			}
		}},
	})
}

func TestD1ImmutableLocation(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.mustRun(func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::D1Database", "db", obj("primaryLocationHint", "weur"))
		return err
	})
	_, err := h.run(engine.AppOptions{}, func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::D1Database", "db", obj("primaryLocationHint", "enam"))
		return err
	})
	errorContains(t, err, `D1Database "db"`, "primaryLocationHint", `"weur"`, `"enam"`)
}

func TestQueueLifecycle(t *testing.T) {
	h := newHarness(t, local.Options{})
	runLifecycle(t, h, "cloudflare::Queue", "jobs", []step{
		{props: nil, want: created, check: func(t *testing.T, h *harness, out *value.Object) {
			if got := names(h.list("/queues"), "queue_name"); !slices.Equal(got, []string{"app-jobs-test"}) {
				t.Errorf("queues %v", got)
			}
			dev, _ := out.GetObject("dev")
			if str(dev, "id") != "jobs" || str(out, "accountId") != h.srv.AccountID() {
				t.Errorf("output %v", out)
			}
		}},
		{props: nil, want: skipped, noReqs: true},
		{props: obj("name", "renamed-jobs", "settings", obj("deliveryDelay", 5)), want: updated, check: func(t *testing.T, h *harness, out *value.Object) {
			if got := names(h.list("/queues"), "queue_name"); !slices.Equal(got, []string{"renamed-jobs"}) {
				t.Errorf("queues after rename %v", got)
			}
			set, _ := out.GetObject("settings")
			if n, _ := set.GetNumber("deliveryDelay"); n != 5 {
				t.Errorf("settings %v", set)
			}
		}},
	})
}

func TestQueueConflictAndAdopt(t *testing.T) {
	h := newHarness(t, local.Options{})
	if _, status := h.api(http.MethodPost, "/queues", map[string]string{"queue_name": "shared"}); status != http.StatusOK {
		t.Fatal(status)
	}
	prog := func(adopt bool) program {
		return func(ctx context.Context, r *runner) error {
			_, err := r.apply(ctx, "cloudflare::Queue", "q", obj("name", "shared", "adopt", adopt))
			return err
		}
	}
	_, err := h.run(engine.AppOptions{}, prog(false))
	errorContains(t, err, `Queue "q"`, "409", "adopt")
	h.mustRun(prog(true))
	if n := len(h.list("/queues")); n != 1 {
		t.Errorf("%d queues", n)
	}
	h.destroy()
	h.assertEmpty()
}

func TestStandaloneRouteDomainConsumerSubdomain(t *testing.T) {
	h := newHarness(t, local.Options{Zones: []string{"example.org"}})
	h.mustRun(func(ctx context.Context, r *runner) error {
		w, err := r.apply(ctx, "cloudflare::Worker", "w", obj("script", "export default { fetch() { return new Response('ok') }, queue() {} }"))
		if err != nil {
			return err
		}
		q, err := r.apply(ctx, "cloudflare::Queue", "q", nil)
		if err != nil {
			return err
		}
		if _, err := r.apply(ctx, "cloudflare::Route", "route", obj("pattern", "*.example.org/api/*", "script", w)); err != nil {
			return err
		}
		if _, err := r.apply(ctx, "cloudflare::CustomDomain", "domain", obj("name", "app.example.org", "workerName", str(w, "name"))); err != nil {
			return err
		}
		if _, err := r.apply(ctx, "cloudflare::QueueConsumer", "consumer", obj("queue", q, "scriptName", str(w, "name"),
			"settings", obj("batchSize", 5))); err != nil {
			return err
		}
		sub, err := r.apply(ctx, "cloudflare::WorkerSubdomain", "sub", obj("scriptName", str(w, "name")))
		if err != nil {
			return err
		}
		if n := len(copyIdentity(sub)); n != 0 {
			t.Errorf("WorkerSubdomain output has fields %v", copyIdentity(sub))
		}
		return nil
	})
	zones := h.list("/zones")
	if routes := h.list("/zones/" + zones[0]["id"].(string) + "/workers/routes"); len(routes) != 1 || routes[0]["script"] != "app-w-test" {
		t.Errorf("routes %v", routes)
	}
	if d := h.list("/workers/domains"); len(d) != 1 {
		t.Errorf("domains %v", d)
	}
	if c := h.list("/workers/scripts/app-w-test/queue-consumers"); len(c) != 1 {
		t.Errorf("consumers %v", c)
	}
	h.destroy()
	h.assertEmpty()
}

func TestRouteZoneNotFound(t *testing.T) {
	h := newHarness(t, local.Options{})
	_, err := h.run(engine.AppOptions{}, func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::Route", "r", obj("pattern", "api.nowhere.dev/*", "script", "x"))
		return err
	})
	errorContains(t, err, `Route "r"`, "api.nowhere.dev", "zoneId")
}

// copyIdentity returns the non-identity keys of an output.
func copyIdentity(o *value.Object) []string {
	var keys []string
	for _, k := range o.Keys() {
		if !value.IsSymbolKey(k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func TestWorkerRename(t *testing.T) {
	h := newHarness(t, local.Options{})
	script := "export default { fetch() { return new Response('x') } }"
	runLifecycle(t, h, "cloudflare::Worker", "api", []step{
		{props: obj("name", "first-name", "script", script), want: created},
		{props: obj("name", "second-name", "script", script), want: replaced, check: func(t *testing.T, h *harness, out *value.Object) {
			if got := names(h.list("/workers/scripts"), "id"); !slices.Equal(got, []string{"second-name"}) {
				t.Errorf("scripts %v", got)
			}
		}},
	})
}

// TestDevModeRoutesStayLocal runs a Worker with routes and a custom domain
// under --dev: they are kept in state only (the Worker is served on
// localhost), while the storage it binds is made on the local Cloudflare.
func TestDevModeRoutesStayLocal(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.local = true
	var kv *value.Object
	h.mustRun(func(ctx context.Context, r *runner) error {
		var err error
		if kv, err = r.apply(ctx, "cloudflare::KVNamespace", "kv", nil); err != nil {
			return err
		}
		_, err = r.apply(ctx, "cloudflare::Worker", "web", obj("script", "export default { fetch() { return new Response('ok') } }",
			"routes", []any{"api.example.com/*"}, "domains", []any{"www.example.com"}, "bindings", obj("KV", kv)))
		return err
	})
	if !strings.Contains(string(h.stateFile("kv.json")), `"force": true`) {
		t.Error("KV props under --dev: want dev.force true")
	}
	if !strings.Contains(string(h.stateFile("web/api.example.com:*.json")), `"id": "noop-route"`) {
		t.Error("the route is not a dev placeholder")
	}
	if d := h.list("/workers/domains"); len(d) != 0 {
		t.Errorf("custom domains %v", d)
	}
	h.destroy()
	h.assertEmpty()
}

// TestBucketMethods calls the object methods of an R2Bucket output the way
// the program does (bucket.put(...), bucket.get(...)).
func TestBucketMethods(t *testing.T) {
	h := newHarness(t, local.Options{})
	var bucket *value.Object
	h.mustRun(func(ctx context.Context, r *runner) error {
		var err error
		bucket, err = r.apply(ctx, "cloudflare::R2Bucket", "files", obj("empty", true))
		return err
	})
	cf := cloudflare.New(cloudflare.Options{API: h.config(), Dir: h.root})
	methods := map[string]cloudflare.Method{}
	for _, m := range export("R2Bucket").Methods {
		methods[m.Name] = m
	}
	ctx := context.Background()
	call := func(name string, args ...value.Value) value.Value {
		t.Helper()
		v, err := methods[name].Call(ctx, cf, bucket, args)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return v
	}
	put := call("put", value.String("docs/a.txt"), value.String("hello"), obj("httpMetadata", obj("contentType", "text/plain")))
	if o, _ := put.(*value.Object); str(o, "key") != "docs/a.txt" || str(o, "etag") == "" {
		t.Errorf("put %v", put)
	}
	call("put", value.String("b.bin"), value.Buffer{1, 2, 3})
	got, _ := call("get", value.String("docs/a.txt")).(*value.Object)
	if body, _ := got.Get("body"); string(body.(value.Buffer)) != "hello" {
		t.Errorf("get body %v", body)
	}
	if md, _ := got.GetObject("httpMetadata"); str(md, "contentType") != "text/plain" {
		t.Errorf("get metadata %v", md)
	}
	if head, _ := call("head", value.String("b.bin")).(*value.Object); head == nil {
		t.Error("head of an existing key is null")
	} else if n, _ := head.GetNumber("size"); n != 3 {
		t.Errorf("head size %v", n)
	}
	if v := call("get", value.String("missing")); v != (value.Null{}) {
		t.Errorf("get of a missing key: %v", v)
	}
	list, _ := call("list", obj("prefix", "docs/")).(*value.Object)
	if objs, _ := list.Get("objects"); len(objs.(value.Array)) != 1 {
		t.Errorf("list %v", list)
	}
	call("delete", value.String("docs/a.txt"))
	if v := call("head", value.String("docs/a.txt")); v != (value.Null{}) {
		t.Errorf("after delete: %v", v)
	}
	h.destroy()
	h.assertEmpty()
}
