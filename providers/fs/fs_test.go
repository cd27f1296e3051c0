package fs_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	fsprov "github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/state"
	"github.com/alchemy-go/alchemy/value"
)

type project struct {
	t    *testing.T
	root string
	reg  *engine.Registry
}

func newProject(t *testing.T) *project {
	root := t.TempDir()
	reg := engine.NewRegistry()
	if err := fsprov.Register(reg, root); err != nil {
		t.Fatal(err)
	}
	return &project{t: t, root: root, reg: reg}
}

type decl struct {
	kind, id string
	props    value.Value
}

// run applies the declarations and finalizes, returning outputs by id.
func (p *project) run(phase engine.Phase, decls ...decl) (map[string]*value.Object, error) {
	p.t.Helper()
	ctx := context.Background()
	store := state.NewFileStore(filepath.Join(p.root, ".alchemy"), state.NewCodec(""))
	app, err := engine.New(engine.Config{Store: store, Registry: p.reg}).Open(ctx, engine.AppOptions{Name: "app", Stage: "dev", Phase: phase})
	if err != nil {
		return nil, err
	}
	defer app.Close()
	if phase == engine.PhaseDestroy {
		return nil, app.Destroy(ctx)
	}
	outs := map[string]*value.Object{}
	for _, d := range decls {
		h, err := app.Stage().Start(ctx, d.kind, d.id, d.props)
		if err != nil {
			return nil, err
		}
		out, err := h.Wait(ctx)
		if err != nil {
			return nil, err
		}
		outs[d.id] = out
	}
	return outs, app.Finalize(ctx)
}

func (p *project) read(rel string) string {
	data, err := os.ReadFile(filepath.Join(p.root, rel))
	if err != nil {
		return "<missing>"
	}
	return string(data)
}

func file(id, path, content string) decl {
	return decl{fsprov.KindFile, id, value.Obj("path", value.String(path), "content", value.String(content))}
}

func TestFile(t *testing.T) {
	p := newProject(t)
	outs, err := p.run(engine.PhaseUp, file("cfg", "conf/app.txt", "v1"))
	if err != nil {
		t.Fatal(err)
	}
	if got := p.read("conf/app.txt"); got != "v1" {
		t.Fatalf("content %q", got)
	}
	out := outs["cfg"]
	if path, _ := out.GetString("path"); path != "conf/app.txt" {
		t.Errorf("output path %q", path)
	}
	if c, _ := out.GetString("content"); c != "v1" {
		t.Errorf("output content %q", c)
	}

	if _, err := p.run(engine.PhaseUp, file("cfg", "conf/app.txt", "v2")); err != nil {
		t.Fatal(err)
	}
	if got := p.read("conf/app.txt"); got != "v2" {
		t.Errorf("updated content %q", got)
	}

	// A new path replaces the file: the new one is written, the old one is
	// removed at finalize.
	if _, err := p.run(engine.PhaseUp, file("cfg", "moved.txt", "v2")); err != nil {
		t.Fatal(err)
	}
	if p.read("moved.txt") != "v2" || p.read("conf/app.txt") != "<missing>" {
		t.Errorf("after move: new %q, old %q", p.read("moved.txt"), p.read("conf/app.txt"))
	}

	// Without path, the id is the path.
	if _, err := p.run(engine.PhaseUp, file("cfg", "moved.txt", "v2"),
		decl{fsprov.KindFile, "plain.txt", value.Obj("content", value.String("by id"))}); err != nil {
		t.Fatal(err)
	}
	if p.read("plain.txt") != "by id" {
		t.Errorf("id as path: %q", p.read("plain.txt"))
	}

	if _, err := p.run(engine.PhaseDestroy); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"moved.txt", "plain.txt"} {
		if p.read(f) != "<missing>" {
			t.Errorf("%s survived destroy", f)
		}
	}
}

func TestFileBadProps(t *testing.T) {
	p := newProject(t)
	_, err := p.run(engine.PhaseUp, decl{fsprov.KindFile, "bad", value.Obj("path", value.String("x.txt"), "content", value.Number(3))})
	if err == nil || !strings.Contains(err.Error(), `"bad"`) || !strings.Contains(err.Error(), "content") {
		t.Errorf("err = %v", err)
	}
	_, err = p.run(engine.PhaseUp, decl{fsprov.KindFile, "bad2", value.Obj("path", value.Bool(true), "content", value.String("x"))})
	if err == nil || !strings.Contains(err.Error(), "path") {
		t.Errorf("err = %v", err)
	}
}

func TestFolder(t *testing.T) {
	p := newProject(t)
	folder := func(id string, kv ...any) decl {
		return decl{fsprov.KindFolder, id, value.Obj(kv...)}
	}
	_, err := p.run(engine.PhaseUp,
		folder("uploads"),
		folder("logs", "path", value.String("var/log/app")),
		folder("kept", "path", value.String("kept"), "delete", value.Bool(false)),
		folder("full", "path", value.String("full"), "clean", value.Bool(true)),
		folder("busy", "path", value.String("busy")),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"uploads", "var/log/app", "kept", "full", "busy"} {
		if info, err := os.Stat(filepath.Join(p.root, d)); err != nil || !info.IsDir() {
			t.Errorf("%s: %v", d, err)
		}
	}
	for _, f := range []string{"full/a.txt", "busy/b.txt"} {
		os.WriteFile(filepath.Join(p.root, f), []byte("x"), 0o644)
	}
	if _, err := p.run(engine.PhaseDestroy); err != nil {
		t.Fatal(err)
	}
	exists := func(d string) bool { _, err := os.Stat(filepath.Join(p.root, d)); return err == nil }
	if exists("uploads") || exists("var/log/app") || exists("full") {
		t.Error("folders left after destroy")
	}
	if !exists("kept") || !exists("busy/b.txt") {
		t.Error("kept folder (delete: false) or non-empty folder (no clean) removed")
	}
}
