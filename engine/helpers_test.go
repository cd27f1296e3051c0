package engine_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alchemy-go/alchemy/engine"
	fsprov "github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// env is a project directory with a file store and an engine.
type env struct {
	t        testing.TB
	root     string
	dotDir   string
	password string
	reg      *engine.Registry
	rec      *engine.Recorder
	things   *thingProvider
	syncOff  bool
	workers  int
}

func newEnv(t testing.TB) *env {
	t.Helper()
	root := t.TempDir()
	e := &env{t: t, root: root, dotDir: filepath.Join(root, ".alchemy"), password: "test-password",
		reg: engine.NewRegistry(), rec: &engine.Recorder{}, things: newThingProvider()}
	if err := fsprov.Register(e.reg, root); err != nil {
		t.Fatal(err)
	}
	if err := e.reg.Register("test::Thing", e.things); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) store() *state.FileStore {
	var opts []state.FileStoreOption
	if e.syncOff {
		opts = append(opts, state.WithoutFsync())
	}
	return state.NewFileStore(e.dotDir, state.NewCodec(e.password), opts...)
}

// engine returns a fresh engine per run, as each CLI run has one.
func (e *env) engine(reporters ...engine.Reporter) *engine.Engine {
	return engine.New(engine.Config{Store: e.store(), Registry: e.reg,
		Reporter: append(engine.Reporters{e.rec}, reporters...), DeleteConcurrency: e.workers})
}

func (e *env) open(opts engine.AppOptions, reporters ...engine.Reporter) *engine.App {
	e.t.Helper()
	if opts.Name == "" {
		opts.Name = "app"
	}
	if opts.Stage == "" {
		opts.Stage = "dev"
	}
	app, err := e.engine(reporters...).Open(context.Background(), opts)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { app.Close() })
	return app
}

// program declares resources in a scope and returns the first error.
type program func(ctx context.Context, s *engine.Scope) error

// runUp runs a program in phase up and finalizes, returning the events.
func (e *env) runUp(opts engine.AppOptions, prog program) ([]engine.Event, error) {
	e.t.Helper()
	e.rec.Reset()
	ctx := context.Background()
	app := e.open(opts)
	defer app.Close()
	err := prog(ctx, app.Stage())
	if err == nil || opts.Phase == engine.PhaseRead {
		err = errors.Join(err, app.Finalize(ctx))
	}
	return e.rec.Events(), err
}

func (e *env) mustRunUp(prog program) []engine.Event {
	e.t.Helper()
	events, err := e.runUp(engine.AppOptions{}, prog)
	if err != nil {
		e.t.Fatal(err)
	}
	return events
}

// apply starts a resource and waits for it.
func apply(ctx context.Context, s *engine.Scope, kind, id string, props value.Value) (*value.Object, error) {
	h, err := s.Start(ctx, kind, id, props)
	if err != nil {
		return nil, err
	}
	return h.Wait(ctx)
}

// actions maps each resource display name to the actions it got, in order.
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

