package worker_test

import (
	"bytes"
	b64 "encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

// startRejecting starts a local Cloudflare that checks uploads
// (RejectBrokenUploads), as alchemy local and alchemy test do.
func startRejecting(t *testing.T, opts worker.Options) *env {
	t.Helper()
	return startServer(t, opts, local.Options{RejectBrokenUploads: true})
}

// apiUpload is a script upload as a client sends it: its parts (the first
// is the entry module) and metadata beyond main_module.
type apiUpload struct {
	parts []store.Module
	meta  map[string]any
}

// api sends a request to the local Cloudflare's REST API and returns the
// status and body.
func (e *env) api(method, path, contentType string, body []byte) (int, string) {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.APIBaseURL()+"/accounts/"+e.srv.AccountID()+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
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
	return res.StatusCode, string(data)
}

// put uploads a script through the REST API (PUT …/scripts/name).
func (e *env) put(name string, u apiUpload) (int, string) {
	e.t.Helper()
	meta := map[string]any{"main_module": u.parts[0].Name, "compatibility_date": "2025-01-01"}
	for k, v := range u.meta {
		meta[k] = v
	}
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		e.t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("metadata", string(metaJSON)); err != nil {
		e.t.Fatal(err)
	}
	for _, p := range u.parts {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.Name, p.Name))
		hdr.Set("Content-Type", p.ContentType)
		pw, err := mw.CreatePart(hdr)
		if err != nil {
			e.t.Fatal(err)
		}
		pw.Write(p.Content)
	}
	mw.Close()
	return e.api(http.MethodPut, "/workers/scripts/"+name, mw.FormDataContentType(), buf.Bytes())
}

// deployThroughAPI uploads a script and turns on its workers.dev route,
// as a deploy does, and fails the test unless both succeed.
func (e *env) deployThroughAPI(name string, u apiUpload) {
	e.t.Helper()
	if status, body := e.put(name, u); status != http.StatusOK {
		e.t.Fatalf("upload %s: %d %s", name, status, body)
	}
	if status, body := e.api(http.MethodPost, "/workers/scripts/"+name+"/subdomain", "application/json", []byte(`{"enabled":true}`)); status != http.StatusOK {
		e.t.Fatalf("enable %s on workers.dev: %d %s", name, status, body)
	}
}

// starts counts the isolates that evaluated a Worker's code, by the line
// its top-level code logs.
func (e *env) starts(line string) int {
	return strings.Count(e.log.String(), line+"\n")
}

func TestCheckedUploadStartsOnce(t *testing.T) {
	counter := `
import { DurableObject } from "cloudflare:workers";
console.log("started %s");
export class Counter extends DurableObject {
  async fetch() {
    const n = ((await this.ctx.storage.get("n")) || 0) + 1;
    await this.ctx.storage.put("n", n);
    return new Response("%s " + n);
  }
}
export default { fetch(req, env) { return env.COUNTER.get(env.COUNTER.idFromName("one")).fetch(req); } };
`
	plain := `console.log("started %s");
export default { fetch(req, env) { return new Response("%s " + env.WHERE); } };
`
	cases := []struct {
		name     string
		isolates int
		code     string
		meta     map[string]any
		versions int // uploads in a row, each followed by a request
		want     string
	}{
		{name: "new Worker", isolates: 1, code: plain, versions: 1, want: "v1 here",
			meta: map[string]any{"bindings": []any{map[string]any{"type": "plain_text", "name": "WHERE", "text": "here"}}}},
		{name: "redeploys of a serving Worker", isolates: 1, code: plain, versions: 3, want: "v3 here",
			meta: map[string]any{"bindings": []any{map[string]any{"type": "plain_text", "name": "WHERE", "text": "here"}}}},
		{name: "pool of three isolates", isolates: 3, code: plain, versions: 2, want: "v2 here",
			meta: map[string]any{"bindings": []any{map[string]any{"type": "plain_text", "name": "WHERE", "text": "here"}}}},
		{name: "Durable Object namespace", isolates: 1, code: counter, versions: 2, want: "v2 2",
			meta: map[string]any{
				"bindings":   []any{map[string]any{"type": "durable_object_namespace", "name": "COUNTER", "class_name": "Counter"}},
				"migrations": map[string]any{"new_tag": "v1", "new_sqlite_classes": []string{"Counter"}},
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := startRejecting(t, worker.Options{Isolates: c.isolates})
			var body string
			for i := 1; i <= c.versions; i++ {
				v := fmt.Sprintf("v%d", i)
				meta := c.meta
				if i > 1 {
					meta = map[string]any{"bindings": meta["bindings"]} // the migration ran once
				}
				e.deployThroughAPI("api", apiUpload{parts: []store.Module{module("worker.js", fmt.Sprintf(c.code, v, v))}, meta: meta})
				var status int
				if status, body = e.get("api", "/"); status != http.StatusOK || !strings.HasPrefix(body, v+" ") {
					t.Fatalf("after upload %d: GET = %d %q\nlog:\n%s", i, status, body, e.log.String())
				}
				if n := e.starts("[api] started " + v); n != 1 {
					t.Errorf("version %s started %d times, want once\nlog:\n%s", v, n, e.log.String())
				}
			}
			if body != c.want {
				t.Errorf("last answer %q, want %q", body, c.want)
			}
		})
	}
}

