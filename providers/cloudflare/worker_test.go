package cloudflare_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/value"
)

const seedWorker = `export default {
  async fetch(request, env, ctx) {
    const value = await env.MY_KV.get("key");
    return new Response("Value: " + value + " " + env.API_KEY + " " + env.DEBUG_MODE);
  }
};
`

// settings reads a script's settings through the API.
type settingsJSON struct {
	Bindings []map[string]any `json:"bindings"`
	Tags     []string         `json:"tags"`
}

func (h *harness) settings(script string) (settingsJSON, int) {
	h.t.Helper()
	raw, status := h.api(http.MethodGet, "/workers/scripts/"+script+"/settings", nil)
	var s settingsJSON
	json.Unmarshal(raw, &s)
	return s, status
}

func bindingOf(s settingsJSON, name string) map[string]any {
	for _, b := range s.Bindings {
		if b["name"] == name {
			return b
		}
	}
	return nil
}

// The first seed program: a KV namespace and a Worker binding it, a string
// and a boolean.
func seedProgram(out *value.Object) program {
	return func(ctx context.Context, r *runner) error {
		kv, err := r.apply(ctx, "cloudflare::KVNamespace", "MY_KV", obj("title", "my-kv-namespace"))
		if err != nil {
			return err
		}
		w, err := r.apply(ctx, "cloudflare::Worker", "my-worker", obj(
			"name", "my-worker",
			"entrypoint", "./src/worker.ts",
			"bindings", obj("MY_KV", kv, "API_KEY", "secret-key", "DEBUG_MODE", true),
		))
		if err == nil && out != nil {
			*out = *w
		}
		return err
	}
}

