package engine_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// The golden state was written by the TypeScript library running
// testdata/state/alchemy-0.94/golden/gen/golden.mjs; these tests run the same
// program against the engine and compare the files byte for byte.
const goldenDir = "../testdata/state/alchemy-0.94/golden"

// goldenNote is golden::Note of golden.mjs.
type goldenNote struct{ step int }

func (n *goldenNote) handle(req *engine.Request) (*value.Object, error) {
	props, _ := req.Props.(*value.Object)
	if f, ok := props.GetNumber("fail"); ok && int(f) == n.step {
		return nil, fmt.Errorf("note %s fails in step %d", req.ID, n.step)
	}
	if req.Op == engine.OpUpdate {
		prev, _ := req.Output.Get("immutable")
		next, _ := props.Get("immutable")
		if !value.Equal(prev, next) {
			return nil, engine.ErrReplace
		}
	}
	// The library drops what this.set stores (it rewrites the record from
	// disk); the engine keeps it, so the replay stores nothing to stay
	// comparable.
	out := value.NewObject(0)
	for k, v := range props.All {
		out.Set(k, v)
	}
	out.Set("at", value.Date{Millis: 1735689600000})
	out.Set("step", value.Number(n.step))
	return out, nil
}

func (n *goldenNote) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return n.handle(req)
}
func (n *goldenNote) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return n.handle(req)
}
func (n *goldenNote) Delete(ctx context.Context, req *engine.Request) error { return nil }

// goldenParent is golden::Parent of golden.mjs.
type goldenParent struct{}

func (goldenParent) handle(ctx context.Context, req *engine.Request) (*value.Object, error) {
	children, _ := req.Props.(*value.Object).Get("children")
	var kids []*value.Object
	for _, c := range children.(value.Array) {
		name := string(c.(value.String))
		out, err := apply(ctx, req.Scope, "golden::Note", name, obj("text", "child "+name))
		if err != nil {
			return nil, err
		}
		kids = append(kids, out)
	}
	return obj("count", len(kids), "first", kids[0]), nil
}

func (p goldenParent) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return p.handle(ctx, req)
}
func (p goldenParent) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return p.handle(ctx, req)
}
func (goldenParent) Delete(ctx context.Context, req *engine.Request) error { return nil }

func immutable(step int) string {
	if step >= 3 && step != 5 {
		return "v2"
	}
	return "v1"
}

// goldenA is the props of "a", in the order of the program's object literal.
func goldenA(step int) *value.Object {
	return obj(
		"text", "alpha",
		"n", 1.5,
		"big", 1e21,
		"bigish", 123456789012345680000.0,
		"small", 1e-7,
		"tiny", 0.000001,
		"negzero", value.Number(negZero()),
		"int", 42,
		"tags", []any{"x", "y"},
		"nested", obj("ok", true, "none", nil, "arr", []any{1, "two", obj("three", 3)}),
		"empty", obj(),
		"emptyArr", []any{},
		"when", value.Date{Millis: 1709209845678},
		"buf", value.Buffer("hello buffer"),
		"sym", value.Symbol("golden::sym"),
		"10", "ten",
		"2", "two",
		"zeta", "z",
		"unicode", "héllo \u2028 <tag> & \"quoted\" \\ back\nline\ttab\u0001",
		"immutable", immutable(step),
	)
}

func negZero() float64 {
	z := 0.0
	return -z
}