// Uploads of one script racing each other: the last one stored serves,
// from the version its check started, and no other one does.
func TestConcurrentCheckedUploadsServeTheStoredVersion(t *testing.T) {
	e := startRejecting(t, worker.Options{Isolates: 2})
	e.deployThroughAPI("api", apiUpload{parts: []store.Module{module("worker.js", `export default { fetch() { return new Response("v0") } }`)}})
	e.expect("api", "/", http.StatusOK, "v0")
	const uploads = 6
	var wg sync.WaitGroup
	for i := 1; i <= uploads; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			code := fmt.Sprintf("console.log(\"started v%d\");\nexport default { fetch() { return new Response(\"v%d\") } }", i, i)
			if status, body := e.put("api", apiUpload{parts: []store.Module{module("worker.js", code)}}); status != http.StatusOK {
				t.Errorf("upload v%d: %d %s", i, status, body)
			}
		}()
	}
	wg.Wait()
	sc, err := e.srv.Store().Script(e.ctx, e.srv.AccountID(), "api")
	if err != nil {
		t.Fatal(err)
	}
	stored := strings.TrimSuffix(strings.SplitN(string(sc.Modules[0].Content), `new Response("`, 2)[1], `") } }`)
	for range 4 {
		e.expect("api", "/", http.StatusOK, stored)
	}
	for i := 1; i <= uploads; i++ {
		if n := e.starts(fmt.Sprintf("[api] started v%d", i)); n != 1 {
			t.Errorf("v%d started %d times, want once (its check)\nlog:\n%s", i, n, e.log.String())
		}
	}
}

// A Worker that binds its version metadata sees the version that was
// stored, not the one current when its upload was checked.
func TestCheckedUploadSeesItsStoredVersion(t *testing.T) {
	e := startRejecting(t, worker.Options{})
	code := `export default { fetch(req, env) { return new Response(env.VERSION.id) } };`
	meta := map[string]any{"bindings": []any{map[string]any{"type": "version_metadata", "name": "VERSION"}}}
	for i := range 2 {
		e.deployThroughAPI("api", apiUpload{parts: []store.Module{module("worker.js", code+strings.Repeat(" ", i))}, meta: meta})
		sc, err := e.srv.Store().Script(e.ctx, e.srv.AccountID(), "api")
		if err != nil {
			t.Fatal(err)
		}
		e.expect("api", "/", http.StatusOK, sc.VersionID)
	}
}

