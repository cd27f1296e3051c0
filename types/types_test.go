package types

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestLayers(t *testing.T) {
	tests := []struct {
		opts Options
		want []string
	}{
		{Options{}, []string{AlchemyFile, NodeFile, WebFile, WorkersFile}},
		{Options{NodeTypes: true}, []string{AlchemyFile, WorkersFile}},
		{Options{WorkersTypes: true}, []string{AlchemyFile, NodeFile}},
		{Options{NodeTypes: true, WorkersTypes: true}, []string{AlchemyFile}},
	}
	for _, tt := range tests {
		if got := tt.opts.Layers(); !slices.Equal(got, tt.want) {
			t.Errorf("%+v.Layers() = %v, want %v", tt.opts, got, tt.want)
		}
	}
}

var referencePath = regexp.MustCompile(`(?m)^/// <reference path="\./([^"]+)" />$`)

func TestFilesIndexReferencesTheLayers(t *testing.T) {
	for _, opts := range []Options{{}, {NodeTypes: true}, {WorkersTypes: true}, {NodeTypes: true, WorkersTypes: true}} {
		files := Files(opts)
		for _, name := range []string{AlchemyFile, NodeFile, WebFile, WorkersFile, IndexFile} {
			if len(files[name]) == 0 {
				t.Errorf("%+v: %s is missing or empty", opts, name)
			}
		}
		var refs []string
		for _, m := range referencePath.FindAllSubmatch(files[IndexFile], -1) {
			refs = append(refs, string(m[1]))
		}
		if !slices.Equal(refs, opts.Layers()) {
			t.Errorf("%+v: index.d.ts references %v, want %v", opts, refs, opts.Layers())
		}
	}
}

func TestTSConfig(t *testing.T) {
	tests := []struct {
		opts  Options
		types []string
	}{
		{Options{}, []string{}},
		{Options{NodeTypes: true}, []string{"node"}},
		{Options{WorkersTypes: true}, []string{"@cloudflare/workers-types"}},
	}
	for _, tt := range tests {
		var got struct {
			CompilerOptions map[string]any `json:"compilerOptions"`
			Include         []string       `json:"include"`
		}
		if err := json.Unmarshal(NewTSConfig(tt.opts).JSON(), &got); err != nil {
			t.Fatalf("%+v: %v", tt.opts, err)
		}
		co := got.CompilerOptions
		if fmt.Sprint(co["types"]) != fmt.Sprint(tt.types) {
			t.Errorf("%+v: types = %v, want %v", tt.opts, co["types"], tt.types)
		}
		// allowImportingTsExtensions (for `import type { api } from "../alchemy.run.ts"`) needs noEmit.
		for _, opt := range []string{"strict", "noEmit", "allowImportingTsExtensions"} {
			if co[opt] != true {
				t.Errorf("%+v: %s = %v, want true", tt.opts, opt, co[opt])
			}
		}
		if !slices.Contains(got.Include, ".alchemy/types/index.d.ts") {
			t.Errorf("%+v: include = %v, want the index", tt.opts, got.Include)
		}
	}
}

// TestAlchemyLayerDeclaresNoGlobals keeps alchemy.d.ts free of global declarations: it is in every
// program, next to @types/node or @cloudflare/workers-types, so a global there could collide.
func TestAlchemyLayerDeclaresNoGlobals(t *testing.T) {
	src := string(Files(Options{})[AlchemyFile])
	for _, stmt := range topLevelStatements(stripComments(src)) {
		if !strings.HasPrefix(stmt, `declare module "`) {
			t.Errorf("alchemy.d.ts: top-level declaration outside a module: %.60q", stmt)
		}
	}
}

// TestResourceDeclarationsAreRegular checks the pattern the declarations promise for every resource
// kind a module lists in its ResourceTypes interface: `export interface <Output> extends
// Resource<"<kind>">`, `export function <Output>(id: string, …): Promise<<Output>…>` and a props
// interface. A comparison of props and outputs with the Go providers relies on it.
func TestResourceDeclarationsAreRegular(t *testing.T) {
	src := stripComments(string(Files(Options{})[AlchemyFile]))
	modules := moduleBodies(src)
	kinds := 0
	for _, module := range []string{"alchemy/cloudflare", "alchemy/fs", "alchemy/random"} {
		body, ok := modules[module]
		if !ok {
			t.Fatalf("no module %q", module)
		}
		table, ok := interfaceDecl(body, "ResourceTypes")
		if !ok {
			t.Fatalf("%s: no ResourceTypes interface", module)
		}
		for _, entry := range members(table.body) {
			kinds++
			kind := strings.Trim(entry.name, `"`)
			m := regexp.MustCompile(`^\{\s*props:\s*(\w+)(?:<[^;]*>)?;\s*output:\s*(\w+);?\s*\}$`).FindStringSubmatch(entry.typ)
			if m == nil {
				t.Errorf("%s: ResourceTypes[%q] = %q, want { props: XProps; output: X }", module, kind, entry.typ)
				continue
			}
			props, output := m[1], m[2]
			if _, ok := interfaceDecl(body, props); !ok && !regexp.MustCompile(`export type `+props+`\b`).MatchString(body) {
				t.Errorf("%s: %s: no props type %s", module, kind, props)
			}
			out, ok := interfaceDecl(body, output)
			if !ok {
				t.Errorf("%s: %s: no output interface %s", module, kind, output)
				continue
			}
			if want := `Resource<"` + kind + `">`; !strings.Contains(out.heritage, want) {
				t.Errorf("%s: interface %s extends %q, want %s", module, output, out.heritage, want)
			}
			fn := regexp.MustCompile(`export function ` + output + `(?:<[^(]*>)?\(\s*id: string[,)][^;]*\):\s*Promise<` + output + `[<>]`)
			if !fn.MatchString(body) {
				t.Errorf("%s: no `export function %s(id: string, …): Promise<%s>`", module, output, output)
			}
		}
	}
	if kinds < 10 {
		t.Errorf("found %d resource kinds, want every kind of alchemy/cloudflare, alchemy/fs and alchemy/random", kinds)
	}
}

