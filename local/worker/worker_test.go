package worker_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

// env is a local Cloudflare with the Worker runtime.
type env struct {
	t   *testing.T
	srv *local.Server
	rt  *worker.Runtime
	log *runtimetest.Buffer
	ctx context.Context
}

func start(t *testing.T, opts worker.Options) *env {
	t.Helper()
	return startServer(t, opts, local.Options{})
}

// startServer starts a local Cloudflare with the runtime opts describe;
// server gives the server's options beyond its data directory and host.
func startServer(t *testing.T, opts worker.Options, server local.Options) *env {
	t.Helper()
	e := &env{t: t, log: &runtimetest.Buffer{}, ctx: context.Background()}
	if opts.Log == nil {
		opts.Log = e.log
	}
	if opts.CPULimit == 0 {
		opts.CPULimit = 5 * time.Second
	}
	e.rt = worker.New(opts)
	server.DataDir, server.Host = t.TempDir(), e.rt
	srv, err := local.Start(e.ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return e
}

// script is a Worker to deploy: its modules (the first is the entry) and
// bindings.
type script struct {
	modules    []store.Module
	bindings   []store.Binding
	flags      []string
	migrations *store.Migrations
	classic    bool
	assets     *store.Assets
}

func module(name, code string) store.Module {
	return store.Module{Name: name, ContentType: "application/javascript+module", Content: []byte(code)}
}

func (e *env) deploy(name string, s script) {
	e.t.Helper()
	up := store.ScriptUpload{Modules: s.modules, Migrations: s.migrations, Assets: s.assets,
		Settings: store.ScriptSettings{Bindings: s.bindings, CompatibilityDate: "2025-01-01", CompatibilityFlags: s.flags}}
	if up.Settings.Bindings == nil {
		up.Settings.Bindings = []store.Binding{}
	}
	if s.classic {
		up.BodyPart = s.modules[0].Name
	} else {
		up.MainModule = s.modules[0].Name
	}
	st := e.srv.Store()
	if _, err := st.PutScript(e.ctx, e.srv.AccountID(), name, up); err != nil {
		e.t.Fatal(err)
	}
	if err := st.SetScriptSubdomain(e.ctx, e.srv.AccountID(), name, true, false); err != nil {
		e.t.Fatal(err)
	}
}

// do sends a request to a Worker through the local Cloudflare's Host
// routing.
func (e *env) do(method, name, path, body string, header ...string) (int, string, http.Header) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL()+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Host = e.srv.WorkerHostname(name)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.StatusCode, string(data), res.Header
}

func (e *env) get(name, path string) (int, string) {
	e.t.Helper()
	status, body, _ := e.do("GET", name, path, "")
	return status, body
}

func (e *env) expect(name, path string, status int, body string) {
	e.t.Helper()
	gotStatus, gotBody := e.get(name, path)
	if gotStatus != status || gotBody != body {
		e.t.Fatalf("GET %s%s = %d %q, want %d %q\nlog:\n%s", name, path, gotStatus, gotBody, status, body, e.log.String())
	}
}

func TestHelloWorld(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("hello", script{modules: []store.Module{module("worker.js", `
let hits = 0;
export default {
  async fetch(request, env, ctx) {
    hits++;
    const url = new URL(request.url);
    console.log("serving", url.pathname);
    if (url.pathname === "/json") return Response.json({ hits, method: request.method, ua: request.headers.get("user-agent") });
    return new Response("Hello " + url.pathname, { headers: { "x-hits": String(hits) } });
  },
};
`)}})
	e.expect("hello", "/world", 200, "Hello /world")
	status, body, _ := e.do("GET", "hello", "/json", "", "User-Agent", "test-agent")
	if status != 200 || !strings.Contains(body, `"method":"GET"`) || !strings.Contains(body, `"ua":"test-agent"`) {
		t.Fatalf("json: %d %s", status, body)
	}
	if !strings.Contains(e.log.String(), "[hello] serving /world\n") {
		t.Errorf("log lacks the tagged console line:\n%s", e.log.String())
	}
}