// goldenProgram is golden.mjs for one step.
func goldenProgram(step int, finalize bool) func(ctx context.Context, app *engine.App) error {
	note := func(ctx context.Context, s *engine.Scope, id string, props value.Value) (*value.Object, error) {
		return apply(ctx, s, "golden::Note", id, props)
	}
	return func(ctx context.Context, app *engine.App) error {
		s := app.Stage()
		a, err := note(ctx, s, "a", goldenA(step))
		if err != nil {
			return err
		}
		text := "beta"
		if step >= 2 {
			text = "beta changed"
		}
		bProps := obj("text", text, "ref", a)
		if step == 4 {
			bProps.Set("fail", value.Number(4))
		}
		b, err := note(ctx, s, "b", bProps)
		if err != nil && step != 4 {
			return err
		}
		if step == 4 {
			note(ctx, s, "flaky", obj("fail", 4))
		}
		if _, err := note(ctx, s, "noprops", nil); err != nil {
			return err
		}
		if _, err := note(ctx, s, "secretive", obj(
			"token", value.NewSecret("golden-token"),
			"obj", &value.Secret{Value: obj("user", "u", "pass", 1)},
		)); err != nil {
			return err
		}
		outer, err := s.Nested(ctx, "outer", engine.ScopeOptions{})
		if err != nil {
			return err
		}
		innerProps := obj("text", "in outer")
		if b != nil {
			innerProps.Set("ref", b)
		}
		if _, err := note(ctx, outer, "inner", innerProps); err != nil {
			return err
		}
		deeper, err := outer.Nested(ctx, "deeper", engine.ScopeOptions{})
		if err != nil {
			return err
		}
		if _, err := note(ctx, deeper, "deepest", obj("text", "deep")); err != nil {
			return err
		}
		if err := deeper.Finalize(ctx); err != nil {
			return err
		}
		if step < 2 {
			if _, err := note(ctx, outer, "transient", obj("text", "gone in step 2")); err != nil {
				return err
			}
		}
		if _, err := note(ctx, outer, "innerrep", obj("immutable", immutable(step))); err != nil {
			return err
		}
		if err := outer.Finalize(ctx); err != nil {
			return err
		}
		kids := []any{"k1", "k2"}
		if step >= 2 {
			kids = []any{"k1"}
		}
		if _, err := apply(ctx, s, "golden::Parent", "parent", obj("children", kids)); err != nil {
			return err
		}
		if !finalize {
			return nil
		}
		return app.Finalize(ctx)
	}
}

var (
	envelopeField = regexp.MustCompile(`"(ciphertext|iv|salt|tag)": "[^"]*"`)
	dependsOnTail = regexp.MustCompile(`(?s),\n  "dependsOn": \[\n.*?\n  \]\n\}$`)
)

// withoutDependsOn removes the record field this project adds after the
// library's fields, returning the dependencies it listed.
func withoutDependsOn(data []byte) ([]byte, bool) {
	loc := dependsOnTail.FindIndex(data)
	if loc == nil {
		return data, false
	}
	return append(append([]byte(nil), data[:loc[0]]...), "\n}"...), true
}

// redactEnvelopes hides the random parts of encrypted secrets; their shape
// stays.
func redactEnvelopes(data []byte) []byte {
	return envelopeField.ReplaceAll(data, []byte(`"$1": "…"`))
}

// compareTrees compares every record file of two state directories.
func compareTrees(t *testing.T, want, got string) {
	t.Helper()
	wantFiles := snapshot(t, want)
	gotFiles := snapshot(t, got)
	delete(gotFiles, "golden.lock")
	if !slices.Equal(keys(wantFiles), keys(gotFiles)) {
		t.Fatalf("files differ:\n got %q\nwant %q", keys(gotFiles), keys(wantFiles))
	}
	for name, w := range wantFiles {
		g := gotFiles[name]
		gotData, hasDeps := withoutDependsOn(g.data)
		// Exactly the records whose props embed another resource list it.
		if embeds := refInProps(t, w.data); hasDeps != embeds {
			t.Errorf("%s: dependsOn written %v, props reference a resource %v", name, hasDeps, embeds)
		}
		if !bytes.Equal(redactEnvelopes(gotData), redactEnvelopes(w.data)) {
			t.Errorf("%s differs\n--- got\n%s\n--- want\n%s", name, g.data, w.data)
		}
	}
}

// refInProps reports whether the props of a serialized record embed a
// resource output.
func refInProps(t *testing.T, data []byte) bool {
	v, err := value.UnmarshalPlain(data)
	if err != nil {
		t.Fatal(err)
	}
	props, _ := v.(*value.Object).Get("props")
	return len(value.References(props)) > 0
}

