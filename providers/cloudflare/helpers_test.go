package cloudflare_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/local"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/runtime/runtimetest"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

const testToken = "test-token"

// logEntries parses a request log.
func logEntries(t testing.TB, log *runtimetest.Buffer) []local.LogEntry {
	var out []local.LogEntry
	sc := bufio.NewScanner(bytes.NewReader(log.Bytes()))
	for sc.Scan() {
		var e local.LogEntry
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("request log: %v", err)
		}
		out = append(out, e)
	}
	return out
}

// harness is a project directory, a local Cloudflare and the engine.
type harness struct {
	t        testing.TB
	srv      *local.Server
	root     string
	password string
	log      *runtimetest.Buffer
	rec      *engine.Recorder
	app      string
	stage    string
	local    bool
	cfg      func(*cloudflare.Config)
	// extra are further providers (the fixture's custom kind).
	extra map[string]engine.Provider
}

func newHarness(t testing.TB, opt local.Options) *harness {
	t.Helper()
	h := &harness{t: t, root: t.TempDir(), password: "test-password", log: &runtimetest.Buffer{}, rec: &engine.Recorder{}, app: "app", stage: "test"}
	opt.Token = testToken
	opt.RequestLog = h.log
	srv, err := local.Start(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	h.srv = srv
	return h
}

func (h *harness) config() cloudflare.Config {
	cfg := cloudflare.Config{BaseURL: h.srv.APIBaseURL(), APIToken: testToken}
	if h.cfg != nil {
		h.cfg(&cfg)
	}
	return cfg
}

func (h *harness) store() *state.FileStore {
	return state.NewFileStore(filepath.Join(h.root, ".alchemy"), state.NewCodec(h.password), state.WithoutFsync())
}

// program declares resources in the stage scope.
type program func(ctx context.Context, r *runner) error

// runner applies resources in one run.
type runner struct {
	h   *harness
	app *engine.App
}

// run runs prog in phase up (or the given phase) with a fresh provider set
// and finalizes, as one CLI run does.
func (h *harness) run(opts engine.AppOptions, prog program) ([]engine.Event, error) {
	h.t.Helper()
	return h.runCtx(context.Background(), opts, prog)
}

// runCtx is run with a context that a test may cancel to simulate a crash.
func (h *harness) runCtx(ctx context.Context, opts engine.AppOptions, prog program) ([]engine.Event, error) {
	h.t.Helper()
	// A fresh recorder per run: events of an interrupted run that arrive
	// late stay with that run.
	h.rec = &engine.Recorder{}
	reg := engine.NewRegistry()
	if _, err := cloudflare.Register(reg, cloudflare.Options{API: h.config(), Dir: h.root, Local: h.local}); err != nil {
		h.t.Fatal(err)
	}
	for kind, p := range h.extra {
		if err := reg.Register(kind, p); err != nil {
			h.t.Fatal(err)
		}
	}
	if opts.Name == "" {
		opts.Name = h.app
	}
	if opts.Stage == "" {
		opts.Stage = h.stage
	}
	eng := engine.New(engine.Config{Store: h.store(), Registry: reg, Reporter: h.rec})
	app, err := eng.Open(ctx, opts)
	if err != nil {
		h.t.Fatal(err)
	}
	defer app.Close()
	if opts.Phase == engine.PhaseDestroy {
		return h.rec.Events(), app.Destroy(ctx)
	}
	err = prog(ctx, &runner{h: h, app: app})
	if err == nil {
		err = app.Finalize(ctx)
	}
	return h.rec.Events(), err
}

func (h *harness) mustRun(prog program) []engine.Event {
	h.t.Helper()
	ev, err := h.run(engine.AppOptions{}, prog)
	if err != nil {
		h.t.Fatal(err)
	}
	return ev
}

func (h *harness) destroy() {
	h.t.Helper()
	if _, err := h.run(engine.AppOptions{Phase: engine.PhaseDestroy}, nil); err != nil {
		h.t.Fatal(err)
	}
}

// exports maps each resource kind to its module description.
var exports = func() map[string]cloudflare.Export {
	m := map[string]cloudflare.Export{}
	for _, e := range cloudflare.Module() {
		if e.Kind == cloudflare.ExportResource {
			m[e.ResourceKind] = e
		}
	}
	return m
}()

func export(name string) cloudflare.Export {
	for _, e := range cloudflare.Module() {
		if e.Name == name {
			return e
		}
	}
	panic("no export " + name)
}

// apply normalizes props as the JS module does, starts the resource in the
// stage and waits for it.
func (r *runner) apply(ctx context.Context, kind, id string, props *value.Object) (*value.Object, error) {
	return r.applyIn(ctx, r.app.Stage(), kind, id, props)
}

func (r *runner) applyIn(ctx context.Context, s *engine.Scope, kind, id string, props *value.Object) (*value.Object, error) {
	h, err := r.start(ctx, s, kind, id, props)
	if err != nil {
		return nil, err
	}
	return h.Wait(ctx)
}

func (r *runner) start(ctx context.Context, s *engine.Scope, kind, id string, props *value.Object) (*engine.Handle, error) {
	var v value.Value = props
	if e := exports[kind]; e.Normalize != nil {
		var err error
		v, err = e.Normalize(cloudflare.NormalizeContext{Local: r.h.local, Dir: r.h.root}, id, props)
		if err != nil {
			return nil, err
		}
	}
	return s.Start(ctx, kind, id, v)
}

// write creates a file under the project root.
func (h *harness) write(rel, content string) {
	h.t.Helper()
	p := filepath.Join(h.root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		h.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		h.t.Fatal(err)
	}
}

// api calls the local Cloudflare directly and returns the result.
func (h *harness) api(method, path string, body any) (json.RawMessage, int) {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, h.srv.APIBaseURL()+"/accounts/"+h.srv.AccountID()+path, rd)
	if strings.HasPrefix(path, "/zones") {
		req, _ = http.NewRequest(method, h.srv.APIBaseURL()+path, rd)
	}
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	raw, _ := io.ReadAll(res.Body)
	if err := json.Unmarshal(raw, &env); err != nil {
		return raw, res.StatusCode
	}
	return env.Result, res.StatusCode
}