func TestThrownErrorIs500WithMappedStack(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("boom", script{modules: []store.Module{module("worker.js", `function explode(what) {
  throw new Error("kaput: " + what);
}

export default {
  fetch(request) {
    return explode(new URL(request.url).pathname);
  },
};
`)}})
	status, body := e.get("boom", "/x")
	if status != 500 || !strings.Contains(body, "Error 1101: Worker threw exception") || !strings.Contains(body, "kaput: /x") {
		t.Fatalf("GET = %d %q", status, body)
	}
	log := e.log.String()
	for _, want := range []string{"[boom] GET /x: worker.js:2:9: error: Error: kaput: /x", "at explode (worker.js:2:9)", "at fetch (worker.js:7:12)"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	// The Worker keeps serving.
	status, _ = e.get("boom", "/y")
	if status != 500 {
		t.Errorf("second request: %d", status)
	}
}

func TestRedeploySwapsCode(t *testing.T) {
	e := start(t, worker.Options{})
	for i := 1; i <= 3; i++ {
		e.deploy("swap", script{modules: []store.Module{module("worker.js", fmt.Sprintf(`export default { fetch() { return new Response("v%d") } }`, i))}})
		e.expect("swap", "/", 200, fmt.Sprintf("v%d", i))
	}
}

// A redeploy whose code fails to build, compile or start leaves the last
// good version serving, and Load says why; a fixed redeploy takes over.
func TestBrokenRedeployKeepsLastGoodVersion(t *testing.T) {
	for _, tt := range []struct{ name, code, want string }{
		{"throws", "throw new Error(\"boom\");\nexport default { fetch() { return new Response(\"bad\") } };\n", "the Worker failed to start: worker.js:1:7: error: Error: boom"},
		{"syntax", "export default { fetch() { return new Response( } };\n", "the Worker does not build: worker.js:1:49"},
		{"missing", "import x from \"./nope.js\";\nexport default { fetch() { return new Response(x) } };\n", "is not among the uploaded modules"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := start(t, worker.Options{})
			account := e.srv.AccountID()
			good := func(v string) script {
				return script{modules: []store.Module{module("worker.js", fmt.Sprintf(`export default { fetch() { return new Response(%q) } }`, v))}}
			}
			e.deploy("w", good("v1"))
			if err := e.rt.Load(e.ctx, account, "w"); err != nil {
				t.Fatalf("Load(v1) = %v", err)
			}
			e.deploy("w", script{modules: []store.Module{module("worker.js", tt.code)}})
			err := e.rt.Load(e.ctx, account, "w")
			var stale *worker.StaleError
			if !errors.As(err, &stale) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load(broken) = %v, want a StaleError containing %q", err, tt.want)
			}
			e.expect("w", "/", 200, "v1")
			if log := e.log.String(); !strings.Contains(log, tt.want) {
				t.Errorf("the error is not logged:\n%s", log)
			}
			e.deploy("w", good("v2"))
			if err := e.rt.Load(e.ctx, account, "w"); err != nil {
				t.Fatalf("Load(v2) = %v", err)
			}
			e.expect("w", "/", 200, "v2")
		})
	}
}

// A deleted Worker stops serving, though its last version ran.
func TestDeletedWorkerStopsServing(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("gone", script{modules: []store.Module{module("worker.js", `export default { fetch() { return new Response("here") } }`)}})
	e.expect("gone", "/", 200, "here")
	if err := e.srv.Store().DeleteScript(e.ctx, e.srv.AccountID(), "gone", true); err != nil {
		t.Fatal(err)
	}
	if err := e.rt.Load(e.ctx, e.srv.AccountID(), "gone"); err == nil || !strings.Contains(err.Error(), "no such Worker") {
		t.Errorf("Load(deleted) = %v, want no such Worker", err)
	}
}

