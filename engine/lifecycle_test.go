package engine_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

type A = []engine.Action

var (
	created = A{engine.ActionCreating, engine.ActionCreated}
	updated = A{engine.ActionUpdating, engine.ActionUpdated}
	skipped = A{engine.ActionSkipped}
	deleted = A{engine.ActionDeleting, engine.ActionDeleted}
)

// files declares fs::File resources (id → path, content) and things.
func declare(files [][3]string, things map[string]*value.Object) program {
	return func(ctx context.Context, s *engine.Scope) error {
		var handles []*engine.Handle
		for _, f := range files {
			h, err := s.Start(ctx, "fs::File", f[0], obj("path", f[1], "content", f[2]))
			if err != nil {
				return err
			}
			handles = append(handles, h)
		}
		for _, id := range keys(things) {
			h, err := s.Start(ctx, "test::Thing", id, things[id])
			if err != nil {
				return err
			}
			handles = append(handles, h)
		}
		var errs []error
		for _, h := range handles {
			_, err := h.Wait(ctx)
			errs = append(errs, err)
		}
		return errors.Join(errs...)
	}
}

func TestLifecycle(t *testing.T) {
	e := newEnv(t)
	readFile := func(p string) string {
		data, err := os.ReadFile(filepath.Join(e.root, p))
		if err != nil {
			return "<" + err.Error() + ">"
		}
		return string(data)
	}
	var snap map[string]fileInfo
	steps := []struct {
		name  string
		prog  program
		want  map[string]A
		check func(t *testing.T)
	}{
		{
			name: "create",
			prog: declare([][3]string{{"a", "a.txt", "A"}, {"b", "dir/b.txt", "B"}}, map[string]*value.Object{"t1": obj("x", 1)}),
			want: map[string]A{"app/dev/a": created, "app/dev/b": created, "app/dev/t1": created},
			check: func(t *testing.T) {
				if readFile("a.txt") != "A" || readFile("dir/b.txt") != "B" {
					t.Errorf("files: %q %q", readFile("a.txt"), readFile("dir/b.txt"))
				}
				r := e.recordOf(stagePath(), "b")
				if r.Status != state.StatusCreated || !slices.Equal(r.Layout(), state.LayoutFinal) {
					t.Errorf("record b: %s %q", r.Status, r.Layout())
				}
				if p, _ := r.Output.GetString("path"); p != "dir/b.txt" {
					t.Errorf("output path %q", p)
				}
				snap = snapshot(t, e.dotDir)
			},
		},
		{
			name: "re-run: all skipped, nothing rewritten",
			prog: declare([][3]string{{"a", "a.txt", "A"}, {"b", "dir/b.txt", "B"}}, map[string]*value.Object{"t1": obj("x", 1)}),
			want: map[string]A{"app/dev/a": skipped, "app/dev/b": skipped, "app/dev/t1": skipped},
			check: func(t *testing.T) {
				after := snapshot(t, e.dotDir)
				delete(after, "app/dev.lock")
				delete(snap, "app/dev.lock")
				sameSnapshot(t, snap, after)
			},
		},
		{
			name: "change one prop: only it updates",
			prog: declare([][3]string{{"a", "a.txt", "A"}, {"b", "dir/b.txt", "B2"}}, map[string]*value.Object{"t1": obj("x", 1)}),
			want: map[string]A{"app/dev/a": skipped, "app/dev/b": updated, "app/dev/t1": skipped},
			check: func(t *testing.T) {
				if readFile("dir/b.txt") != "B2" {
					t.Errorf("b = %q", readFile("dir/b.txt"))
				}
				if r := e.recordOf(stagePath(), "b"); r.Status != state.StatusUpdated || r.OldProps != nil {
					t.Errorf("record b: %s oldProps %v", r.Status, r.OldProps)
				}
			},
		},
		{
			name: "remove one: deleted at finalize",
			prog: declare([][3]string{{"a", "a.txt", "A"}, {"b", "dir/b.txt", "B2"}}, nil),
			want: map[string]A{"app/dev/a": skipped, "app/dev/b": skipped, "app/dev/t1": deleted},
			check: func(t *testing.T) {
				if r := e.recordOf(stagePath(), "t1"); r != nil {
					t.Errorf("t1 still in state: %+v", r)
				}
				if calls := e.things.Calls(); !slices.Contains(calls, "delete app/dev/t1") {
					t.Errorf("calls %q", calls)
				}
			},
		},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			events := e.mustRunUp(st.prog)
			if got := actions(events); !mapsEqual(got, st.want) {
				t.Fatalf("actions = %v\nwant %v", got, st.want)
			}
			st.check(t)
		})
	}
	t.Run("destroy: nothing left", func(t *testing.T) {
		e.rec.Reset()
		app := e.open(engine.AppOptions{Phase: engine.PhaseDestroy})
		if err := app.Destroy(context.Background()); err != nil {
			t.Fatal(err)
		}
		app.Close()
		if got := actions(e.rec.Events()); !mapsEqual(got, map[string]A{"app/dev/a": deleted, "app/dev/b": deleted}) {
			t.Errorf("actions = %v", got)
		}
		for _, f := range []string{"a.txt", "dir/b.txt"} {
			if _, err := os.Stat(filepath.Join(e.root, f)); !os.IsNotExist(err) {
				t.Errorf("%s still exists", f)
			}
		}
		left := snapshot(t, e.dotDir)
		delete(left, "app/dev.lock")
		if len(left) != 0 {
			t.Errorf("state left: %v", keys(left))
		}
		if _, err := os.Stat(filepath.Join(e.dotDir, "app", "dev")); !os.IsNotExist(err) {
			t.Errorf("stage folder left: %v", err)
		}
	})
}