// An upload whose store fails after its check passed leaves the last
// good version serving, and its checked version never serves.
func TestCheckedUploadThatIsNotStored(t *testing.T) {
	e := startRejecting(t, worker.Options{})
	e.deployThroughAPI("api", apiUpload{parts: []store.Module{module("worker.js", `console.log("started v1");
export default { fetch() { return new Response("v1") } }`)}})
	e.expect("api", "/", http.StatusOK, "v1")
	status, body := e.put("api", apiUpload{
		parts: []store.Module{module("worker.js", `console.log("started v2");
export default { fetch() { return new Response("v2") } }`)},
		meta: map[string]any{"bindings": []any{map[string]any{"type": "kv_namespace", "name": "KV", "namespace_id": "00000000000000000000000000000000"}}},
	})
	if status != http.StatusBadRequest || !strings.Contains(body, `"code":10042`) {
		t.Fatalf("upload binding a missing namespace: %d %s, want 400/10042", status, body)
	}
	e.expect("api", "/", http.StatusOK, "v1")
	// A later change of the script reloads what is stored: still v1.
	if status, body := e.api(http.MethodPost, "/workers/scripts/api/subdomain", "application/json", []byte(`{"enabled":true}`)); status != http.StatusOK {
		t.Fatalf("subdomain: %d %s", status, body)
	}
	e.expect("api", "/", http.StatusOK, "v1")
	if n1, n2 := e.starts("[api] started v1"), e.starts("[api] started v2"); n1 != 1 || n2 != 1 {
		t.Errorf("v1 started %d times and v2 %d times, want once each (v2 by its check)\nlog:\n%s", n1, n2, e.log.String())
	}
}

// bundleParts bundles a TypeScript Worker the way the provider does, into
// the module and source map parts of an upload.
func bundleParts(t *testing.T, files map[string]string) []store.Module {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := bundler.BundleWorker(bundler.WorkerOptions{Entry: "worker.ts", Dir: dir, NodeCompat: true, External: []string{"./missing.js"}})
	if err != nil {
		t.Fatal(err)
	}
	var parts []store.Module
	for _, p := range w.Parts("worker.js") {
		parts = append(parts, store.Module{Name: p.Name, ContentType: p.ContentType, Content: p.Content})
	}
	return parts
}

func TestBrokenUploadNamesTheSourceLocation(t *testing.T) {
	const missing = `interface Env {
  GREETING: string;
}

import { missing } from "./missing.js";

export default { fetch: (_req: Request, env: Env) => new Response(String(missing) + env.GREETING) };
`
	const throws = `const ready: boolean = false;
if (!ready) {
  throw new Error("boom");
}
export default { fetch: () => new Response("never") };
`
	mapped := bundleParts(t, map[string]string{"worker.ts": missing})
	withoutMap := mapped[:1]
	inline := []store.Module{{Name: "worker.js", ContentType: "application/javascript+module", Content: bytes.Replace(mapped[0].Content,
		[]byte("sourceMappingURL=worker.js.map"), []byte("sourceMappingURL=data:application/json;base64,"+b64.StdEncoding.EncodeToString(mapped[1].Content)), 1)}}
	unmappedLine := lineOf(t, string(mapped[0].Content), `"./missing.js"`)
	cases := []struct {
		name  string
		parts []store.Module
		want  []string
	}{
		{"build error through the source map part", mapped,
			[]string{`the Worker does not build: worker.ts:5:25: error: module "./missing.js"`, "  5 | import { missing } from \"./missing.js\";\n"}},
		{"build error through an inline source map", inline,
			[]string{`the Worker does not build: worker.ts:5:25: error: module "./missing.js"`}},
		{"build error without a source map", withoutMap,
			[]string{fmt.Sprintf(`the Worker does not build: worker.js:%d:25: error: module "./missing.js"`, unmappedLine)}},
		{"startup error through the source map part", bundleParts(t, map[string]string{"worker.ts": throws}),
			[]string{`the Worker failed to start: worker.ts:3:9: error: Error: boom`}},
	}
	e := startRejecting(t, worker.Options{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := e.put("broken", apiUpload{parts: c.parts, meta: map[string]any{"compatibility_flags": []string{"nodejs_compat"}}})
			var env struct {
				Errors []struct {
					Code    int    `json:"code"`
					Message string `json:"message"`
				} `json:"errors"`
			}
			if err := json.Unmarshal([]byte(body), &env); err != nil || status != http.StatusBadRequest || len(env.Errors) == 0 || env.Errors[0].Code != 10021 {
				t.Fatalf("upload = %d %s, want 400 with code 10021", status, body)
			}
			for _, want := range c.want {
				if !strings.Contains(env.Errors[0].Message, want) {
					t.Errorf("message %q does not contain %q", env.Errors[0].Message, want)
				}
			}
		})
	}
}

func lineOf(t *testing.T, text, substr string) int {
	t.Helper()
	for i, line := range strings.Split(text, "\n") {
		if strings.Contains(line, substr) {
			return i + 1
		}
	}
	t.Fatalf("no line contains %q in:\n%s", substr, text)
	return 0
}