// lines renders events as the text reporter prints them.
func lines(events []engine.Event) []string {
	var out []string
	for _, ev := range events {
		if l := ev.Line(); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// fileInfo is what a snapshot keeps of a file.
type fileInfo struct {
	data    []byte
	modTime time.Time
	mode    fs.FileMode
}

// snapshot reads every file under dir.
func snapshot(t testing.TB, dir string) map[string]fileInfo {
	t.Helper()
	files := map[string]fileInfo{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = fileInfo{data: data, modTime: info.ModTime(), mode: info.Mode()}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sameSnapshot(t testing.TB, before, after map[string]fileInfo) {
	t.Helper()
	for name, b := range before {
		a, ok := after[name]
		switch {
		case !ok:
			t.Errorf("%s disappeared", name)
		case !bytes.Equal(a.data, b.data) || !a.modTime.Equal(b.modTime):
			t.Errorf("%s was rewritten", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s appeared", name)
		}
	}
}

func keys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// thingProvider is an in-memory provider (test::Thing) that records calls.
// Props: any fields; "immutable" asks for a replacement when it changes,
// "fail" names an op ("create", "update", "delete") that fails, "delay" a
// duration each call waits, "data" a key/value to keep with this.set.
type thingProvider struct {
	mu        sync.Mutex
	calls     []string
	active    int
	maxActive int
	adopt     map[string]bool
	gate      chan struct{} // when set, Delete waits on it
}

func newThingProvider() *thingProvider {
	return &thingProvider{adopt: map[string]bool{}}
}

func (p *thingProvider) enter(op engine.Op, req *engine.Request) func() {
	p.mu.Lock()
	p.calls = append(p.calls, string(op)+" "+req.FQN)
	p.active++
	p.maxActive = max(p.maxActive, p.active)
	if op == engine.OpCreate {
		p.adopt[req.ID] = req.Adopt
	}
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		p.active--
		p.mu.Unlock()
	}
}

func (p *thingProvider) Calls() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.calls)
}

func (p *thingProvider) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls, p.maxActive = nil, 0
}

func (p *thingProvider) behave(ctx context.Context, op engine.Op, req *engine.Request) error {
	props, _ := req.Props.(*value.Object)
	if d, ok := props.GetNumber("delay"); ok {
		select {
		case <-time.After(time.Duration(d) * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if f, _ := props.GetString("fail"); f == string(op) {
		return fmt.Errorf("thing %s fails on %s as asked", req.ID, op)
	}
	return nil
}

func (p *thingProvider) output(req *engine.Request) *value.Object {
	out := value.NewObject(0)
	if props, ok := req.Props.(*value.Object); ok {
		for k, v := range props.All {
			if !value.IsSymbolKey(k) {
				out.Set(k, v)
			}
		}
	}
	if kv, ok := req.Props.(*value.Object); ok {
		if d, ok := kv.GetObject("data"); ok {
			for k, v := range d.All {
				req.Data.Set(k, v)
			}
		}
	}
	calls := 0.0
	if v, ok := req.Data.Get("calls"); ok {
		calls = float64(v.(value.Number))
	}
	req.Data.Set("calls", value.Number(calls+1))
	return out
}

func (p *thingProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	defer p.enter(engine.OpCreate, req)()
	if err := p.behave(ctx, engine.OpCreate, req); err != nil {
		return nil, err
	}
	return p.output(req), nil
}

func (p *thingProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	defer p.enter(engine.OpUpdate, req)()
	if err := p.behave(ctx, engine.OpUpdate, req); err != nil {
		return nil, err
	}
	next, _ := req.Props.(*value.Object)
	nextImm, _ := next.Get("immutable")
	prevImm, _ := req.Output.Get("immutable")
	if !value.Equal(nextImm, prevImm) {
		return nil, engine.ErrReplace
	}
	return p.output(req), nil
}

func (p *thingProvider) Delete(ctx context.Context, req *engine.Request) error {
	p.mu.Lock()
	gate := p.gate
	p.mu.Unlock()
	defer p.enter(engine.OpDelete, req)()
	if gate != nil {
		<-gate
	}
	return p.behave(ctx, engine.OpDelete, req)
}

// obj is a shorthand for value.Obj with Go literals.
func obj(kv ...any) *value.Object {
	o := value.NewObject(len(kv) / 2)
	for i := 0; i < len(kv); i += 2 {
		o.Set(kv[i].(string), toValue(kv[i+1]))
	}
	return o
}

func toValue(v any) value.Value {
	switch v := v.(type) {
	case value.Value:
		return v
	case string:
		return value.String(v)
	case int:
		return value.Number(v)
	case float64:
		return value.Number(v)
	case bool:
		return value.Bool(v)
	case nil:
		return value.Null{}
	case []any:
		arr := make(value.Array, len(v))
		for i, item := range v {
			arr[i] = toValue(item)
		}
		return arr
	}
	panic(fmt.Sprintf("toValue(%T)", v))
}

// recordOf reads a record straight from the store.
func (e *env) recordOf(path state.Path, id string) *state.Record {
	e.t.Helper()
	r, err := e.store().Get(context.Background(), path, id)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

func stagePath(nested ...string) state.Path {
	return append(state.Path{"app", "dev"}, nested...)
}

func contains(s []string, sub string) bool {
	for _, x := range s {
		if strings.Contains(x, sub) {
			return true
		}
	}
	return false
}
