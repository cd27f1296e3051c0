package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/bundler"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
)

// cloudflare is a local Cloudflare that checks uploads, as alchemy local
// and alchemy test serve it, with the Workers' output in log.
type cloudflare struct {
	t   testing.TB
	srv *local.Server
	log *runtimetest.Buffer
}

func startCloudflare(t testing.TB) *cloudflare {
	t.Helper()
	c := &cloudflare{t: t, log: &runtimetest.Buffer{}}
	srv, err := local.Start(context.Background(), local.Options{DataDir: t.TempDir(), RejectBrokenUploads: true,
		Host: worker.New(worker.Options{Log: c.log})})
	if err != nil {
		t.Fatal(err)
	}
	c.srv = srv
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return c
}

// part is one part of a multipart upload.
type part struct{ name, contentType, content string }

func jsModule(name, code string) part { return part{name, "application/javascript+module", code} }

// do sends an API request for a script of the account and returns the
// status and the envelope's first error (code 0 when it has none).
func (c *cloudflare) do(method, path, contentType string, body []byte) (status, code int, message string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.srv.APIBaseURL()+"/accounts/"+c.srv.AccountID()+"/workers/scripts/"+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer t")
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	var env struct {
		Errors []struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"errors"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		c.t.Fatalf("%s %s: %d %s: %v", method, path, res.StatusCode, data, err)
	}
	if len(env.Errors) > 0 {
		return res.StatusCode, env.Errors[0].Code, env.Errors[0].Message
	}
	return res.StatusCode, 0, ""
}

// upload sends parts (the first is the entry module) with metadata to
// one of the upload routes of a script.
func (c *cloudflare) upload(method, path string, meta map[string]any, parts ...part) (status, code int, message string) {
	c.t.Helper()
	all := map[string]any{"main_module": parts[0].name, "compatibility_date": "2025-01-01"}
	for k, v := range meta {
		all[k] = v
	}
	metaJSON, err := json.Marshal(all)
	if err != nil {
		c.t.Fatal(err)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.WriteField("metadata", string(metaJSON)); err != nil {
		c.t.Fatal(err)
	}
	for _, p := range parts {
		hdr := textproto.MIMEHeader{}
		hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.name, p.name))
		hdr.Set("Content-Type", p.contentType)
		pw, err := mw.CreatePart(hdr)
		if err != nil {
			c.t.Fatal(err)
		}
		io.WriteString(pw, p.content)
	}
	mw.Close()
	return c.do(method, path, mw.FormDataContentType(), buf.Bytes())
}

// get requests / of a script's workers.dev hostname.
func (c *cloudflare) get(script string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.srv.URL()+"/", nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Host = c.srv.WorkerHostname(script)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res.StatusCode, string(data)
}

// workerCode is the code of a Worker that logs "started <v>" when an isolate
// evaluates it and answers v.
func workerCode(v string) string {
	return fmt.Sprintf("console.log(%q);\nexport default { fetch() { return new Response(%q) } };\n", "started "+v, v)
}

// Each upload route starts the code it accepts once: the check's isolate
// serves what is deployed, and a version uploaded without deploying it
// (POST …/versions) is checked and leaves the deployed version serving.
func TestEveryUploadRouteStartsItsCodeOnce(t *testing.T) {
	cases := []struct {
		name, method, path string
		serves             string // what the Worker answers afterwards
	}{
		{"script upload", http.MethodPut, "api", "v2"},
		{"content upload", http.MethodPut, "api/content", "v2"},
		{"version upload", http.MethodPost, "api/versions", "v1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := startCloudflare(t)
			if status, code, msg := c.upload(http.MethodPut, "api", nil, jsModule("worker.js", workerCode("v1"))); status != http.StatusOK {
				t.Fatalf("first upload: %d %d %s", status, code, msg)
			}
			if status, code, msg := c.do(http.MethodPost, "api/subdomain", "application/json", []byte(`{"enabled":true}`)); status != http.StatusOK {
				t.Fatalf("subdomain: %d %d %s", status, code, msg)
			}
			if status, body := c.get("api"); status != http.StatusOK || body != "v1" {
				t.Fatalf("GET = %d %q, want v1", status, body)
			}
			if status, code, msg := c.upload(tc.method, tc.path, nil, jsModule("worker.js", workerCode("v2"))); status != http.StatusOK {
				t.Fatalf("%s %s: %d %d %s", tc.method, tc.path, status, code, msg)
			}
			for range 3 {
				if status, body := c.get("api"); status != http.StatusOK || body != tc.serves {
					t.Fatalf("GET = %d %q, want %q\nlog:\n%s", status, body, tc.serves, c.log.String())
				}
			}
			for _, v := range []string{"v1", "v2"} {
				if n := strings.Count(c.log.String(), "[api] started "+v+"\n"); n != 1 {
					t.Errorf("%s started %d times, want once\nlog:\n%s", v, n, c.log.String())
				}
			}
		})
	}
}