// rawGet returns the body of a GET that does not answer an envelope.
func (h *harness) rawGet(path string) ([]byte, int) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.APIBaseURL()+"/accounts/"+h.srv.AccountID()+path, nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return raw, res.StatusCode
}

// list returns the items of a list endpoint.
func (h *harness) list(path string) []map[string]any {
	h.t.Helper()
	raw, status := h.api(http.MethodGet, path, nil)
	if status != http.StatusOK {
		h.t.Fatalf("GET %s: %d %s", path, status, raw)
	}
	var items []map[string]any
	if err := json.Unmarshal(raw, &items); err != nil {
		var wrapped struct {
			Buckets []map[string]any `json:"buckets"`
		}
		if err := json.Unmarshal(raw, &wrapped); err != nil {
			h.t.Fatalf("GET %s: %v: %s", path, err, raw)
		}
		items = wrapped.Buckets
	}
	return items
}

// assertEmpty checks through the list endpoints that nothing is deployed.
func (h *harness) assertEmpty() {
	h.t.Helper()
	for _, path := range []string{"/storage/kv/namespaces?per_page=100", "/r2/buckets", "/d1/database?per_page=100", "/queues",
		"/workers/scripts", "/workers/domains", "/workflows", "/workers/durable_objects/namespaces"} {
		if items := h.list(path); len(items) > 0 {
			h.t.Errorf("after destroy, %s still lists %d items: %v", path, len(items), items)
		}
	}
	if zones := h.list("/zones"); len(zones) > 0 {
		for _, z := range zones {
			if routes := h.list(fmt.Sprintf("/zones/%s/workers/routes", z["id"])); len(routes) > 0 {
				h.t.Errorf("after destroy, zone %s still has routes %v", z["name"], routes)
			}
		}
	}
}

// requests returns the API requests logged since the last reset.
func (h *harness) requests() []local.LogEntry { return logEntries(h.t, h.log) }

// count counts logged requests matching method and a path suffix or
// substring.
func count(entries []local.LogEntry, method, pathPart string) int {
	n := 0
	for _, e := range entries {
		if (method == "" || e.Method == method) && strings.Contains(e.Path, pathPart) {
			n++
		}
	}
	return n
}

// actions maps each resource display name to its actions, in order.
func actions(events []engine.Event) map[string][]engine.Action {
	m := map[string][]engine.Action{}
	for _, ev := range events {
		if ev.Action == engine.ActionWarn {
			continue
		}
		m[ev.FQN] = append(m[ev.FQN], ev.Action)
	}
	return m
}

// stateFile reads a state file of the stage.
func (h *harness) stateFile(rel string) []byte {
	h.t.Helper()
	data, err := os.ReadFile(filepath.Join(h.root, ".alchemy", h.app, h.stage, filepath.FromSlash(rel)))
	if err != nil {
		h.t.Fatal(err)
	}
	return data
}

// obj builds an object from alternating keys and values (Go values are
// converted: string, bool, int, float64, []string, *value.Object, value.Value).
func obj(kv ...any) *value.Object {
	o := value.NewObject(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), conv(kv[i+1]))
	}
	return o
}

func conv(v any) value.Value {
	switch v := v.(type) {
	case nil:
		return nil
	case value.Value:
		return v
	case string:
		return value.String(v)
	case bool:
		return value.Bool(v)
	case int:
		return value.Number(v)
	case float64:
		return value.Number(v)
	case []string:
		a := make(value.Array, len(v))
		for i, s := range v {
			a[i] = value.String(s)
		}
		return a
	case []any:
		a := make(value.Array, len(v))
		for i, s := range v {
			a[i] = conv(s)
		}
		return a
	}
	panic(fmt.Sprintf("conv: %T", v))
}

func str(o *value.Object, key string) string {
	s, _ := o.GetString(key)
	return s
}

// errorContains fails unless err mentions every part.
func errorContains(t testing.TB, err error, parts ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an error mentioning %q, got none", parts)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not mention %q", err, p)
		}
	}
}

func asResourceError(err error, re **engine.ResourceError) bool { return errors.As(err, re) }
