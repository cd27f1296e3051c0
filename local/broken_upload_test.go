package local_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	cf "github.com/cloudflare/cloudflare-go/v6"
	"github.com/cloudflare/cloudflare-go/v6/workers"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/worker"
)

// scriptView is what the API shows of a script: its code, settings and
// versions. A rejected upload must leave all of it as it was.
func (e *env) scriptView(name string) (content, settings, versions string) {
	e.t.Helper()
	base := "/accounts/" + testAccount + "/workers/scripts/" + name
	var parts [3]string
	for i, p := range []string{"/content/v2", "/settings", "/versions"} {
		status, body := e.rawBytes(http.MethodGet, base+p, nil)
		if status != http.StatusOK {
			e.t.Fatalf("GET %s%s: %d %s", base, p, status, body)
		}
		parts[i] = string(body)
	}
	return parts[0], parts[1], parts[2]
}

func TestBrokenUploadIsRejected(t *testing.T) {
	const good = `export default { fetch(req, env) { return new Response("v1 " + env.WHERE) } }`
	where := binding("WHERE", "plain_text", func(b *workers.ScriptUpdateParamsMetadataBinding) { b.Text = cf.F("here") })
	cases := []struct {
		name, source, want string
	}{
		{"throws at startup", "const ok = false;\nif (!ok) throw new Error(\"boom\");\nexport default { fetch() { return new Response(\"v2\") } }",
			"the Worker failed to start: index.js:2:"},
		{"does not compile", "export default { fetch() { return new Response(\"v2\") } ", "index.js:1:"},
		{"does not build", "import { Readable } from \"node:stream\";\nexport default { fetch() { return new Response(String(Readable)) } }",
			`the Worker does not build: index.js:1:26: error: module "node:stream"`},
	}
	e := start(t, func(o *local.Options) {
		o.Host = worker.New(worker.Options{Log: &strings.Builder{}})
		o.RejectBrokenUploads = true
	})
	ctx := context.Background()
	e.upload(t, "api", uploadOpts{source: good, bindings: []workers.ScriptUpdateParamsMetadataBinding{where}, tags: []string{"t1"}})
	if _, err := e.cf.Workers.Scripts.Subdomain.New(ctx, "api", workers.ScriptSubdomainNewParams{AccountID: cf.F(testAccount), Enabled: cf.F(true)}); err != nil {
		t.Fatal(err)
	}
	content, settings, versions := e.scriptView("api")
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.uploadErr("api", uploadOpts{source: c.source, tags: []string{"t2"}})
			apiErr(t, err, http.StatusBadRequest, 10021)
			var ae *cf.Error
			if errors.As(err, &ae); !strings.Contains(ae.Errors[0].Message, c.want) {
				t.Errorf("message %q does not contain %q", ae.Errors[0].Message, c.want)
			}
			if gotC, gotS, gotV := e.scriptView("api"); gotC != content || gotS != settings || gotV != versions {
				t.Errorf("script changed by a rejected upload:\ncontent %s\nsettings %s\nversions %s", gotC, gotS, gotV)
			}
			if status, body := e.hostGet(e.srv.WorkerHostname("api"), "/"); status != http.StatusOK || body != "v1 here" {
				t.Errorf("Worker answers %d %q, want the last good version", status, body)
			}
			// A new script whose code cannot run is not created at all.
			_, err = e.uploadErr("fresh", uploadOpts{source: c.source})
			apiErr(t, err, http.StatusBadRequest, 10021)
			if status, env := e.raw(http.MethodGet, "/accounts/"+testAccount+"/workers/scripts/fresh/settings", nil); status != http.StatusNotFound || env.code() != 10007 {
				t.Errorf("rejected new script: GET settings = %d %+v, want 404/10007", status, env.Errors)
			}
		})
	}
	// The same code fixed deploys.
	e.upload(t, "api", uploadOpts{source: `export default { fetch() { return new Response("v2") } }`})
	if status, body := e.hostGet(e.srv.WorkerHostname("api"), "/"); status != http.StatusOK || body != "v2" {
		t.Errorf("fixed Worker answers %d %q, want v2", status, body)
	}
}

// Without RejectBrokenUploads (a dev session), an upload whose code cannot
// run is stored and the last good version keeps serving.
func TestBrokenUploadAcceptedWhenNotRejecting(t *testing.T) {
	rt := worker.New(worker.Options{Log: &strings.Builder{}})
	e := start(t, func(o *local.Options) { o.Host = rt })
	e.upload(t, "api", uploadOpts{source: `export default { fetch() { return new Response("v1") } }`})
	if err := rt.Load(context.Background(), testAccount, "api"); err != nil {
		t.Fatal(err)
	}
	e.upload(t, "api", uploadOpts{source: `throw new Error("boom"); export default {}`})
	var stale *worker.StaleError
	if err := rt.Load(context.Background(), testAccount, "api"); !errors.As(err, &stale) || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Load = %v, want a StaleError naming boom", err)
	}
	content, _, _ := e.scriptView("api")
	if !strings.Contains(content, "boom") {
		t.Errorf("content = %q, want the stored broken upload", content)
	}
}

// A version uploaded without deploying it (POST …/versions) is checked the
// same way. This server has no OpenAPI checker: the description has no
// error envelope for that route.
func TestBrokenVersionUploadIsRejected(t *testing.T) {
	srv, err := local.Start(context.Background(), local.Options{DataDir: t.TempDir(), AccountID: testAccount,
		Host: worker.New(worker.Options{Log: &strings.Builder{}}), RejectBrokenUploads: true})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	post := func(method, path, source string) (int, string) {
		t.Helper()
		body := "--XyZ\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n" +
			`{"main_module":"index.js","compatibility_date":"2025-01-01"}` +
			"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"index.js\"; filename=\"index.js\"\r\n" +
			"Content-Type: application/javascript+module\r\n\r\n" + source + "\r\n--XyZ--\r\n"
		req, err := http.NewRequest(method, srv.APIBaseURL()+"/accounts/"+testAccount+"/workers/scripts/api"+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Content-Type", "multipart/form-data; boundary=XyZ")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	if status, body := post(http.MethodPut, "", `export default { fetch() { return new Response("v1") } }`); status != http.StatusOK {
		t.Fatalf("upload: %d %s", status, body)
	}
	status, body := post(http.MethodPost, "/versions", `throw new Error("boom"); export default {}`)
	if status != http.StatusBadRequest || !strings.Contains(body, `"code":10021`) || !strings.Contains(body, "index.js:1:7") {
		t.Errorf("POST versions = %d %s, want 400/10021 naming index.js:1:7", status, body)
	}
	status, body = post(http.MethodPost, "/versions", `export default { fetch() { return new Response("v2") } }`)
	if status != http.StatusOK {
		t.Errorf("POST versions of good code = %d %s", status, body)
	}
}
