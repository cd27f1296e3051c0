package cloudflare_test

import (
	"context"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/value"
)

// tenPercentFaults fail about one API request in ten: a third each with
// 429, 500 and a dropped connection.
var tenPercentFaults = []local.FaultRule{
	{Kind: local.Fault429, Fraction: 0.034},
	{Kind: local.Fault500, Fraction: 0.034},
	{Kind: local.FaultDrop, Fraction: 0.034},
}

// masks replace what differs between two deployments of one program to two
// Cloudflares: generated ids, timestamps, hashes and secret ciphertexts.
var masks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`"@secret": \{[^}]*\}`), `"@secret": "<sealed>"`},
	{regexp.MustCompile(`"(sha256|hmac-sha256):[0-9a-f]{64}"`), `"<hash>"`},
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), `<uuid>`},
	{regexp.MustCompile(`\b[0-9a-f]{32}\b`), `<id>`},
	{regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`), `<time>`},
	{regexp.MustCompile(`\b1\d{12}\b`), `<ms>`},
}

// stateTree reads every state file of the project, masked.
func (h *harness) stateTree() map[string]string {
	h.t.Helper()
	root := filepath.Join(h.root, ".alchemy")
	tree := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		s := string(data)
		for _, m := range masks {
			s = m.re.ReplaceAllString(s, m.with)
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		for _, m := range masks {
			rel = m.re.ReplaceAllString(rel, m.with)
		}
		tree[rel] = s
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return tree
}

func TestFaultsConverge(t *testing.T) {
	if testing.Short() {
		t.Skip("fault injection runs many requests")
	}
	clean := newHarness(t, local.Options{})
	writeFullProject(clean)
	var res fullResult
	clean.mustRun(fullProgram(&res, "src/api.js"))

	kinds := map[string]int{}
	for _, seed := range []uint64{1, 2, 3, 4, 5} {
		faulty := newHarness(t, local.Options{Faults: tenPercentFaults, FaultSeed: seed})
		writeFullProject(faulty)
		faulty.mustRun(fullProgram(&res, "src/api.js"))
		reqs := faulty.requests()
		faults := 0
		for _, e := range reqs {
			if e.Fault != "" {
				faults++
				kinds[e.Fault]++
			}
		}
		t.Logf("seed %d: %d faults in %d requests", seed, faults, len(reqs))

		want, got := clean.stateTree(), faulty.stateTree()
		if len(want) != len(got) {
			t.Errorf("seed %d: %d state files, want %d", seed, len(got), len(want))
		}
		for file, w := range want {
			if got[file] != w {
				t.Errorf("seed %d: %s differs from a run without faults:\n%s\nwant:\n%s", seed, file, got[file], w)
			}
		}
		// Converged: without faults, a re-run has nothing to do.
		faulty.srv.SetFaults(nil)
		faulty.log.Reset()
		faulty.mustRun(fullProgram(&res, "src/api.js"))
		if n := len(faulty.requests()); n != 0 {
			t.Errorf("seed %d: re-run after the faulty run made %d requests", seed, n)
		}
		// Destroying under faults leaves nothing behind.
		faulty.srv.SetFaults(tenPercentFaults)
		faulty.destroy()
		faulty.srv.SetFaults(nil)
		faulty.assertEmpty()
	}
	for _, k := range []local.FaultKind{local.Fault429, local.Fault500, local.FaultDrop} {
		if kinds[string(k)] == 0 {
			t.Errorf("no %s fault was injected in any run", k)
		}
	}
}

func TestBadRequestNamesResourceAndCode(t *testing.T) {
	h := newHarness(t, local.Options{})
	_, err := h.run(engine.AppOptions{}, func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::Worker", "api", obj(
			"script", "export default { fetch() { return new Response('x') } }",
			"bindings", obj("KV", obj("type", "kv_namespace", "id", "ffffffffffffffffffffffffffffffff")),
		))
		return err
	})
	errorContains(t, err, "app/test/api", `Worker "api"`, "upload", "HTTP 400", "10042")
	var re *engine.ResourceError
	if !asResourceError(err, &re) || re.FQN != "app/test/api" {
		t.Errorf("error %v is not a ResourceError of app/test/api", err)
	}
	// A 400 is final: one attempt only.
	if n := count(h.requests(), http.MethodPut, "/workers/scripts/app-api-test"); n != 1 {
		t.Errorf("%d upload attempts, want 1", n)
	}
}

func TestInjected400(t *testing.T) {
	h := newHarness(t, local.Options{Middleware: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/queues") {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				w.Write([]byte(`{"success":false,"errors":[{"code":11003,"message":"queue_name is invalid"}],"messages":[],"result":null}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	}})
	_, err := h.run(engine.AppOptions{}, func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::Queue", "jobs", nil)
		return err
	})
	errorContains(t, err, `Queue "jobs"`, "HTTP 400", "11003", "queue_name is invalid")
}