// The helpers below read declaration files just enough for the tests: comments out, braces balanced.

// stripComments blanks // and /* */ comments outside string literals, keeping line structure.
func stripComments(src string) string {
	out := []byte(src)
	for i := 0; i < len(out); i++ {
		switch c := out[i]; {
		case c == '"' || c == '\'' || c == '`':
			for i++; i < len(out) && out[i] != c; i++ {
				if out[i] == '\\' {
					i++
				}
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '/':
			for ; i < len(out) && out[i] != '\n'; i++ {
				out[i] = ' '
			}
		case c == '/' && i+1 < len(out) && out[i+1] == '*':
			for ; i < len(out) && !(out[i] == '*' && i+1 < len(out) && out[i+1] == '/'); i++ {
				if out[i] != '\n' {
					out[i] = ' '
				}
			}
			if i+1 < len(out) {
				out[i], out[i+1] = ' ', ' '
				i++
			}
		}
	}
	return string(out)
}

// topLevelStatements splits src (without comments) at depth 0, after `;` or a closing `}`.
func topLevelStatements(src string) []string {
	var stmts []string
	depth, start := 0, 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '{', '(', '[':
			depth++
		case ')', ']':
			depth--
		case '}':
			depth--
			if depth == 0 {
				stmts = append(stmts, strings.TrimSpace(src[start:i+1]))
				start = i + 1
			}
		case ';':
			if depth == 0 {
				stmts = append(stmts, strings.TrimSpace(src[start:i+1]))
				start = i + 1
			}
		}
	}
	if rest := strings.TrimSpace(src[start:]); rest != "" {
		stmts = append(stmts, rest)
	}
	return slices.DeleteFunc(stmts, func(s string) bool { return s == "" || s == ";" })
}

// matching returns the index of the bracket closing the one at open.
func matching(src string, open int) int {
	depth := 0
	for i := open; i < len(src); i++ {
		switch src[i] {
		case '{', '(', '[':
			depth++
		case '}', ')', ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

var moduleHead = regexp.MustCompile(`(?m)^declare module "([^"]+)" \{`)

// moduleBodies returns the text inside each `declare module "name" { … }`, joined per name.
func moduleBodies(src string) map[string]string {
	bodies := map[string]string{}
	for _, loc := range moduleHead.FindAllStringSubmatchIndex(src, -1) {
		open := loc[1] - 1
		if end := matching(src, open); end > open {
			bodies[src[loc[2]:loc[3]]] += src[open+1:end] + "\n"
		}
	}
	return bodies
}

type decl struct {
	heritage string // the text between the name and the body
	body     string
}

// interfaceDecl finds `export interface <name>…{ body }` in a module body.
func interfaceDecl(body, name string) (decl, bool) {
	re := regexp.MustCompile(`export interface ` + regexp.QuoteMeta(name) + `\b([^{]*)\{`)
	loc := re.FindStringSubmatchIndex(body)
	if loc == nil {
		return decl{}, false
	}
	open := loc[1] - 1
	end := matching(body, open)
	if end < 0 {
		return decl{}, false
	}
	return decl{heritage: strings.TrimSpace(body[loc[2]:loc[3]]), body: body[open+1 : end]}, true
}

// member is one property of an interface body.
type member struct {
	name     string
	optional bool
	typ      string
}

var memberHead = regexp.MustCompile(`^(?:readonly\s+)?("[^"]+"|[A-Za-z_$][\w$]*)(\?)?\s*:\s*`)

// members lists the properties of an interface body (methods and signatures are left out).
func members(body string) []member {
	var out []member
	for _, stmt := range topLevelStatements(body) {
		stmt = strings.TrimSuffix(strings.TrimSpace(stmt), ";")
		m := memberHead.FindStringSubmatchIndex(stmt)
		if m == nil {
			continue
		}
		out = append(out, member{
			name:     stmt[m[2]:m[3]],
			optional: m[4] >= 0,
			typ:      strings.Join(strings.Fields(stmt[m[1]:]), " "),
		})
	}
	return out
}

func TestMembers(t *testing.T) {
	body := `
    type: "kv_namespace";
    readonly Env: WorkerEnv<B>;
    dev?: { id: string; remote: boolean };
    "cloudflare::Worker": { props: WorkerProps; output: Worker };
    get(key: string): Promise<string>;
    (props: X): Y;`
	got := members(body)
	want := []member{
		{name: "type", typ: `"kv_namespace"`},
		{name: "Env", typ: "WorkerEnv<B>"},
		{name: "dev", optional: true, typ: "{ id: string; remote: boolean }"},
		{name: `"cloudflare::Worker"`, typ: "{ props: WorkerProps; output: Worker }"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("members =\n%v\nwant\n%v", got, want)
	}
}