// A redeploy while a request runs: the request finishes on the old code,
// the next one runs the new code.
func TestInFlightRequestFinishesOnOldVersion(t *testing.T) {
	e := start(t, worker.Options{})
	code := func(v string, delay int) script {
		return script{modules: []store.Module{module("worker.js", fmt.Sprintf(`
export default {
  async fetch() {
    await new Promise((r) => setTimeout(r, %d));
    return new Response("%s");
  },
};
`, delay, v))}}
	}
	e.deploy("live", code("old", 400))
	e.expect("live", "/warm", 200, "old") // loads the version
	slow := make(chan string, 1)
	go func() {
		_, body := e.get("live", "/slow")
		slow <- body
	}()
	time.Sleep(100 * time.Millisecond) // the slow request is in flight
	e.deploy("live", code("new", 0))
	e.expect("live", "/fast", 200, "new")
	if got := <-slow; got != "old" {
		t.Fatalf("the in-flight request answered %q, want old", got)
	}
}

func TestBindingValuesAndAlarms(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("values", script{
		migrations: &store.Migrations{MigrationStep: store.MigrationStep{NewSqliteClasses: []string{"Timer"}}},
		bindings: []store.Binding{
			{"name": "CONF", "type": "json", "json": map[string]any{"debug": true, "n": 3.0}},
			{"name": "NAME", "type": "plain_text", "text": "values"},
			{"name": "VERSION", "type": "version_metadata"},
			{"name": "AI", "type": "ai"},
			{"name": "TIMER", "type": "durable_object_namespace", "class_name": "Timer"},
		},
		modules: []store.Module{module("worker.js", `
import { DurableObject, env as importedEnv } from "cloudflare:workers";
export class Timer extends DurableObject {
  async arm() {
    await this.ctx.storage.setAlarm(Date.now() + 50);
    return await this.ctx.storage.getAlarm() !== null;
  }
  async alarm() {
    await this.ctx.storage.put("fired", (await this.ctx.storage.get("fired") || 0) + 1);
  }
  async state() {
    return { fired: await this.ctx.storage.get("fired"), alarm: await this.ctx.storage.getAlarm() };
  }
}
export default {
  async fetch(request, env) {
    const path = new URL(request.url).pathname;
    const timer = env.TIMER.getByName("t");
    if (path === "/arm") return Response.json(await timer.arm());
    if (path === "/state") return Response.json(await timer.state());
    let ai = "";
    try { await env.AI.run("model"); } catch (e) { ai = e.message; }
    return Response.json({ conf: env.CONF, name: env.NAME, same: importedEnv === env, version: typeof env.VERSION.id, ai });
  },
};
`)}})
	e.expect("values", "/", 200, `{"conf":{"debug":true,"n":3},"name":"values","same":true,"version":"string","ai":"Binding AI (ai) is not supported by the local Worker runtime"}`)
	e.expect("values", "/arm", 200, "true")
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, body := e.get("values", "/state")
		if body == `{"fired":1,"alarm":null}` {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the alarm did not fire: %s\nlog:\n%s", body, e.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A Worker's fetch to another Worker's workers.dev hostname reaches it on
// the local Cloudflare.
func TestFetchToAnotherLocalWorker(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("target", script{modules: []store.Module{module("worker.js", `export default { fetch(r) { return new Response("target saw " + new URL(r.url).pathname); } };`)}})
	e.deploy("caller", script{modules: []store.Module{module("worker.js", fmt.Sprintf(`
export default {
  async fetch() {
    const res = await fetch("https://%s/path");
    return new Response("caller got: " + (await res.text()));
  },
};
`, e.srv.WorkerHostname("target")))}})
	e.expect("caller", "/", 200, "caller got: target saw /path")
}

func TestLoadReportsBrokenWorkers(t *testing.T) {
	e := start(t, worker.Options{})
	e.deploy("syntax", script{modules: []store.Module{module("worker.js", "export default { fetch() { return new Response( } };\n")}})
	e.deploy("throws", script{modules: []store.Module{module("worker.js", "const config = JSON.parse(\"{oops\");\nexport default { fetch() { return new Response(config) } };\n")}})
	e.deploy("missing", script{modules: []store.Module{module("worker.js", "import x from \"./nope.js\";\nexport default { fetch() { return new Response(x) } };\n")}})
	e.deploy("node", script{modules: []store.Module{module("worker.js", "import { Buffer } from \"node:buffer\";\nexport default { fetch() { return new Response(Buffer.from(\"x\")) } };\n")}})
	for _, tt := range []struct{ name, want string }{
		{"syntax", "the Worker does not build: worker.js:1:49: error: Unexpected \"}\""},
		{"throws", "the Worker failed to start: worker.js:1:21: error: SyntaxError"},
		{"missing", `module "./nope.js" (imported by worker.js) is not among the uploaded modules (worker.js)`},
		{"node", "(Node built-ins need the nodejs_compat compatibility flag)"},
		{"absent", "no such Worker"},
	} {
		err := e.rt.Load(e.ctx, e.srv.AccountID(), tt.name)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Load(%s) = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
	status, body := e.get("throws", "/")
	if status != 500 || !strings.Contains(body, "the Worker failed to start") {
		t.Errorf("request to a Worker that fails to start: %d %s", status, body)
	}
	if log := e.log.String(); strings.Count(log, "[throws] the Worker failed to start") != 1 {
		t.Errorf("the start failure is not logged once:\n%s", log)
	}
}

func TestStaticAssets(t *testing.T) {
	e := start(t, worker.Options{})
	st := e.srv.Store()
	files := map[string]string{"/index.html": "<h1>home</h1>", "/about.html": "<h1>about</h1>", "/docs/index.html": "<h1>docs</h1>", "/app.js": "console.log(1)"}
	manifest := map[string]store.AssetEntry{}
	for p, content := range files {
		hash := fmt.Sprintf("%x", md5Sum(p))
		ctype := "text/html"
		if strings.HasSuffix(p, ".js") {
			ctype = "application/octet-stream"
		}
		if err := st.PutAsset(e.ctx, hash, ctype, []byte(content)); err != nil {
			t.Fatal(err)
		}
		manifest[p] = store.AssetEntry{Hash: hash, Size: int64(len(content))}
	}
	e.deploy("site", script{
		assets:   &store.Assets{Manifest: manifest, Config: []byte(`{"not_found_handling":"single-page-application","run_worker_first":["/api/*"]}`)},
		bindings: []store.Binding{{"name": "ASSETS", "type": "assets"}},
		modules: []store.Module{module("worker.js", `
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/api/page") {
      const page = await env.ASSETS.fetch(new URL("/about", request.url));
      return new Response("api wraps " + (await page.text()) + " " + page.headers.get("content-type"));
    }
    return new Response("worker " + url.pathname);
  },
};
`)}})
	e.expect("site", "/", 200, "<h1>home</h1>")
	e.expect("site", "/about", 200, "<h1>about</h1>")
	e.expect("site", "/docs/", 200, "<h1>docs</h1>")
	status, body, h := e.do("GET", "site", "/app.js", "")
	if status != 200 || body != "console.log(1)" || !strings.Contains(h.Get("Content-Type"), "javascript") {
		t.Errorf("/app.js = %d %q %v", status, body, h)
	}
	e.expect("site", "/api/page", 200, "api wraps <h1>about</h1> text/html")
	e.expect("site", "/missing", 200, "worker /missing")
	status, body, _ = e.do("GET", "site", "/client/route", "", "Accept", "text/html")
	if status != 200 || body != "<h1>home</h1>" {
		t.Errorf("SPA fallback = %d %q", status, body)
	}
}
