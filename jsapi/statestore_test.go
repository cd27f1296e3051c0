package jsapi_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

// runWithState runs entry with the alchemy/state module served, and the
// Cloudflare providers on cf when it is not nil.
func (p *project) runWithState(entry string, d jsapi.Defaults, cf *cloudflare.Config, env ...string) outcome {
	p.t.Helper()
	kinds := engine.NewRegistry()
	if err := fs.Register(kinds, p.dir); err != nil {
		p.t.Fatal(err)
	}
	if cf != nil {
		if _, err := cloudflare.Register(kinds, cloudflare.Options{API: *cf, Dir: p.dir}); err != nil {
			p.t.Fatal(err)
		}
	}
	var lines runtimetest.Buffer
	text := engine.NewTextReporter(&lines, engine.TextOptions{})
	d.RootDir = p.dir
	if d.Stage == "" {
		d.Stage = "dev"
	}
	api := jsapi.New(jsapi.Config{Registry: kinds, Reporter: text, Defaults: d})
	mods := api.Modules()
	res := runtimetest.RunDir(p.t, p.dir, runtimetest.Options{Entry: entry, Modules: mods, Env: env})
	if err := api.Close(); err != nil {
		p.t.Fatal(err)
	}
	if api.Used() {
		lines.Write([]byte(text.Summary() + "\n"))
	}
	return outcome{Result: res, lines: lines.String(), failed: api.Failed()}
}

func errText(o outcome) string {
	if o.Err == nil {
		return ""
	}
	return o.Formatted + o.Err.Error()
}

// stateStore options that are not a store of alchemy/state, or stores this
// binary cannot keep, fail with the option named; the CI check stops a run
// with the default store.
func TestStateStoreOptionErrors(t *testing.T) {
	for _, c := range []struct {
		name, program string
		env           []string
		want          string
		opens         bool // the app opens before the error
	}{
		{"own class", `await alchemy("app", { stateStore: () => ({ get() {}, set() {} }) as never });`, nil,
			`alchemy("app"): option stateStore is not supported: it returned {`, false},
		{"not a function", `await alchemy("app", { stateStore: new FileSystemStateStore(undefined as never) as never });`, nil,
			`option stateStore must be a function (scope) => store`, false},
		{"unsupported class", `await alchemy("app", { stateStore: (s) => new R2RestStateStore(s) });`, nil,
			`new R2RestStateStore(scope, options): R2RestStateStore is not supported by this alchemy; the supported state stores are FileSystemStateStore, CloudflareStateStore, D1StateStore and SQLiteStateStore`, false},
		{"SQLite engine", `await alchemy("app", { stateStore: (s) => new SQLiteStateStore(s, { engine: "sqlite3" as never }) });`, nil,
			`new SQLiteStateStore(scope, options): option engine must be one of auto, bun, libsql, not "sqlite3"`, false},
		{"SQLite remote url", `await alchemy("app", { stateStore: (s) => new SQLiteStateStore(s, { url: "libsql://db.example.com" as never }) });`, nil,
			`option url "libsql://db.example.com" is not supported: only a local file`, false},
		{"SQLite filename type", `await alchemy("app", { stateStore: (s) => new SQLiteStateStore(s, { filename: 3 as never }) });`, nil,
			`new SQLiteStateStore(scope, options): option filename must be a string`, false},
		{"SQLite bun flag", `await alchemy("app", { stateStore: (s) => new SQLiteStateStore(s, { readonly: true } as never) });`, nil,
			`option readonly is not supported (SQLiteStateStore takes engine, filename, url, dotAlchemy)`, false},
		{"D1 databaseName type", `await alchemy("app", { stateStore: (s) => new D1StateStore(s, { databaseName: ["x"] as never }) });`, nil,
			`new D1StateStore(scope, options): option databaseName must be a string`, false},
		{"unknown option", `await alchemy("app", { stateStore: (s) => new FileSystemStateStore(s, { dir: "x" } as never) });`, nil,
			`option dir is not supported (FileSystemStateStore takes rootDir)`, false},
		{"no token", `await alchemy("app", { stateStore: (s) => new CloudflareStateStore(s) });`, nil,
			`new CloudflareStateStore(scope, options): missing token: set ALCHEMY_STATE_TOKEN or pass the stateToken option`, false},
		{"CI", `await alchemy("app");`, []string{"CI=true"},
			`alchemy("app"): running in CI (CI is set) with the default state store`, false},
		{"nested store differs", `await alchemy("app"); await alchemy.run("n", { stateStore: (s) => new FileSystemStateStore(s, { rootDir: "x" }) }, async () => {});`, nil,
			`alchemy.run("n"): option stateStore: a nested scope keeps its state in the store of its app (FileSystemStateStore)`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newProject(t, map[string]string{"alchemy.run.ts": `
import alchemy from "alchemy";
import { CloudflareStateStore, D1StateStore, FileSystemStateStore, R2RestStateStore, SQLiteStateStore } from "alchemy/state";
` + c.program + "\n"})
			o := p.runWithState("alchemy.run.ts", jsapi.Defaults{}, nil, c.env...)
			if o.Err == nil || !strings.Contains(errText(o), c.want) {
				t.Errorf("error:\n%s\nwant it to contain %q", errText(o), c.want)
			}
			if _, err := os.Stat(filepath.Join(p.dir, ".alchemy")); err == nil && !c.opens {
				t.Errorf("the failed run wrote .alchemy")
			}
		})
	}
}