func TestSeedKVWorkerLifecycle(t *testing.T) {
	h := newHarness(t, local.Options{Subdomain: "acme"})
	h.write("src/worker.ts", seedWorker)
	var w value.Object
	ev := h.mustRun(seedProgram(&w))
	acts := actions(ev)
	if !slices.Equal(acts["app/test/my-worker"], []engine.Action{engine.ActionCreating, engine.ActionCreated}) {
		t.Fatalf("actions %v", acts)
	}
	if got := str(&w, "url"); got != "https://my-worker.acme.workers.dev" {
		t.Errorf("url = %q", got)
	}
	s, status := h.settings("my-worker")
	if status != http.StatusOK {
		t.Fatalf("settings: %d", status)
	}
	if b := bindingOf(s, "DEBUG_MODE"); b["type"] != "json" || b["json"] != true {
		t.Errorf("DEBUG_MODE binding %v, want json true", b)
	}
	if b := bindingOf(s, "API_KEY"); b["type"] != "plain_text" || b["text"] != "secret-key" {
		t.Errorf("API_KEY binding %v", b)
	}
	kvs := h.list("/storage/kv/namespaces")
	if b := bindingOf(s, "MY_KV"); b["type"] != "kv_namespace" || len(kvs) != 1 || b["namespace_id"] != kvs[0]["id"] {
		t.Errorf("MY_KV binding %v, namespaces %v", b, kvs)
	}
	// The output echoes the props first, then the Worker's fields.
	wantKeys := []string{"name", "entrypoint", "bindings", "type", "id", "cwd", "compatibilityDate", "compatibilityFlags",
		"format", "createdAt", "updatedAt", "url", "dev"}
	var keys []string
	for _, k := range w.Keys() {
		if !value.IsSymbolKey(k) {
			keys = append(keys, k)
		}
	}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("output keys %v\nwant %v", keys, wantKeys)
	}
	content, _ := h.rawGet("/workers/scripts/my-worker")
	if !bytes.Contains(content, []byte("Value: ")) {
		t.Errorf("uploaded script %q", content)
	}

	// Nothing changed: the KV namespace is skipped and the Worker is not
	// uploaded again.
	h.log.Reset()
	ev = h.mustRun(seedProgram(nil))
	if got := actions(ev)["app/test/MY_KV"]; !slices.Equal(got, []engine.Action{engine.ActionSkipped}) {
		t.Errorf("KV on re-run: %v", got)
	}
	if n := len(h.requests()); n != 0 {
		t.Errorf("unchanged re-run made %d requests: %v", n, h.requests())
	}
	if got := actions(ev)["app/test/my-worker"]; !slices.Equal(got, skipped) {
		t.Errorf("unchanged Worker on re-run: %v, want skipped", got)
	}

	// --force uploads it again.
	h.log.Reset()
	ev, err := h.run(engine.AppOptions{Force: true}, seedProgram(nil))
	if err != nil {
		t.Fatal(err)
	}
	if got := actions(ev)["app/test/my-worker"]; !slices.Equal(got, updated) {
		t.Errorf("forced Worker: %v, want updated", got)
	}
	if n := count(h.requests(), http.MethodPut, "/workers/scripts/my-worker"); n != 1 {
		t.Errorf("--force: %d script uploads, want 1", n)
	}

	// Only the Worker's code changed: only the Worker is uploaded.
	h.write("src/worker.ts", strings.Replace(seedWorker, "Value: ", "Value is ", 1))
	h.log.Reset()
	ev = h.mustRun(seedProgram(nil))
	if got := actions(ev)["app/test/MY_KV"]; !slices.Equal(got, []engine.Action{engine.ActionSkipped}) {
		t.Errorf("KV on code change: %v", got)
	}
	if got := actions(ev)["app/test/my-worker"]; !slices.Equal(got, updated) {
		t.Errorf("Worker on code change: %v, want updated", got)
	}
	reqs := h.requests()
	if n := count(reqs, http.MethodPut, "/workers/scripts/my-worker"); n != 1 {
		t.Errorf("code change: %d script uploads, want 1", n)
	}
	if n := count(reqs, "", "/storage/kv"); n != 0 {
		t.Errorf("code change touched KV %d times", n)
	}
	content, _ = h.rawGet("/workers/scripts/my-worker")
	if !bytes.Contains(content, []byte("Value is ")) {
		t.Errorf("new code not uploaded: %q", content)
	}

	// A changed binding is an update too.
	h.log.Reset()
	h.mustRun(func(ctx context.Context, r *runner) error {
		kv, err := r.apply(ctx, "cloudflare::KVNamespace", "MY_KV", obj("title", "my-kv-namespace"))
		if err != nil {
			return err
		}
		_, err = r.apply(ctx, "cloudflare::Worker", "my-worker", obj("name", "my-worker", "entrypoint", "./src/worker.ts",
			"bindings", obj("MY_KV", kv, "API_KEY", "other-key", "DEBUG_MODE", false)))
		return err
	})
	s, _ = h.settings("my-worker")
	if b := bindingOf(s, "API_KEY"); b["text"] != "other-key" {
		t.Errorf("API_KEY after update: %v", b)
	}

	h.destroy()
	h.assertEmpty()
}

func TestWorkerSecretsNeverOnDisk(t *testing.T) {
	h := newHarness(t, local.Options{})
	prog := func(secret string) program {
		return func(ctx context.Context, r *runner) error {
			_, err := r.apply(ctx, "cloudflare::Worker", "api", obj(
				"script", "export default { fetch(r, env) { return new Response(env.TOKEN) } }",
				"bindings", obj("TOKEN", value.NewSecret(secret)),
			))
			return err
		}
	}
	h.mustRun(prog("s3cr3t-one"))
	s, _ := h.settings("app-api-test")
	if b := bindingOf(s, "TOKEN"); b["type"] != "secret_text" {
		t.Fatalf("TOKEN binding %v", b)
	}
	file := h.stateFile("api.json")
	if bytes.Contains(file, []byte("s3cr3t-one")) {
		t.Fatal("the secret is in the state file in plaintext")
	}
	var rec struct {
		Data map[string]json.RawMessage `json:"data"`
	}
	json.Unmarshal(file, &rec)
	if !bytes.HasPrefix(rec.Data["deployHash"], []byte(`"hmac-sha256:`)) || !bytes.Contains(rec.Data["deployHashKey"], []byte(`"@secret"`)) {
		t.Errorf("data %s: want a keyed hash and an encrypted key", file)
	}

	// The same secret: no upload. Another secret: an upload.
	h.log.Reset()
	h.mustRun(prog("s3cr3t-one"))
	if n := count(h.requests(), http.MethodPut, "/workers/scripts/app-api-test"); n != 0 {
		t.Errorf("same secret: %d uploads", n)
	}
	h.log.Reset()
	h.mustRun(prog("s3cr3t-two"))
	if n := count(h.requests(), http.MethodPut, "/workers/scripts/app-api-test"); n != 1 {
		t.Errorf("new secret: %d uploads, want 1", n)
	}
	if bytes.Contains(h.stateFile("api.json"), []byte("s3cr3t-two")) {
		t.Fatal("the new secret is in the state file in plaintext")
	}
	h.destroy()
	h.assertEmpty()
}