// logLines reads the resource lines of a library log.
func logLines(t *testing.T, name string, keep func(string) bool) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if strings.HasPrefix(l, "[") && keep(l) {
			out = append(out, l)
		}
	}
	return out
}

func all(string) bool { return true }

func TestGoldenParityWithTypeScript(t *testing.T) {
	root := t.TempDir()
	dot := filepath.Join(root, ".alchemy")
	note := &goldenNote{}
	reg := engine.NewRegistry()
	reg.Register("golden::Note", note)
	reg.Register("golden::Parent", goldenParent{})
	rec := &engine.Recorder{}
	newApp := func(phase engine.Phase, strategy engine.DestroyStrategy) *engine.App {
		store := state.NewFileStore(dot, state.NewCodec("golden-password"))
		eng := engine.New(engine.Config{Store: store, Registry: reg, Reporter: rec})
		app, err := eng.Open(context.Background(), engine.AppOptions{Name: "golden-app", Stage: "golden", Phase: phase, DestroyStrategy: strategy})
		if err != nil {
			t.Fatal(err)
		}
		return app
	}
	steps := []struct {
		snapshot string
		step     int
		finalize bool
		keep     func(string) bool
	}{
		{"step1", 1, true, all},
		{"step2", 2, true, all},
		{"step3-nofinalize", 3, false, all},
		{"step3", 3, true, all},
		// The library logs the failures with other words; compare the rest.
		{"step4-fail", 4, true, all},
	}
	for _, st := range steps {
		t.Run(st.snapshot, func(t *testing.T) {
			note.step = st.step
			rec.Reset()
			app := newApp(engine.PhaseUp, engine.StrategyDefault)
			err := goldenProgram(st.step, st.finalize)(context.Background(), app)
			app.Close()
			if err != nil {
				t.Fatal(err)
			}
			compareTrees(t, filepath.Join(goldenDir, st.snapshot, "golden-app"), filepath.Join(dot, "golden-app"))
			var got []string
			for _, l := range lines(rec.Events()) {
				if !strings.HasPrefix(l, "[failed]") && !strings.HasPrefix(l, "WARN") {
					got = append(got, l)
				}
			}
			if want := logLines(t, st.snapshot+".log", st.keep); !slices.Equal(got, want) {
				t.Errorf("output:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if st.step == 4 && !app.Failed() {
				t.Error("step 4 did not fail")
			}
		})
	}
	t.Run("destroy", func(t *testing.T) {
		rec.Reset()
		app := newApp(engine.PhaseDestroy, engine.StrategySequential)
		err := app.Destroy(context.Background())
		app.Close()
		if err != nil {
			t.Fatal(err)
		}
		// One at a time in reverse seq order: exactly the library's order.
		if got, want := lines(rec.Events()), logLines(t, "destroy.log", all); !slices.Equal(got, want) {
			t.Errorf("output:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		left := snapshot(t, dot)
		delete(left, "golden-app/golden.lock")
		if len(left) != 0 {
			t.Errorf("left after destroy: %q", keys(left))
		}
		if _, err := os.Stat(filepath.Join(dot, "golden-app")); err != nil {
			t.Errorf("the app folder stays, as in the library: %v", err)
		}
	})
}

// TestStepFourFailureIsInState checks the records a failed create and a
// failed update leave: the library's exact shapes.
func TestStepFourFailureIsInState(t *testing.T) {
	for _, name := range []string{"b.json", "flaky.json"} {
		data, err := os.ReadFile(filepath.Join(goldenDir, "step4-fail/golden-app/golden", name))
		if err != nil {
			t.Fatal(err)
		}
		rec, err := state.NewCodec("golden-password").DecodeRecord(data)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]state.Status{"b.json": state.StatusUpdating, "flaky.json": state.StatusCreating}[name]
		if rec.Status != want || rec.OldProps == nil {
			t.Errorf("%s: %s, oldProps %v", name, rec.Status, rec.OldProps)
		}
	}
	if errors.Is(nil, engine.ErrReplace) {
		t.Fatal("unreachable")
	}
}
