package types_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/alchemy-go/alchemy/jsapi"
	"github.com/alchemy-go/alchemy/local/worker"
	"github.com/alchemy-go/alchemy/providers/cloudflare"
	"github.com/alchemy-go/alchemy/providers/fs"
	"github.com/alchemy-go/alchemy/providers/schema"
	"github.com/alchemy-go/alchemy/runtime"
	"github.com/alchemy-go/alchemy/runtime/nodelib"
	"github.com/alchemy-go/alchemy/testrun"
	"github.com/alchemy-go/alchemy/types"
)

// The declarations and the binary cannot drift apart: these tests compare what types/*.d.ts declares
// with what the binary serves, read from the same registries the binary runs with, in both directions.
// A module, an export, a prop or an output field added on one side only fails here.

// servedModule is a module as the binary serves it, under one specifier.
type servedModule struct {
	exports []string // sorted
	def     bool
	// namespaces are the static members of function exports (Worker.DevUrl, …), where known.
	namespaces map[string][]string
}

// servedModules returns every module the binary serves to programs, test files and Workers, by
// specifier (aliases included).
func servedModules(t *testing.T) map[string]servedModule {
	t.Helper()
	served := map[string]servedModule{}
	add := func(specs []string, m servedModule) {
		slices.Sort(m.exports)
		for _, spec := range specs {
			if prev, ok := served[spec]; ok && !(slices.Equal(prev.exports, m.exports) && prev.def == m.def) {
				t.Fatalf("%s is served twice, differently", spec)
			}
			served[spec] = m
		}
	}
	var mods []runtime.Module
	mods = append(mods, nodelib.Modules()...)
	mods = append(mods, jsapi.New(jsapi.Config{}).Modules()...)
	mods = append(mods, testrun.Modules()...)
	mods = append(mods, worker.Modules()...)
	for _, m := range mods {
		add(m.Specifiers(), servedModule{exports: slices.Clone(m.Exports), def: m.Default})
	}
	cf := servedModule{namespaces: map[string][]string{}}
	for _, e := range cloudflare.Module() {
		cf.exports = append(cf.exports, e.Name)
		for _, m := range e.Members {
			cf.namespaces[e.Name] = append(cf.namespaces[e.Name], m.Name)
		}
		slices.Sort(cf.namespaces[e.Name])
	}
	add([]string{cloudflare.ModuleName}, cf)
	return served
}

// declared reads every layer's declarations.
func declared(t *testing.T) map[string]*types.DeclaredModule {
	t.Helper()
	files := types.Files(types.Options{})
	delete(files, types.IndexFile)
	mods, err := types.Declarations(files)
	if err != nil {
		t.Fatal(err)
	}
	return mods
}

// TestDeclaredModulesAreServed: the declarations declare exactly the modules the binary serves, each
// with exactly the value exports (and default export) the binary's module has.
func TestDeclaredModulesAreServed(t *testing.T) {
	served := servedModules(t)
	decl := declared(t)
	for _, spec := range slices.Sorted(keys(served)) {
		s := served[spec]
		d, ok := decl[spec]
		if !ok {
			t.Errorf("%s is served but not declared", spec)
			continue
		}
		if missing, extra := diff(s.exports, d.Exports); len(missing)+len(extra) > 0 {
			t.Errorf("%s: exports %v are served but not declared; %v are declared but not served", spec, missing, extra)
		}
		if s.def != d.Default {
			t.Errorf("%s: served default export %v, declared %v", spec, s.def, d.Default)
		}
		if s.namespaces == nil {
			continue
		}
		for _, name := range slices.Sorted(keys(union(s.namespaces, d.Namespaces))) {
			if missing, extra := diff(s.namespaces[name], d.Namespaces[name]); len(missing)+len(extra) > 0 {
				t.Errorf("%s: %s members %v are served but not declared; %v are declared but not served", spec, name, missing, extra)
			}
		}
	}
	for _, spec := range slices.Sorted(keys(decl)) {
		if _, ok := served[spec]; !ok {
			t.Errorf("module %q is declared but the binary does not serve it", spec)
		}
	}
}