func TestWorkerNameConflictNeedsAdopt(t *testing.T) {
	h := newHarness(t, local.Options{})
	script := obj("name", "taken", "script", "export default { fetch() { return new Response('x') } }")
	h.mustRun(func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::Worker", "first", script)
		return err
	})
	_, err := h.run(engine.AppOptions{Stage: "other"}, func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::Worker", "second", script)
		return err
	})
	errorContains(t, err, `"second"`, `"taken"`, "already exists", "adopt")
	_, err = h.run(engine.AppOptions{Stage: "other", Adopt: true}, func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::Worker", "second", script)
		return err
	})
	if err != nil {
		t.Fatalf("with --adopt: %v", err)
	}
	_, err = h.run(engine.AppOptions{Stage: "other", Phase: engine.PhaseDestroy}, nil)
	if err != nil {
		t.Fatal(err)
	}
	h.destroy()
	h.assertEmpty()
}

func TestWorkerAssets(t *testing.T) {
	h := newHarness(t, local.Options{})
	h.write("public/index.html", "<h1>hello</h1>")
	h.write("public/css/site.css", "body { color: red }")
	h.write("public/_headers", "/*\n  X-Test: 1\n")
	prog := func(ctx context.Context, r *runner) error {
		assets, err := export("Assets").Build([]value.Value{obj("path", "public")})
		if err != nil {
			return err
		}
		_, err = r.apply(ctx, "cloudflare::Worker", "site", obj(
			"script", "export default { fetch(req, env) { return env.ASSETS.fetch(req) } }",
			"bindings", obj("ASSETS", assets),
			"assets", obj("not_found_handling", "404-page"),
		))
		return err
	}
	h.mustRun(prog)
	ctx := context.Background()
	sc, err := h.srv.Store().Script(ctx, h.srv.AccountID(), "app-site-test")
	if err != nil {
		t.Fatal(err)
	}
	if sc.Assets == nil || len(sc.Assets.Manifest) != 2 {
		t.Fatalf("assets %+v", sc.Assets)
	}
	for path, e := range sc.Assets.Manifest {
		if _, content, err := h.srv.Store().Asset(ctx, e.Hash); err != nil || len(content) == 0 {
			t.Errorf("asset %s (%s) was not uploaded: %v", path, e.Hash, err)
		}
	}
	if !strings.Contains(string(sc.Assets.Config), `"not_found_handling":"404-page"`) || !strings.Contains(string(sc.Assets.Config), `X-Test`) {
		t.Errorf("assets config %s", sc.Assets.Config)
	}
	s, _ := h.settings("app-site-test")
	if b := bindingOf(s, "ASSETS"); b["type"] != "assets" {
		t.Errorf("ASSETS binding %v", b)
	}

	h.log.Reset()
	h.mustRun(prog)
	if n := len(h.requests()); n != 0 {
		t.Errorf("unchanged assets: %d requests", n)
	}
	// One file changes: only it is uploaded.
	h.write("public/index.html", "<h1>hello again</h1>")
	h.log.Reset()
	h.mustRun(prog)
	reqs := h.requests()
	if count(reqs, http.MethodPost, "/assets-upload-session") != 1 || count(reqs, http.MethodPost, "/workers/assets/upload") != 1 ||
		count(reqs, http.MethodPut, "/workers/scripts/app-site-test") != 1 {
		t.Errorf("changed asset: requests %v", reqs)
	}
	h.destroy()
	h.assertEmpty()
}

