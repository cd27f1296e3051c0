package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

// fixtureNote is fixture::Note of the fixture's program.mjs:
// this({...props, at: new Date("2025-01-01T00:00:00Z"), writes: (this.output?.writes ?? 0) + 1})
type fixtureNote struct{ calls int }

func (n *fixtureNote) handle(req *engine.Request) (*value.Object, error) {
	n.calls++
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

func (n *fixtureNote) Create(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return n.handle(req)
}
func (n *fixtureNote) Update(ctx context.Context, req *engine.Request) (*value.Object, error) {
	return n.handle(req)
}
func (n *fixtureNote) Delete(ctx context.Context, req *engine.Request) error { return nil }

// copyFixture copies the fixture's fixture::Note records and scope markers
// (the Cloudflare records belong to the Cloudflare provider).
func copyFixture(t *testing.T, dot string) {
	t.Helper()
	src := "../testdata/state/alchemy-0.94/fixture-app/prod"
	for _, f := range []string{"top.json", "backend.json", "backend/inner.json", "backend/deeper.json", "backend/deeper/deepest.json"} {
		data, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dot, "fixture-app", "prod", f)
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFixtureNotesSkipped runs the fixture's program without its Cloudflare
// resources against the state the TypeScript library wrote: every resource is
// skipped and no file is rewritten.
func TestFixtureNotesSkipped(t *testing.T) {
	root := t.TempDir()
	dot := filepath.Join(root, ".alchemy")
	copyFixture(t, dot)
	before := snapshot(t, dot)

	note := &fixtureNote{}
	reg := engine.NewRegistry()
	reg.Register("fixture::Note", note)
	rec := &engine.Recorder{}
	eng := engine.New(engine.Config{Store: state.NewFileStore(dot, state.NewCodec("fixture-password")), Registry: reg, Reporter: rec})
	ctx := context.Background()
	app, err := eng.Open(ctx, engine.AppOptions{Name: "fixture-app", Stage: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	s := app.Stage()
	top, err := apply(ctx, s, "fixture::Note", "top", obj("text", "top-level", "tags", []any{"a", "b"}, "nested", obj("n", 1, "ok", true)))
	if err != nil {
		t.Fatal(err)
	}
	backend, _ := s.Nested(ctx, "backend", engine.ScopeOptions{})
	inner, err := apply(ctx, backend, "fixture::Note", "inner", obj("text", "in backend", "token", value.NewSecret("hush-hush")))
	if err != nil {
		t.Fatal(err)
	}
	deeper, _ := backend.Nested(ctx, "deeper", engine.ScopeOptions{})
	if _, err := apply(ctx, deeper, "fixture::Note", "deepest", obj("text", "two levels down", "ref", top)); err != nil {
		t.Fatal(err)
	}
	for _, sc := range []*engine.Scope{deeper, backend} {
		if err := sc.Finalize(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := app.Finalize(ctx); err != nil {
		t.Fatal(err)
	}
	app.Close()

	if note.calls != 0 {
		t.Errorf("handler ran %d times", note.calls)
	}
	got := actions(rec.Events())
	want := map[string]A{
		"fixture-app/prod/top":                    skipped,
		"fixture-app/prod/backend/inner":          skipped,
		"fixture-app/prod/backend/deeper/deepest": skipped,
	}
	if !mapsEqual(got, want) {
		t.Errorf("actions %v", got)
	}
	after := snapshot(t, dot)
	delete(after, "fixture-app/prod.lock")
	sameSnapshot(t, before, after)

	// The stored output comes back with its secret decrypted and its
	// identity symbols.
	tok, _ := inner.Get("token")
	if s, ok := tok.(*value.Secret); !ok || s.Value != value.String("hush-hush") {
		t.Errorf("inner token %v", tok)
	}
	if !slices.Equal(top.Keys()[:5], []string{value.KeyKind, value.KeyID, value.KeyFQN, value.KeyScope, value.KeySeq}) {
		t.Errorf("top output keys %q", top.Keys())
	}
}

// TestFixtureNoteChangeUpdatesOnly checks that a changed prop updates the
// one resource and that resources embedding its output follow.
func TestFixtureNoteChangeUpdatesOnly(t *testing.T) {
	root := t.TempDir()
	dot := filepath.Join(root, ".alchemy")
	copyFixture(t, dot)
	reg := engine.NewRegistry()
	reg.Register("fixture::Note", &fixtureNote{})
	rec := &engine.Recorder{}
	eng := engine.New(engine.Config{Store: state.NewFileStore(dot, state.NewCodec("fixture-password")), Registry: reg, Reporter: rec})
	ctx := context.Background()
	app, err := eng.Open(ctx, engine.AppOptions{Name: "fixture-app", Stage: "prod"})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	s := app.Stage()
	top, err := apply(ctx, s, "fixture::Note", "top", obj("text", "changed", "tags", []any{"a", "b"}, "nested", obj("n", 1, "ok", true)))
	if err != nil {
		t.Fatal(err)
	}
	if w, _ := top.GetNumber("writes"); w != 2 {
		t.Errorf("writes = %v (this.output.writes + 1)", w)
	}
	backend, _ := s.Nested(ctx, "backend", engine.ScopeOptions{})
	apply(ctx, backend, "fixture::Note", "inner", obj("text", "in backend", "token", value.NewSecret("hush-hush")))
	deeper, _ := backend.Nested(ctx, "deeper", engine.ScopeOptions{})
	apply(ctx, deeper, "fixture::Note", "deepest", obj("text", "two levels down", "ref", top))
	got := actions(rec.Events())
	want := map[string]A{
		"fixture-app/prod/top":                    updated,
		"fixture-app/prod/backend/inner":          skipped,
		"fixture-app/prod/backend/deeper/deepest": updated,
	}
	if !mapsEqual(got, want) {
		t.Errorf("actions %v", got)
	}
}
