package fs_test

import (
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/engine"
	fsprov "github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/value"
)

// TestProvidersFollowTheirSchemas applies File and Folder with their fewest and with every prop, and
// checks the outputs against the schemas: each output field is listed, each required one is there, each
// listed one shows up; and every prop is given by some case, so the providers are seen to accept it.
func TestProvidersFollowTheirSchemas(t *testing.T) {
	p := newProject(t)
	decls := []decl{
		{fsprov.KindFile, "notes.txt", value.Obj("content", value.String("hi"))},
		{fsprov.KindFile, "readme", value.Obj("path", value.String("docs/README.md"), "content", value.String("# docs"))},
		{fsprov.KindFolder, "cache", nil},
		{fsprov.KindFolder, "out", value.Obj("path", value.String("build/out"), "delete", value.Bool(true),
			"clean", value.Bool(true), "recursive", value.Bool(true))},
	}
	outs, err := p.run(engine.PhaseUp, decls...)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range fsprov.Schemas() {
		seen, given := map[string]bool{}, map[string]bool{}
		for _, d := range decls {
			if d.kind != s.Kind {
				continue
			}
			props, _ := d.props.(*value.Object)
			for _, k := range props.Keys() {
				given[k] = true
			}
			out := outs[d.id]
			for _, k := range out.Keys() {
				if value.IsSymbolKey(k) {
					continue
				}
				seen[k] = true
				if _, ok := s.OutputField(k); !ok {
					t.Errorf("%s %s: output field %q is not in the schema", s.Kind, d.id, k)
				}
			}
			for _, f := range s.Output {
				if f.Required && !out.Has(f.Name) {
					t.Errorf("%s %s: output lacks the required field %q", s.Kind, d.id, f.Name)
				}
			}
		}
		for _, f := range s.Output {
			if !seen[f.Name] {
				t.Errorf("%s: no case produced the output field %q", s.Kind, f.Name)
			}
		}
		for _, f := range s.Props {
			if !given[f.Name] {
				t.Errorf("%s: no case gives the prop %q", s.Kind, f.Name)
			}
		}
	}
}

// TestPropsAreChecked: a prop the kind does not have, or a missing required one, fails naming the
// resource and the field.
func TestPropsAreChecked(t *testing.T) {
	tests := []struct {
		kind  string
		props value.Value
		want  string
	}{
		{fsprov.KindFile, value.Obj("content", value.String("x"), "contents", value.String("y")), `fs::File "it": prop contents: unknown (did you mean content?)`},
		{fsprov.KindFile, value.Obj("path", value.String("a.txt")), `fs::File "it": prop content: is required`},
		{fsprov.KindFolder, value.Obj("recurse", value.Bool(true)), `fs::Folder "it": prop recurse: unknown`},
	}
	for _, tt := range tests {
		p := newProject(t)
		_, err := p.run(engine.PhaseUp, decl{tt.kind, "it", tt.props})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %v: error %v, want %q", tt.kind, tt.props, err, tt.want)
		}
	}
}
