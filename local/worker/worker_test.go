package worker_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/local/store"
	"github.com/alchemy-go/alchemy/local/worker"
)

// lockedBuffer collects the runtime's log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// env is a local Cloudflare with the Worker runtime.
type env struct {
	t   *testing.T
	srv *local.Server
	rt  *worker.Runtime
	log *lockedBuffer
	ctx context.Context
}

func start(t *testing.T, opts worker.Options) *env {
	t.Helper()
	e := &env{t: t, log: &lockedBuffer{}, ctx: context.Background()}
	if opts.Log == nil {
		opts.Log = e.log
	}
	if opts.CPULimit == 0 {
		opts.CPULimit = 5 * time.Second
	}
	e.rt = worker.New(opts)
	srv, err := local.Start(e.ctx, local.Options{DataDir: t.TempDir(), Host: e.rt})
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
}

func module(name, code string) store.Module {
	return store.Module{Name: name, ContentType: "application/javascript+module", Content: []byte(code)}
}

func (e *env) deploy(name string, s script) {
	e.t.Helper()
	up := store.ScriptUpload{Modules: s.modules, Migrations: s.migrations,
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