// The CI check gives way to ALCHEMY_CI_STATE_STORE_CHECK=false and to a
// stateStore; FileSystemStateStore's rootDir is where the state goes, and a
// nested scope may name the app's store again.
func TestFileSystemStateStore(t *testing.T) {
	p := newProject(t, map[string]string{
		"plain.ts": `
import alchemy from "alchemy";
import { File } from "alchemy/fs";
const app = await alchemy("app");
await File("f", { path: "f.txt", content: "x" });
await app.finalize();
`,
		"rooted.ts": `
import alchemy from "alchemy";
import { File } from "alchemy/fs";
import { FileSystemStateStore } from "alchemy/state";
const store = (scope: any) => new FileSystemStateStore(scope, { rootDir: "state" });
const app = await alchemy("app", { stateStore: store });
await alchemy.run("n", { stateStore: store }, async () => {
  await File("g", { path: "g.txt", content: "y" });
});
await app.finalize();
`})
	p.mustRunWithState("plain.ts", jsapi.Defaults{}, "CI=1", "ALCHEMY_CI_STATE_STORE_CHECK=false")
	if _, err := os.Stat(filepath.Join(p.dir, ".alchemy/app/dev/f.json")); err != nil {
		t.Error(err)
	}
	p.mustRunWithState("rooted.ts", jsapi.Defaults{}, "CI=1")
	for _, f := range []string{"state/app/dev/n.json", "state/app/dev/n/g.json"} {
		if _, err := os.Stat(filepath.Join(p.dir, f)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Stat(filepath.Join(p.dir, ".alchemy/app/dev/n.json")); err == nil {
		t.Error("the nested scope was recorded in .alchemy")
	}
}

func (p *project) mustRunWithState(entry string, d jsapi.Defaults, env ...string) outcome {
	p.t.Helper()
	o := p.runWithState(entry, d, nil, env...)
	if o.Err != nil || o.failed {
		p.t.Fatalf("run failed: %s\nlines:\n%s", errText(o), o.lines)
	}
	return o
}

// A program with CloudflareStateStore keeps its state in the state
// service's Durable Object on the (local) Cloudflare: the first run deploys
// the service and the resources, the second changes nothing, --destroy
// empties the store; nothing is written under .alchemy.
func TestCloudflareStateStoreProgram(t *testing.T) {
	srv, err := local.Start(context.Background(), local.Options{Token: "cf-token", Host: worker.New(worker.Options{})})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	cf := &cloudflare.Config{BaseURL: srv.APIBaseURL(), APIToken: "cf-token"}
	p := newProject(t, map[string]string{"alchemy.run.ts": `
import alchemy from "alchemy";
import { File } from "alchemy/fs";
import { Resource } from "alchemy";
import { CloudflareStateStore } from "alchemy/state";
const Note = Resource("t::Note", async function (this: any, id: string, props: { key: unknown }) {
  if (this.phase === "delete") return this.destroy();
  return this({ key: props.key });
});
const app = await alchemy("app", { stateStore: (scope) => new CloudflareStateStore(scope) });
await File("f", { path: "f.txt", content: "x" });
await Note("note", { key: alchemy.secret("v") });
await app.finalize();
`})
	env := []string{"ALCHEMY_STATE_TOKEN=st-token", "CI=true"}
	d := jsapi.Defaults{Password: "pw"}
	o := p.runWithStateCF(d, cf, env)
	if !strings.Contains(o.lines, "[created]") {
		t.Errorf("first run:\n%s", o.lines)
	}
	o = p.runWithStateCF(d, cf, env)
	if strings.Contains(o.lines, "[created]") || strings.Contains(o.lines, "[updated]") || !strings.Contains(o.lines, "[skipped]") {
		t.Errorf("second run changed something:\n%s", o.lines)
	}
	if _, err := os.Stat(filepath.Join(p.dir, ".alchemy")); err == nil {
		t.Errorf("state was written under .alchemy")
	}
	count := func() string {
		req, _ := http.NewRequest(http.MethodPost, srv.URL(), strings.NewReader(`{"method":"list","params":[],"context":{"chain":["app","dev"]}}`))
		req.Host = srv.WorkerHostname(cloudflare.DefaultStateScript)
		req.Header.Set("Authorization", "Bearer st-token")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return string(body)
	}
	if got := count(); !strings.Contains(got, `"f"`) || !strings.Contains(got, `"note"`) {
		t.Errorf("the state service lists %s", got)
	}
	d.Phase = engine.PhaseDestroy
	// The destroy phase ends the program with status 0 once the stage is gone.
	o = p.runWithState("alchemy.run.ts", d, cf, env...)
	if o.failed || (o.Err != nil && !strings.Contains(o.Err.Error(), "exit status 0")) || !strings.Contains(o.lines, "[deleted]") {
		t.Errorf("destroy:\n%s", o.lines)
	}
	if got := count(); !strings.Contains(got, `"result":[]`) {
		t.Errorf("after destroy the state service lists %s", got)
	}
	if _, err := os.Stat(filepath.Join(p.dir, "f.txt")); !os.IsNotExist(err) {
		t.Errorf("f.txt after destroy: %v", err)
	}
}

func (p *project) runWithStateCF(d jsapi.Defaults, cf *cloudflare.Config, env []string) outcome {
	p.t.Helper()
	o := p.runWithState("alchemy.run.ts", d, cf, env...)
	if o.Err != nil || o.failed {
		p.t.Fatalf("run failed: %s\nlines:\n%s", errText(o), o.lines)
	}
	return o
}
