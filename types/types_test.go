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
		// The opt-in directory comes first, and holds nothing but opt-in declarations: "node" must
		// resolve to @types/node, not to the node layer.
		if fmt.Sprint(co["typeRoots"]) != "[./.alchemy/types/opt-in ./node_modules/@types ./node_modules]" {
			t.Errorf("%+v: typeRoots = %v", tt.opts, co["typeRoots"])
		}
		for name := range Files(tt.opts) {
			if strings.HasPrefix(name, OptInDir+"/") != (name == VitestGlobalsFile) {
				t.Errorf("%s: only %s belongs in %s/", name, VitestGlobalsFile, OptInDir)
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
	raw := string(Files(Options{})[AlchemyFile])
	src := stripComments(raw)
	modules, rawModules := moduleBodies(src, raw)
	kinds := 0
	var phantoms []string
	for _, module := range []string{"alchemy/cloudflare", "alchemy/fs"} {
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
			out, ok := interfaceDecl(body, output, rawModules[module])
			if !ok {
				t.Errorf("%s: %s: no output interface %s", module, kind, output)
				continue
			}
			for _, m := range members(out.body, out.raw) {
				if m.phantom {
					phantoms = append(phantoms, output+"."+m.name)
				}
				if m.phantom && !m.readonly {
					t.Errorf("%s: %s.%s is @phantom but not readonly", module, output, m.name)
				}
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
	slices.Sort(phantoms)
	if want := []string{"Queue.Batch", "Queue.Body", "Worker.Env", "Worker.__rpc__"}; !slices.Equal(phantoms, want) {
		t.Errorf("phantom output fields = %v, want %v", phantoms, want)
	}
	if kinds < 10 {
		t.Errorf("found %d resource kinds, want every kind of alchemy/cloudflare and alchemy/fs", kinds)
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

// span is a range of byte offsets.
type span struct{ start, end int }

// topLevelSpans splits src (without comments) at depth 0, after `;` or a closing `}`.
func topLevelSpans(src string) []span {
	var spans []span
	depth, start := 0, 0
	cut := func(end int) {
		if s := strings.TrimSpace(src[start:end]); s != "" && s != ";" {
			spans = append(spans, span{start, end})
		}
		start = end
	}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '{', '(', '[':
			depth++
		case ')', ']':
			depth--
		case '}':
			depth--
			if depth == 0 {
				cut(i + 1)
			}
		case ';':
			if depth == 0 {
				cut(i + 1)
			}
		}
	}
	cut(len(src))
	return spans
}

func topLevelStatements(src string) []string {
	var stmts []string
	for _, sp := range topLevelSpans(src) {
		stmts = append(stmts, strings.TrimSpace(src[sp.start:sp.end]))
	}
	return stmts
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

// moduleBodies returns the text inside each `declare module "name" { … }` of src (without comments),
// joined per name, and the same ranges of raw (the text src was stripped from).
func moduleBodies(src, raw string) (bodies, rawBodies map[string]string) {
	bodies, rawBodies = map[string]string{}, map[string]string{}
	for _, loc := range moduleHead.FindAllStringSubmatchIndex(src, -1) {
		open := loc[1] - 1
		if end := matching(src, open); end > open {
			name := src[loc[2]:loc[3]]
			bodies[name] += src[open+1:end] + "\n"
			rawBodies[name] += raw[open+1:end] + "\n"
		}
	}
	return bodies, rawBodies
}

type decl struct {
	heritage string // the text between the name and the body
	body     string // without comments
	raw      string // the same bytes with comments
}

// interfaceDecl finds `export interface <name>…{ body }` in a module body. raw is the same text with
// its comments (stripComments keeps offsets), or "" when they do not matter.
func interfaceDecl(body, name string, raw ...string) (decl, bool) {
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
	d := decl{heritage: strings.TrimSpace(body[loc[2]:loc[3]]), body: body[open+1 : end]}
	if len(raw) > 0 {
		d.raw = raw[0][open+1 : end]
	}
	return d, true
}

// member is one property of an interface body.
type member struct {
	name     string
	optional bool
	readonly bool
	// phantom: the doc comment says @phantom; the field exists only in types.
	phantom bool
	typ     string
	// unsupported: the doc comment says @unsupported; the binary refuses the prop.
	unsupported bool
}

var (
	memberHead     = regexp.MustCompile(`^(readonly\s+)?("[^"]+"|[A-Za-z_$][\w$]*)(\?)?\s*:\s*`)
	phantomTag     = regexp.MustCompile(`/\*\*[^*]*@phantom\b`)
	unsupportedTag = regexp.MustCompile(`/\*\*[^*]*@unsupported\b`)
)

// members lists the properties of an interface body (methods and signatures are left out). With raw,
// the body's text with comments, members carry their @phantom tag.
func members(body string, raw ...string) []member {
	var out []member
	prev := 0
	for _, sp := range topLevelSpans(body) {
		stmt := strings.TrimSuffix(strings.TrimSpace(body[sp.start:sp.end]), ";")
		m := memberHead.FindStringSubmatchIndex(stmt)
		if m == nil {
			prev = sp.end
			continue
		}
		mem := member{
			name:     stmt[m[4]:m[5]],
			optional: m[6] >= 0,
			readonly: m[2] >= 0,
			typ:      strings.Join(strings.Fields(stmt[m[1]:]), " "),
		}
		if len(raw) > 0 {
			doc := raw[0][prev:sp.end]
			mem.phantom = phantomTag.MatchString(doc)
			mem.unsupported = unsupportedTag.MatchString(doc)
		}
		out = append(out, mem)
		prev = sp.end
	}
	return out
}

func TestMembers(t *testing.T) {
	raw := `
    type: "kv_namespace";
    /** @phantom The env. */
    readonly Env: WorkerEnv<B>;
    /** Not a phantom. */
    dev?: { id: string; remote: boolean };
    "cloudflare::Worker": { props: WorkerProps; output: Worker };
    get(key: string): Promise<string>;
    (props: X): Y;`
	got := members(stripComments(raw), raw)
	want := []member{
		{name: "type", typ: `"kv_namespace"`},
		{name: "Env", readonly: true, phantom: true, typ: "WorkerEnv<B>"},
		{name: "dev", optional: true, typ: "{ id: string; remote: boolean }"},
		{name: `"cloudflare::Worker"`, typ: "{ props: WorkerProps; output: Worker }"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("members =\n%v\nwant\n%v", got, want)
	}
}