func TestWorkerWorkflows(t *testing.T) {
	h := newHarness(t, local.Options{})
	script := `import { WorkflowEntrypoint } from "cloudflare:workers";
export class OrderFlow extends WorkflowEntrypoint { async run(event, step) { return 1 } }
export default { fetch() { return new Response("ok") } };`
	h.write("flow.js", script)
	h.mustRun(func(ctx context.Context, r *runner) error {
		wf, err := export("Workflow").Build([]value.Value{value.String("orders"), obj("className", "OrderFlow")})
		if err != nil {
			return err
		}
		w, err := r.apply(ctx, "cloudflare::Worker", "flows", obj("entrypoint", "flow.js", "bindings", obj("ORDERS", wf)))
		if err != nil {
			return err
		}
		b, _ := w.GetObject("bindings")
		exported, _ := b.GetObject("ORDERS")
		if str(exported, "scriptName") != "app-flows-test" {
			t.Errorf("exported workflow %v", exported)
		}
		return nil
	})
	wfs := h.list("/workflows")
	if len(wfs) != 1 || wfs[0]["name"] != "OrderFlow" || wfs[0]["script_name"] != "app-flows-test" || wfs[0]["class_name"] != "OrderFlow" {
		t.Errorf("workflows %v", wfs)
	}
	h.destroy()
	h.assertEmpty()
}

// TestMigrationTagPrecondition deploys over a script whose Durable Object
// migrations carry a tag the settings do not show: the upload is refused
// with 412 and retried with the tag Cloudflare expects.
func TestMigrationTagPrecondition(t *testing.T) {
	h := newHarness(t, local.Options{Middleware: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/settings") {
				rec := &captured{header: http.Header{}}
				next.ServeHTTP(rec, r)
				body := bytes.Replace(rec.body.Bytes(), []byte(`"migration_tag":"v1",`), nil, 1)
				for k, v := range rec.header {
					w.Header()[k] = v
				}
				w.WriteHeader(rec.status)
				w.Write(body)
				return
			}
			next.ServeHTTP(w, r)
		})
	}})
	h.write("src/api.js", counterWorker)
	// A script deployed elsewhere with migration tag v1.
	meta := `{"main_module":"api.js","compatibility_date":"2025-09-01","bindings":[{"type":"durable_object_namespace","name":"COUNTER","class_name":"Counter"}],` +
		`"migrations":{"new_tag":"v1","new_classes":["Counter"]}}`
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", `form-data; name="api.js"; filename="api.js"`)
	hdr.Set("Content-Type", "application/javascript+module")
	pw, _ := mw.CreatePart(hdr)
	pw.Write([]byte(counterWorker))
	mw.WriteField("metadata", meta)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPut, h.srv.APIBaseURL()+"/accounts/"+h.srv.AccountID()+"/workers/scripts/app-api-test", &body)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("seed: %v %v", err, res)
	}
	res.Body.Close()

	h.log.Reset()
	_, err = h.run(engine.AppOptions{Adopt: true}, func(ctx context.Context, r *runner) error {
		counter, err := export("DurableObjectNamespace").Build([]value.Value{value.String("counter"), obj("className", "Counter")})
		if err != nil {
			return err
		}
		_, err = r.apply(ctx, "cloudflare::Worker", "api", obj("entrypoint", "src/api.js", "bindings", obj("COUNTER", counter)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	uploads := 0
	for _, e := range h.requests() {
		if e.Method == http.MethodPut && strings.HasSuffix(e.Path, "/workers/scripts/app-api-test") {
			uploads++
			if uploads == 1 && (e.Status != http.StatusPreconditionFailed || e.Code != 10079) {
				t.Errorf("first upload: %d %d, want 412 10079", e.Status, e.Code)
			}
		}
	}
	if uploads != 2 {
		t.Errorf("%d uploads, want 2 (412, then the retry)", uploads)
	}
	h.destroy()
	h.assertEmpty()
}

// captured records a response.
type captured struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *captured) Header() http.Header { return c.header }
func (c *captured) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}
func (c *captured) WriteHeader(s int) { c.status = s }