// TestDeclaredResourcesMatchProviders: the ResourceTypes tables declare exactly the kinds the providers
// have; each declared props type has exactly the provider's props (same optionality; a prop the
// provider refuses is tagged @unsupported), and each declared output has the provider's output fields
// (same optionality) and no others, but for props a provider echoes in its output.
func TestDeclaredResourcesMatchProviders(t *testing.T) {
	kinds := map[string]schema.Kind{}
	for _, s := range append(cloudflare.Schemas(), fs.Schemas()...) {
		kinds[s.Kind] = s
	}
	declaredKinds := map[string]types.DeclaredResource{}
	for _, m := range declared(t) {
		for kind, r := range m.Resources {
			declaredKinds[kind] = r
		}
	}
	if missing, extra := diff(slices.Sorted(keys(kinds)), slices.Sorted(keys(declaredKinds))); len(missing)+len(extra) > 0 {
		t.Errorf("resource kinds %v have providers but no declarations; %v are declared but have no provider", missing, extra)
	}
	for _, kind := range slices.Sorted(keys(kinds)) {
		s, r := kinds[kind], declaredKinds[kind]
		if r.Kind == "" {
			continue
		}
		t.Run(kind, func(t *testing.T) {
			for _, p := range s.Props {
				f, ok := field(r.Props, p.Name)
				switch {
				case !ok:
					t.Errorf("prop %s is accepted by the provider but %s does not declare it", p.Name, r.PropsType)
				case f.Optional == p.Required:
					t.Errorf("prop %s: the provider has required=%v, %s declares optional=%v", p.Name, p.Required, r.PropsType, f.Optional)
				case (p.Unsupported != "") != f.Unsupported:
					t.Errorf("prop %s: the provider refuses it: %v (%q), %s tags it @unsupported: %v", p.Name, p.Unsupported != "", p.Unsupported, r.PropsType, f.Unsupported)
				}
			}
			for _, f := range r.Props {
				if _, ok := s.Prop(f.Name); !ok && !f.Phantom {
					t.Errorf("%s declares prop %s, which the provider does not accept", r.PropsType, f.Name)
				}
			}
			for _, o := range s.Output {
				f, ok := field(r.Output, o.Name)
				switch {
				case !ok:
					t.Errorf("output field %s is set by the provider but %s does not declare it", o.Name, r.OutputType)
				case f.Optional == o.Required:
					t.Errorf("output field %s: the provider always sets it: %v, %s declares optional=%v", o.Name, o.Required, r.OutputType, f.Optional)
				}
			}
			for _, f := range r.Output {
				if f.Phantom {
					continue
				}
				if _, ok := s.OutputField(f.Name); ok {
					continue
				}
				p, isProp := s.Prop(f.Name)
				switch {
				case !s.EchoesProps || !isProp:
					t.Errorf("%s declares output field %s, which the provider does not set", r.OutputType, f.Name)
				case p.Unsupported != "":
					t.Errorf("%s declares output field %s, an echo of a prop the provider refuses", r.OutputType, f.Name)
				case !f.Optional && !p.Required:
					t.Errorf("%s declares output field %s as always there, but it echoes an optional prop", r.OutputType, f.Name)
				}
			}
		})
	}
	// The resource functions of alchemy/cloudflare are named as the declared output types.
	for _, e := range cloudflare.Module() {
		if e.Kind != cloudflare.ExportResource {
			continue
		}
		if r := declaredKinds[e.ResourceKind]; r.OutputType != e.Name {
			t.Errorf("%s creates %s, but ResourceTypes[%q] outputs %q", e.Name, e.ResourceKind, e.ResourceKind, r.OutputType)
		}
	}
}

func field(fields []types.DeclaredField, name string) (types.DeclaredField, bool) {
	i := slices.IndexFunc(fields, func(f types.DeclaredField) bool { return f.Name == name })
	if i < 0 {
		return types.DeclaredField{}, false
	}
	return fields[i], true
}