// TestCrashLeftCreating interrupts each create right after Cloudflare made
// the resource, as a crash would, then runs again: the resource is found by
// its name and taken over, never made twice.
func TestCrashLeftCreating(t *testing.T) {
	cases := []struct {
		kind, id, createPath string
		props                *value.Object
		list                 string
	}{
		{"cloudflare::KVNamespace", "kv", "/storage/kv/namespaces", nil, "/storage/kv/namespaces"},
		{"cloudflare::R2Bucket", "bucket", "/r2/buckets", nil, "/r2/buckets"},
		{"cloudflare::D1Database", "db", "/d1/database", nil, "/d1/database"},
		{"cloudflare::Queue", "jobs", "/queues", nil, "/queues"},
		{"cloudflare::Worker", "api", "/workers/scripts/app-api-test", obj("script", "export default { fetch() { return new Response('x') } }"), "/workers/scripts"},
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			var crash atomic.Pointer[context.CancelFunc]
			h := newHarness(t, local.Options{Middleware: func(next http.Handler) http.Handler {
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					next.ServeHTTP(w, r)
					if (r.Method == http.MethodPost || r.Method == http.MethodPut) && strings.HasSuffix(r.URL.Path, c.createPath) {
						if cancel := crash.Swap(nil); cancel != nil {
							(*cancel)()
						}
					}
				})
			}})
			ctx, cancel := context.WithCancel(context.Background())
			crash.Store(&cancel)
			prog := func(ctx context.Context, r *runner) error {
				_, err := r.apply(ctx, c.kind, c.id, c.props)
				return err
			}
			if _, err := h.runCtx(ctx, engine.AppOptions{}, prog); err == nil {
				t.Fatal("the interrupted run succeeded")
			}
			// The interrupted apply settles in the background; wait for it.
			rec := h.rec
			for deadline := time.Now().Add(5 * time.Second); !slices.ContainsFunc(rec.Events(), func(e engine.Event) bool {
				return e.Action == engine.ActionFailed
			}); {
				if time.Now().After(deadline) {
					t.Fatal("the interrupted apply did not settle")
				}
				time.Sleep(10 * time.Millisecond)
			}
			if rec := string(h.stateFile(c.id + ".json")); !strings.Contains(rec, `"status": "creating"`) {
				t.Fatalf("state after the crash:\n%s", rec)
			}
			if n := len(h.list(c.list)); n != 1 {
				t.Fatalf("after the crash, %s lists %d", c.list, n)
			}
			ev := h.mustRun(prog)
			if got := actions(ev)["app/test/"+c.id]; len(got) != 2 || got[1] != engine.ActionCreated {
				t.Errorf("resumed create: %v", got)
			}
			if n := len(h.list(c.list)); n != 1 {
				t.Errorf("after resuming, %s lists %d", c.list, n)
			}
			h.destroy()
			h.assertEmpty()
		})
	}
}

// TestDroppedAfterCreate drops the connection after Cloudflare answered a
// create: the retry meets "already exists" and takes the resource over.
func TestDroppedAfterCreate(t *testing.T) {
	var once sync.Once
	h := newHarness(t, local.Options{Middleware: func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/storage/kv/namespaces") {
				dropped := false
				once.Do(func() {
					next.ServeHTTP(httpDiscard{}, r)
					if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
						conn.Close()
						dropped = true
					}
				})
				if dropped {
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	}})
	h.mustRun(func(ctx context.Context, r *runner) error {
		_, err := r.apply(ctx, "cloudflare::KVNamespace", "kv", nil)
		return err
	})
	if n := len(h.list("/storage/kv/namespaces")); n != 1 {
		t.Errorf("%d namespaces, want 1", n)
	}
	h.destroy()
	h.assertEmpty()
}

// httpDiscard is a ResponseWriter that throws the response away.
type httpDiscard struct{}

func (httpDiscard) Header() http.Header         { return http.Header{} }
func (httpDiscard) Write(b []byte) (int, error) { return len(b), nil }
func (httpDiscard) WriteHeader(int)             {}
