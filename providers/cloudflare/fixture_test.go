package cloudflare_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/value"
)

// The state the TypeScript Alchemy 0.94 wrote for the fixture's
// program.mjs, and the ids its Cloudflare gave.
const (
	fixtureDir       = "../../testdata/state/alchemy-0.94"
	fixtureNamespace = "ce4923792f944227b4d9eb8f899be417"
)

// fixtureNote is fixture::Note of program.mjs:
// this({...props, at: new Date("2025-01-01T00:00:00Z"), writes: (this.output?.writes ?? 0) + 1})
type fixtureNote struct{}

func (fixtureNote) handle(req *engine.Request) (*value.Object, error) {
	out := value.NewObject(0)
	if props, ok := req.Props.(*value.Object); ok {
		for k, v := range props.All {
			out.Set(k, v)
		}
	}
	writes, _ := req.Output.GetNumber("writes")
	out.Set("at", value.Date{Millis: 1735689600000})
	out.Set("writes", value.Number(writes+1))
	return out, nil
}

func (n fixtureNote) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return n.handle(req)
}
func (n fixtureNote) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return n.handle(req)
}
func (fixtureNote) Delete(ctx context.Context, req *engine.Request) error { return nil }

// seedFixtureCloudflare makes a local Cloudflare holding what the fixture's
// state describes: the KV namespace with the fixture's id and title, on an
// account whose workers.dev subdomain is "probe".
func seedFixtureCloudflare(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	srv, err := local.Start(ctx, local.Options{DataDir: dir, Subdomain: "probe"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.Store().ImportKVNamespace(ctx, srv.AccountID(), fixtureNamespace, "fixture-cache"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
}

// uploadFixtureWorker deploys fixture-api as the TypeScript Alchemy did.
func uploadFixtureWorker(t *testing.T, h *harness) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	code, err := os.ReadFile(filepath.Join(fixtureDir, "worker.js"))
	if err != nil {
		t.Fatal(err)
	}
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", `form-data; name="worker.js"; filename="worker.js"`)
	hdr.Set("Content-Type", "application/javascript+module")
	fw, _ := mw.CreatePart(hdr)
	fw.Write(code)
	meta, _ := json.Marshal(map[string]any{
		"compatibility_date": "2025-09-01", "compatibility_flags": []string{}, "main_module": "worker.js",
		"bindings": []map[string]any{
			{"type": "kv_namespace", "name": "CACHE", "namespace_id": fixtureNamespace},
			{"type": "plain_text", "name": "GREETING", "text": "hello"},
			{"type": "secret_text", "name": "TOKEN", "text": "s3cr3t-token"},
		},
		"tags": []string{}, "observability": map[string]bool{"enabled": true}, "logpush": false,
	})
	mw.WriteField("metadata", string(meta))
	mw.Close()
	req, _ := http.NewRequest(http.MethodPut, h.srv.APIBaseURL()+"/accounts/"+h.srv.AccountID()+"/workers/scripts/fixture-api", &body)
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("seed upload: %d", res.StatusCode)
	}
	if _, status := h.api(http.MethodPost, "/workers/scripts/fixture-api/subdomain", map[string]bool{"enabled": true}); status != http.StatusOK {
		t.Fatalf("seed subdomain: %d", status)
	}
}

// copyTree copies the fixture's state into a project.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// fixtureProgram is program.mjs in Go terms.
func fixtureProgram(ctx context.Context, r *runner) error {
	s := r.app.Stage()
	kv, err := r.apply(ctx, "cloudflare::KVNamespace", "cache", obj("title", "fixture-cache"))
	if err != nil {
		return err
	}
	top, err := r.apply(ctx, "fixture::Note", "top", obj("text", "top-level", "tags", []string{"a", "b"}, "nested", obj("n", 1, "ok", true)))
	if err != nil {
		return err
	}
	backend, err := s.Nested(ctx, "backend", engine.ScopeOptions{})
	if err != nil {
		return err
	}
	if _, err := r.applyIn(ctx, backend, "fixture::Note", "inner", obj("text", "in backend", "token", value.NewSecret("hush-hush"))); err != nil {
		return err
	}
	deeper, err := backend.Nested(ctx, "deeper", engine.ScopeOptions{})
	if err != nil {
		return err
	}
	if _, err := r.applyIn(ctx, deeper, "fixture::Note", "deepest", obj("text", "two levels down", "ref", top)); err != nil {
		return err
	}
	if err := deeper.Finalize(ctx); err != nil {
		return err
	}
	if err := backend.Finalize(ctx); err != nil {
		return err
	}
	_, err = r.apply(ctx, "cloudflare::Worker", "api", obj(
		"name", "fixture-api",
		"entrypoint", "./worker.js",
		"bindings", obj("CACHE", kv, "GREETING", "hello", "TOKEN", value.NewSecret("s3cr3t-token")),
		"url", true,
		"compatibilityDate", "2025-09-01",
	))
	return err
}

// TestFixtureCompatibility runs the fixture's program against its state and
// a local Cloudflare seeded with the same resources: everything is skipped
// but the Worker, which is uploaded once.
func TestFixtureCompatibility(t *testing.T) {
	dataDir := t.TempDir()
	seedFixtureCloudflare(t, dataDir)
	h := newHarness(t, local.Options{DataDir: dataDir, Subdomain: "probe"})
	h.app, h.stage, h.password = "fixture-app", "prod", "fixture-password"
	h.extra = map[string]engine.Provider{"fixture::Note": fixtureNote{}}
	uploadFixtureWorker(t, h)
	copyTree(t, filepath.Join(fixtureDir, "fixture-app"), filepath.Join(h.root, ".alchemy", "fixture-app"))
	worker, err := os.ReadFile(filepath.Join(fixtureDir, "worker.js"))
	if err != nil {
		t.Fatal(err)
	}
	h.write("worker.js", string(worker))

	h.log.Reset()
	ev := h.mustRun(fixtureProgram)
	acts := actions(ev)
	skipped := []engine.Action{engine.ActionSkipped}
	for _, fqn := range []string{"fixture-app/prod/cache", "fixture-app/prod/top", "fixture-app/prod/backend/inner", "fixture-app/prod/backend/deeper/deepest"} {
		if !slices.Equal(acts[fqn], skipped) {
			t.Errorf("%s: %v, want skipped", fqn, acts[fqn])
		}
	}
	if got := acts["fixture-app/prod/api"]; !slices.Equal(got, []engine.Action{engine.ActionUpdating, engine.ActionUpdated}) {
		t.Errorf("api: %v, want updated", got)
	}
	reqs := h.requests()
	if n := count(reqs, http.MethodPut, "/workers/scripts/fixture-api"); n != 1 {
		t.Errorf("%d uploads of fixture-api, want 1", n)
	}
	for _, e := range reqs {
		if e.Method != http.MethodGet && !(e.Method == http.MethodPut && e.Path == "/accounts/"+h.srv.AccountID()+"/workers/scripts/fixture-api") &&
			!(e.Method == http.MethodPost && e.Path == "/accounts/"+h.srv.AccountID()+"/workers/scripts/fixture-api/subdomain") {
			t.Errorf("unexpected request %s %s", e.Method, e.Path)
		}
	}
	if n := count(reqs, "", "/storage/kv"); n != 0 {
		t.Errorf("%d KV requests, want none", n)
	}

	// Every record but the Worker's is byte for byte what 0.94 wrote.
	for _, f := range []string{"cache.json", "top.json", "backend.json", "backend/inner.json", "backend/deeper.json", "backend/deeper/deepest.json"} {
		want, _ := os.ReadFile(filepath.Join(fixtureDir, "fixture-app", "prod", f))
		if got := h.stateFile(f); !bytes.Equal(got, want) {
			t.Errorf("%s changed:\n%s\nwant:\n%s", f, got, want)
		}
	}
	// The Worker's output is the same but for updatedAt and the secret's
	// ciphertext.
	type record struct {
		Status string                     `json:"status"`
		Output map[string]json.RawMessage `json:"output"`
	}
	var got, want record
	json.Unmarshal(h.stateFile("api.json"), &got)
	raw, _ := os.ReadFile(filepath.Join(fixtureDir, "fixture-app", "prod", "api.json"))
	json.Unmarshal(raw, &want)
	if got.Status != "updated" {
		t.Errorf("api status %q", got.Status)
	}
	for k, w := range want.Output {
		if k == "updatedAt" || k == "bindings" {
			continue
		}
		if string(got.Output[k]) != string(w) {
			t.Errorf("api output %s = %s, want %s", k, got.Output[k], w)
		}
	}
	if len(got.Output) != len(want.Output) {
		t.Errorf("api output has %d fields, want %d", len(got.Output), len(want.Output))
	}
	s, _ := h.settings("fixture-api")
	if b := bindingOf(s, "CACHE"); b["namespace_id"] != fixtureNamespace {
		t.Errorf("CACHE binding %v", b)
	}

	// Once deployed by this binary, the next run uploads nothing.
	h.log.Reset()
	ev = h.mustRun(fixtureProgram)
	if n := len(h.requests()); n != 0 {
		t.Errorf("second run made %d requests", n)
	}
	if got := actions(ev)["fixture-app/prod/api"]; !slices.Equal(got, skipped) {
		t.Errorf("api on the second run: %v, want skipped", got)
	}
}