func keys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func union(a, b map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// diff returns the names of want missing from got and the names of got not in want.
func diff(want, got []string) (missing, extra []string) {
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	return missing, extra
}

// TestDeclarationsParser checks the reading of declarations on a small module: value exports of every
// form, re-exports, namespaces with and without values, and a resource table whose props are a union.
func TestDeclarationsParser(t *testing.T) {
	src := `declare module "m" {
  import type { Resource } from "base";
  export const a: number;
  export function f(): void;
  export function f(x: number): void;
  export class C {}
  export type T = string;
  export interface I { x: string }
  export namespace f { const member: string; }
  export namespace Types { type U = number; }
  const hidden: number;
  export { hidden as shown };
  export default a;
  export interface ApiOptions { token?: string }
  export interface BaseProps extends ApiOptions { name?: string; /** @unsupported not yet */ version?: never }
  export interface AProps extends BaseProps { a: string; b?: undefined }
  export interface BProps extends BaseProps { b: string; a?: undefined }
  export type XProps<T = { k: 1 }> = AProps | BProps<T>;
  export interface X extends Resource<"m::X"> { id: string; url: string | undefined; /** @phantom */ readonly Env: {} }
  export interface ResourceTypes { "m::X": { props: XProps<string>; output: X } }
}
declare module "n" {
  export * from "m";
  export { default } from "m";
}
`
	mods, err := types.Declarations(map[string][]byte{"a.d.ts": []byte(src)})
	if err != nil {
		t.Fatal(err)
	}
	m, n := mods["m"], mods["n"]
	if m == nil || n == nil {
		t.Fatalf("modules %v", slices.Sorted(keys(mods)))
	}
	if want := []string{"C", "a", "f", "shown"}; !slices.Equal(m.Exports, want) || !m.Default {
		t.Errorf("m exports %v (default %v), want %v and default", m.Exports, m.Default, want)
	}
	if !slices.Equal(n.Exports, m.Exports) || !n.Default {
		t.Errorf("n exports %v (default %v), want m's", n.Exports, n.Default)
	}
	if got := fmt.Sprint(m.Namespaces); got != "map[f:[member]]" {
		t.Errorf("namespaces %s", got)
	}
	x := m.Resources["m::X"]
	var props, output []string
	for _, f := range x.Props {
		props = append(props, fmt.Sprintf("%s%s%s", f.Name, map[bool]string{true: "?"}[f.Optional], map[bool]string{true: "!"}[f.Unsupported]))
	}
	for _, f := range x.Output {
		output = append(output, fmt.Sprintf("%s%s%s", f.Name, map[bool]string{true: "?"}[f.Optional], map[bool]string{true: "~"}[f.Phantom]))
	}
	if got, want := strings.Join(props, " "), "token? name? version?! a? b?"; got != want {
		t.Errorf("props %q, want %q", got, want)
	}
	if got, want := strings.Join(output, " "), "id url? Env~"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

var globalDecl = regexp.MustCompile(`(?m)^declare (?:const|function) ([A-Za-z_$][\w$]*)`)

// TestVitestGlobalsAreServed: the opt-in globals of test files are exactly what `alchemy test` installs,
// the exports of "vitest".
func TestVitestGlobalsAreServed(t *testing.T) {
	var declared []string
	for _, m := range globalDecl.FindAllStringSubmatch(string(types.Files(types.Options{})[types.VitestGlobalsFile]), -1) {
		declared = append(declared, m[1])
	}
	slices.Sort(declared)
	vitest, ok := servedModules(t)[testrun.ModuleVitest]
	if !ok {
		t.Fatal("vitest is not served")
	}
	if missing, extra := diff(vitest.exports, declared); len(missing)+len(extra) > 0 || len(declared) == 0 {
		t.Errorf("%s: globals %v are installed but not declared; %v are declared but not installed", types.VitestGlobalsFile, missing, extra)
	}
}