func mapsEqual(a, b map[string]A) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

func TestOutputLines(t *testing.T) {
	e := newEnv(t)
	var out bytes.Buffer
	text := engine.NewTextReporter(&out, engine.TextOptions{})
	app := e.open(engine.AppOptions{}, text)
	ctx := context.Background()
	if _, err := apply(ctx, app.Stage(), "test::Thing", "top", obj()); err != nil {
		t.Fatal(err)
	}
	backend, err := app.Stage().Nested(ctx, "backend", engine.ScopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply(ctx, backend, "test::Thing", "api", obj()); err != nil {
		t.Fatal(err)
	}
	if err := backend.Finalize(ctx); err != nil {
		t.Fatal(err)
	}
	if err := app.Finalize(ctx); err != nil {
		t.Fatal(err)
	}
	want := "[creating]  top Creating Resource...\n" +
		"[created]   top Created Resource\n" +
		"[creating]  backend > api Creating Resource...\n" +
		"[created]   backend > api Created Resource\n"
	if out.String() != want {
		t.Errorf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	if s := text.Summary(); !strings.HasPrefix(s, "2 created in ") {
		t.Errorf("summary %q", s)
	}

	var colored bytes.Buffer
	ct := engine.NewTextReporter(&colored, engine.TextOptions{Color: true})
	ct.Report(engine.Event{Action: engine.ActionSkipped, FQN: "app/dev/backend/api"})
	if got := colored.String(); got != "\x1b[93m[skipped]   \x1b[0m\x1b[90mbackend > api\x1b[0m Skipped Resource (no changes)\n" {
		t.Errorf("coloured line %q", got)
	}
	quiet := engine.NewTextReporter(&colored, engine.TextOptions{Quiet: true})
	colored.Reset()
	quiet.Report(engine.Event{Action: engine.ActionCreated, FQN: "app/dev/x"})
	quiet.Report(engine.Event{Action: engine.ActionSkipped, FQN: "app/dev/y"})
	quiet.Report(engine.Event{Action: engine.ActionDeleted, FQN: "app/dev/z"})
	if colored.Len() != 0 || !strings.HasPrefix(quiet.Summary(), "1 created, 1 deleted, 1 skipped in ") {
		t.Errorf("quiet printed %q, summary %q", colored.String(), quiet.Summary())
	}
}

func TestReplace(t *testing.T) {
	e := newEnv(t)
	file := func(p string) program {
		return declare([][3]string{{"f", p, "content"}}, map[string]*value.Object{"t": obj("immutable", p)})
	}
	e.mustRunUp(file("one.txt"))

	// Without finalize, the replaced resources wait in the stage's data.
	e.rec.Reset()
	ctx := context.Background()
	app := e.open(engine.AppOptions{})
	if err := file("two.txt")(ctx, app.Stage()); err != nil {
		t.Fatal(err)
	}
	app.Close()
	got := actions(e.rec.Events())
	want := map[string]A{"app/dev/f": {engine.ActionUpdating, engine.ActionReplaced}, "app/dev/t": {engine.ActionUpdating, engine.ActionReplaced}}
	if !mapsEqual(got, want) {
		t.Fatalf("actions %v", got)
	}
	for _, f := range []string{"one.txt", "two.txt"} {
		if _, err := os.Stat(filepath.Join(e.root, f)); err != nil {
			t.Errorf("%s: %v (create before delete)", f, err)
		}
	}
	stage := e.recordOf(state.Path{"app"}, "dev")
	if stage == nil || stage.Kind != state.KindScope || !slices.Equal(stage.Layout(), state.LayoutStageMarker) {
		t.Fatalf("stage record: %+v", stage)
	}
	pending, _ := stage.Data.Get("pendingDeletions")
	if arr, _ := pending.(value.Array); len(arr) != 2 {
		t.Fatalf("pendingDeletions = %v", pending)
	}
	if r := e.recordOf(stagePath(), "f"); r.Status != state.StatusUpdated {
		t.Errorf("replaced record status %s", r.Status)
	}

	// The next run finds them and deletes them at finalize.
	events := e.mustRunUp(file("two.txt"))
	got = actions(events)
	want = map[string]A{
		"app/dev/f": {engine.ActionSkipped, engine.ActionCleanup, engine.ActionCleaned},
		"app/dev/t": {engine.ActionSkipped, engine.ActionCleanup, engine.ActionCleaned},
	}
	if !mapsEqual(got, want) {
		t.Fatalf("actions %v", got)
	}
	if _, err := os.Stat(filepath.Join(e.root, "one.txt")); !os.IsNotExist(err) {
		t.Errorf("old file left: %v", err)
	}
	stage = e.recordOf(state.Path{"app"}, "dev")
	if pending, _ := stage.Data.Get("pendingDeletions"); len(pending.(value.Array)) != 0 {
		t.Errorf("pendingDeletions after finalize = %v", pending)
	}
	if calls := e.things.Calls(); !slices.Contains(calls, "delete app/dev/t") {
		t.Errorf("old thing not deleted: %q", calls)
	}
}

func TestAdopt(t *testing.T) {
	e := newEnv(t)
	e.runUp(engine.AppOptions{Adopt: true}, declare(nil, map[string]*value.Object{"flag": obj(), "off": obj("adopt", false)}))
	e.runUp(engine.AppOptions{}, declare(nil, map[string]*value.Object{"prop": obj("adopt", true), "none": obj()}))
	want := map[string]bool{"flag": true, "off": false, "prop": true, "none": false}
	for id, w := range want {
		if got := e.things.adopt[id]; got != w {
			t.Errorf("%s: adopt %v, want %v", id, got, w)
		}
	}
}

func TestReadPhaseNeverWrites(t *testing.T) {
	e := newEnv(t)
	prog := declare([][3]string{{"a", "a.txt", "A"}}, map[string]*value.Object{"t": obj("x", 1)})
	e.mustRunUp(prog)
	lockFile := filepath.Join(e.dotDir, "app", "dev.lock")
	os.Remove(lockFile)
	before := snapshot(t, e.root)

	ctx := context.Background()
	app := e.open(engine.AppOptions{Phase: engine.PhaseRead})
	// Changed props are not applied: the stored output comes back.
	out, err := apply(ctx, app.Stage(), "fs::File", "a", obj("path", "a.txt", "content", "CHANGED"))
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := out.GetString("content"); c != "A" {
		t.Errorf("read output content %q", c)
	}
	if k, _ := out.GetString(value.KeyKind); k != "fs::File" {
		t.Errorf("identity missing: %v", out.Keys())
	}
	nested, err := app.Stage().Nested(ctx, "never", engine.ScopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply(ctx, nested, "test::Thing", "missing", obj()); err == nil || !strings.Contains(err.Error(), "read") {
		t.Errorf("missing resource in read phase: %v", err)
	}
	if err := app.Finalize(ctx); err != nil {
		t.Fatal(err)
	}
	app.Close()
	sameSnapshot(t, before, snapshot(t, e.root))
	if calls := e.things.Calls(); len(calls) != 1 {
		t.Errorf("provider called in read phase: %q", calls)
	}
}

func TestFailedScopeDeletesNothing(t *testing.T) {
	e := newEnv(t)
	e.mustRunUp(declare(nil, map[string]*value.Object{"keep": obj(), "orphan": obj()}))
	events, err := e.runUp(engine.AppOptions{}, func(ctx context.Context, s *engine.Scope) error {
		if _, err := apply(ctx, s, "test::Thing", "keep", obj()); err != nil {
			return err
		}
		_, err := apply(ctx, s, "test::Thing", "bad", obj("fail", "create"))
		return err
	})
	var re *engine.ResourceError
	if !errors.As(err, &re) || re.FQN != "app/dev/bad" || re.Op != engine.OpCreate || !strings.Contains(err.Error(), "fails on create") {
		t.Fatalf("err = %v", err)
	}
	// The program's error still lets it finalize; nothing is deleted.
	app := e.open(engine.AppOptions{})
	ctx := context.Background()
	if _, err := apply(ctx, app.Stage(), "test::Thing", "bad", obj("fail", "create")); err == nil {
		t.Fatal("no failure")
	}
	e.rec.Reset()
	if err := app.Finalize(ctx); err != nil {
		t.Fatal(err)
	}
	if !app.Failed() {
		t.Error("app not failed")
	}
	app.Close()
	evs := e.rec.Events()
	if len(evs) != 1 || evs[0].Action != engine.ActionWarn || !strings.Contains(evs[0].Message, "deletes nothing") {
		t.Errorf("finalize events %+v", evs)
	}
	for _, id := range []string{"keep", "orphan"} {
		if e.recordOf(stagePath(), id) == nil {
			t.Errorf("%s was deleted by a failed scope", id)
		}
	}
	if r := e.recordOf(stagePath(), "bad"); r == nil || r.Status != state.StatusCreating {
		t.Errorf("failed record: %+v", r)
	}
	if got := actions(events); !slices.Equal(got["app/dev/bad"], A{engine.ActionCreating, engine.ActionFailed}) {
		t.Errorf("bad: %v", got["app/dev/bad"])
	}
	// A later run retries the create and converges.
	e.things.Reset()
	got := actions(e.mustRunUp(declare(nil, map[string]*value.Object{"keep": obj(), "bad": obj()})))
	if !slices.Equal(got["app/dev/bad"], created) || !slices.Equal(got["app/dev/orphan"], deleted) {
		t.Errorf("retry: %v", got)
	}
}

func TestNestedScopesAndData(t *testing.T) {
	e := newEnv(t)
	prog := func(withOld bool) program {
		return func(ctx context.Context, s *engine.Scope) error {
			top, err := apply(ctx, s, "test::Thing", "top", obj("data", obj("token", "kept")))
			if err != nil {
				return err
			}
			backend, err := s.Nested(ctx, "backend", engine.ScopeOptions{})
			if err != nil {
				return err
			}
			if err := backend.Ready(ctx); err != nil {
				return err
			}
			if _, err := apply(ctx, backend, "test::Thing", "api", obj("uses", top)); err != nil {
				return err
			}
			if withOld {
				if _, err := apply(ctx, backend, "test::Thing", "old", obj()); err != nil {
					return err
				}
			}
			return backend.Finalize(ctx)
		}
	}
	e.mustRunUp(prog(true))
	marker := e.recordOf(stagePath(), "backend")
	if marker.Kind != state.KindScope || !slices.Equal(marker.Layout(), state.LayoutScopeMarker) || marker.FQN != "" {
		t.Fatalf("marker %+v", marker)
	}
	api := e.recordOf(stagePath("backend"), "api")
	if !slices.Equal(api.DependsOn, []string{"app/dev/top"}) {
		t.Errorf("dependsOn = %q", api.DependsOn)
	}
	top := e.recordOf(stagePath(), "top")
	if tok, _ := top.Data.GetString("token"); tok != "kept" {
		t.Errorf("data not kept: %v", top.Data.Keys())
	}
	if n, _ := top.Data.GetNumber("calls"); n != 1 {
		t.Errorf("calls = %v", n)
	}
	before := snapshot(t, filepath.Join(e.dotDir, "app", "dev", "backend.json"))

	// The nested scope deletes its orphan when it ends, before the stage
	// finalizes; its marker is not rewritten.
	got := actions(e.mustRunUp(prog(false)))
	if !slices.Equal(got["app/dev/backend/old"], deleted) || !slices.Equal(got["app/dev/backend/api"], skipped) {
		t.Errorf("actions %v", got)
	}
	sameSnapshot(t, before, snapshot(t, filepath.Join(e.dotDir, "app", "dev", "backend.json")))

	// Dropping the whole scope deletes its contents and its marker.
	got = actions(e.mustRunUp(func(ctx context.Context, s *engine.Scope) error {
		_, err := apply(ctx, s, "test::Thing", "top", obj("data", obj("token", "kept")))
		return err
	}))
	if !slices.Equal(got["app/dev/backend/api"], deleted) {
		t.Errorf("actions %v", got)
	}
	if r := e.recordOf(stagePath(), "backend"); r != nil {
		t.Error("marker left")
	}
	if _, err := os.Stat(filepath.Join(e.dotDir, "app", "dev", "backend")); !os.IsNotExist(err) {
		t.Error("scope folder left")
	}
}

func TestStartErrors(t *testing.T) {
	e := newEnv(t)
	app := e.open(engine.AppOptions{})
	ctx := context.Background()
	s := app.Stage()
	if _, err := s.Start(ctx, "test::Thing", "x", obj()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(ctx, "test::Thing", "x", obj()); err == nil || !strings.Contains(err.Error(), "declared twice") {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := s.Nested(ctx, "x", engine.ScopeOptions{}); err == nil || !strings.Contains(err.Error(), "cannot share a name") {
		t.Errorf("scope named like a resource: %v", err)
	}
	if _, err := s.Start(ctx, "test::Thing", "a:b", obj()); err == nil {
		t.Error("colon in id accepted")
	}
	if _, err := s.Start(ctx, "test::Thing", "", obj()); err == nil {
		t.Error("empty id accepted")
	}
	if _, err := apply(ctx, s, "nope::Kind", "y", obj()); err == nil || !strings.Contains(err.Error(), `"nope::Kind"`) {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := app.Root().Start(ctx, "test::Thing", "z", obj()); err == nil {
		t.Error("resource in the app scope accepted")
	}
	if _, err := e.engine().Open(ctx, engine.AppOptions{Name: "app", Stage: "dev", Phase: "sideways"}); err == nil {
		t.Error("bad phase accepted")
	}
	// A scope whose name is taken by a resource in state fails.
	if _, err := apply(ctx, s, "test::Thing", "clash", obj()); err != nil {
		t.Fatal(err)
	}
	app.Close()
	app = e.open(engine.AppOptions{})
	clash, err := app.Stage().Nested(ctx, "clash", engine.ScopeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := clash.Ready(ctx); err == nil || !strings.Contains(err.Error(), "conflicts") {
		t.Errorf("scope over a resource: %v", err)
	}
}

func TestParallelCreationKeepsCallOrder(t *testing.T) {
	e := newEnv(t)
	const n = 200
	e.mustRunUp(func(ctx context.Context, s *engine.Scope) error {
		handles := make([]*engine.Handle, n)
		for i := range handles {
			h, err := s.Start(ctx, "test::Thing", "r"+value.FormatNumber(float64(i)), obj("delay", 5))
			if err != nil {
				return err
			}
			handles[i] = h
		}
		for i, h := range handles {
			out, err := h.Wait(ctx)
			if err != nil {
				return err
			}
			if seq, _ := out.GetNumber(value.KeySeq); int(seq) != i || h.Seq != i {
				t.Errorf("r%d has seq %v", i, seq)
			}
		}
		return nil
	})
	if e.things.maxActive < 2 {
		t.Errorf("creates never overlapped (max %d at once)", e.things.maxActive)
	}
	ids, _ := e.store().List(context.Background(), stagePath())
	if len(ids) != n {
		t.Errorf("%d records", len(ids))
	}
}

// TestChildResources: resources created inside a handler live in the child
// scope [..., id], are deleted after their parent, and their orphans go
// when the parent's handler runs again.
func TestChildResources(t *testing.T) {
	e := newEnv(t)
	parent := &parentProvider{}
	if err := e.reg.Register("test::Parent", parent); err != nil {
		t.Fatal(err)
	}
	run := func(kids ...string) []engine.Event {
		return e.mustRunUp(func(ctx context.Context, s *engine.Scope) error {
			arr := value.Array{}
			for _, k := range kids {
				arr = append(arr, value.String(k))
			}
			_, err := apply(ctx, s, "test::Parent", "p", obj("kids", arr))
			return err
		})
	}
	run("k1", "k2")
	if e.recordOf(stagePath("p"), "k2") == nil {
		t.Fatal("child record missing")
	}
	got := actions(run("k1"))
	if !slices.Equal(got["app/dev/p/k2"], deleted) || !slices.Equal(got["app/dev/p"], updated) {
		t.Errorf("actions %v", got)
	}
	e.things.Reset()
	app := e.open(engine.AppOptions{Phase: engine.PhaseDestroy})
	if err := app.Destroy(context.Background()); err != nil {
		t.Fatal(err)
	}
	app.Close()
	calls := append(parent.deletes(), e.things.Calls()...)
	if !slices.Equal(calls, []string{"delete app/dev/p", "delete app/dev/p/k1"}) {
		t.Errorf("delete order %q", calls)
	}
}

type parentProvider struct {
	mu  sync.Mutex
	log []string
}

func (p *parentProvider) deletes() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.log)
}

func (p *parentProvider) make(ctx context.Context, req *engine.Request) (*value.Object, error) {
	props := req.Props.(*value.Object)
	kids, _ := props.Get("kids")
	var first value.Value = value.Null{}
	for i, k := range kids.(value.Array) {
		out, err := apply(ctx, req.Scope, "test::Thing", string(k.(value.String)), obj())
		if err != nil {
			return nil, err
		}
		if i == 0 {
			first = out
		}
	}
	return obj("first", first), nil
}

func (p *parentProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return p.make(ctx, req)
}

func (p *parentProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return p.make(ctx, req)
}

func (p *parentProvider) Delete(ctx context.Context, req *engine.Request) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.log = append(p.log, "delete "+req.FQN)
	return nil
}

// modeProvider is a provider with the optional interfaces: it may always
// update, decides changes with Diff, and refreshes its output in read phase.
type modeProvider struct {
	always bool
	change engine.Change
	mu     sync.Mutex
	calls  []string
}

func (p *modeProvider) note(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls = append(p.calls, s)
}

func (p *modeProvider) AlwaysUpdate() bool { return p.always }
func (p *modeProvider) Diff(ctx context.Context, req *engine.Request) (engine.Change, error) {
	p.note("diff")
	return p.change, nil
}
func (p *modeProvider) Read(ctx context.Context, req *engine.Request) (*value.Object, error) {
	p.note("read")
	return obj("fresh", true), nil
}
func (p *modeProvider) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	p.note("create")
	return obj("v", req.Props), nil
}
func (p *modeProvider) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	p.note("update")
	return obj("v", req.Props), nil
}
func (p *modeProvider) Delete(ctx context.Context, req *engine.Request) error {
	p.note("delete")
	return nil
}

func TestForceAlwaysUpdateDiffRead(t *testing.T) {
	e := newEnv(t)
	mode := &modeProvider{}
	e.reg.Register("test::Mode", mode)
	run := func(opts engine.AppOptions, props *value.Object) ([]engine.Event, *value.Object) {
		var out *value.Object
		events, err := e.runUp(opts, func(ctx context.Context, s *engine.Scope) error {
			var err error
			out, err = apply(ctx, s, "test::Mode", "m", props)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return events, out
	}
	run(engine.AppOptions{}, obj("x", 1))
	ev, _ := run(engine.AppOptions{Force: true}, obj("x", 1))
	if got := actions(ev)["app/dev/m"]; !slices.Equal(got, updated) {
		t.Errorf("--force: %v", got)
	}
	mode.always = true
	ev, _ = run(engine.AppOptions{}, obj("x", 1))
	if got := actions(ev)["app/dev/m"]; !slices.Equal(got, updated) {
		t.Errorf("always update: %v", got)
	}
	mode.always = false
	mode.change = engine.ChangeNone
	mode.calls = nil
	_, out := run(engine.AppOptions{}, obj("x", 2))
	if !slices.Equal(mode.calls, []string{"diff"}) {
		t.Errorf("ChangeNone called %q", mode.calls)
	}
	if v, _ := out.Get("v"); !value.Equal(v, obj("x", 1)) {
		t.Errorf("ChangeNone output %v", v)
	}
	if r := e.recordOf(stagePath(), "m"); !value.Equal(r.Props, obj("x", 2)) {
		t.Errorf("ChangeNone did not record the new props")
	}
	mode.calls = nil
	_, out = run(engine.AppOptions{Phase: engine.PhaseRead}, obj("x", 3))
	if fresh, _ := out.GetBool("fresh"); !fresh || !slices.Equal(mode.calls, []string{"read"}) {
		t.Errorf("read phase: %v, calls %q", out.Keys(), mode.calls)
	}
	if k, _ := out.GetString(value.KeyKind); k != "test::Mode" {
		t.Error("read output without identity")
	}
}

func TestSecretsNeverInPlaintext(t *testing.T) {
	e := newEnv(t)
	var out bytes.Buffer
	text := engine.NewTextReporter(&out, engine.TextOptions{})
	app := e.open(engine.AppOptions{}, text)
	ctx := context.Background()
	sec := value.NewSecret("super-secret-value-42")
	first, err := apply(ctx, app.Stage(), "test::Thing", "holder", obj("token", sec, "list", []any{&value.Secret{Value: obj("nested", "super-secret-value-42")}}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := apply(ctx, app.Stage(), "test::Thing", "user", obj("from", first, "immutable", "a")); err != nil {
		t.Fatal(err)
	}
	app.Close()
	// Replace user so that the secret also lands in pendingDeletions.
	app = e.open(engine.AppOptions{}, text)
	first, _ = apply(ctx, app.Stage(), "test::Thing", "holder", obj("token", sec, "list", []any{&value.Secret{Value: obj("nested", "super-secret-value-42")}}))
	if _, err := apply(ctx, app.Stage(), "test::Thing", "user", obj("from", first, "immutable", "b")); err != nil {
		t.Fatal(err)
	}
	app.Close()
	files := snapshot(t, e.dotDir)
	if len(files) < 3 {
		t.Fatalf("files %q", keys(files))
	}
	for name, f := range files {
		if bytes.Contains(f.data, []byte("super-secret")) {
			t.Errorf("%s holds the secret in plaintext", name)
		}
	}
	if strings.Contains(out.String(), "super-secret") {
		t.Error("output shows the secret")
	}
	if r := e.recordOf(state.Path{"app"}, "dev"); r == nil || !r.Data.Has("pendingDeletions") {
		t.Error("no pending deletion recorded")
	}
}

func TestFailedLine(t *testing.T) {
	err := &engine.ResourceError{FQN: "app/dev/backend/db", Op: engine.OpCreate, Err: errors.New("quota exceeded")}
	ev := engine.Event{Action: engine.ActionFailed, FQN: "app/dev/backend/db", Err: err}
	if got := ev.Line(); got != "[failed]    backend > db Failed to create: quota exceeded" {
		t.Errorf("line %q", got)
	}
	ev.Err = errors.New("boom")
	if got := ev.Line(); got != "[failed]    backend > db Failed: boom" {
		t.Errorf("line %q", got)
	}
}