// A rejected upload names the place of its error in the file the Worker
// was built from, through the source map part the upload carries, on
// every upload route; without a map, the place in the uploaded module.
func TestRejectedUploadNamesTheSourceFile(t *testing.T) {
	dir := t.TempDir()
	src := "interface Env {\n  GREETING: string;\n}\n\nimport { missing } from \"./missing.js\";\n\nexport default { fetch: (_req: Request, env: Env) => new Response(String(missing) + env.GREETING) };\n"
	if err := os.WriteFile(filepath.Join(dir, "worker.ts"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := bundler.BundleWorker(bundler.WorkerOptions{Entry: "worker.ts", Dir: dir, NodeCompat: true, External: []string{"./missing.js"}})
	if err != nil {
		t.Fatal(err)
	}
	var mapped []part
	for _, p := range w.Parts("worker.js") {
		mapped = append(mapped, part{p.Name, p.ContentType, string(p.Content)})
	}
	meta := map[string]any{"compatibility_flags": []string{"nodejs_compat"}}
	cases := []struct {
		name, method, path string
		parts              []part
		want               string
	}{
		{"script upload", http.MethodPut, "api", mapped, "the Worker does not build: worker.ts:5:25: "},
		{"content upload", http.MethodPut, "api/content", mapped, "the Worker does not build: worker.ts:5:25: "},
		{"version upload", http.MethodPost, "api/versions", mapped, "the Worker does not build: worker.ts:5:25: "},
		{"script upload without its map", http.MethodPut, "api", mapped[:1], "the Worker does not build: worker.js:"},
	}
	c := startCloudflare(t)
	if status, code, msg := c.upload(http.MethodPut, "api", nil, jsModule("worker.js", workerCode("v1"))); status != http.StatusOK {
		t.Fatalf("first upload: %d %d %s", status, code, msg)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, code, msg := c.upload(tc.method, tc.path, meta, tc.parts...)
			if status != http.StatusBadRequest || code != 10021 || !strings.HasPrefix(msg, tc.want) {
				t.Errorf("%s %s = %d %d %q, want 400 10021 %q…", tc.method, tc.path, status, code, msg, tc.want)
			}
		})
	}
}

// BenchmarkUpload measures a deploy against the local Cloudflare: the
// upload PUT of a small Worker (checked before it is stored); the same
// followed by the first request to the new code; and a provider's deploy
// of a serving Worker (upload, workers.dev route, first request).
func BenchmarkUpload(b *testing.B) {
	cases := []struct {
		name               string
		subdomain, request bool
	}{
		{"put", false, false},
		{"put+get", false, true},
		{"put+subdomain+get", true, true},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			c := startCloudflare(b)
			if status, code, msg := c.upload(http.MethodPut, "api", nil, jsModule("worker.js", workerCode("v0"))); status != http.StatusOK {
				b.Fatalf("first upload: %d %d %s", status, code, msg)
			}
			enable := func() {
				if status, code, msg := c.do(http.MethodPost, "api/subdomain", "application/json", []byte(`{"enabled":true}`)); status != http.StatusOK {
					b.Fatalf("subdomain: %d %d %s", status, code, msg)
				}
			}
			enable()
			b.ResetTimer()
			for i := range b.N {
				v := fmt.Sprintf("v%d", i+1)
				if status, code, msg := c.upload(http.MethodPut, "api", nil, jsModule("worker.js", workerCode(v))); status != http.StatusOK {
					b.Fatalf("upload: %d %d %s", status, code, msg)
				}
				if bc.subdomain {
					enable()
				}
				if bc.request {
					if status, body := c.get("api"); status != http.StatusOK || body != v {
						b.Fatalf("GET = %d %q, want %q", status, body, v)
					}
				}
			}
		})
	}
}
