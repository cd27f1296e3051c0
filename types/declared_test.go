package types

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// This file reads what the declaration files declare, for the tests that compare them with the modules
// and providers the binary serves (drift_test.go). It reads the declarations' own conventions (see the
// head of alchemy.d.ts), not TypeScript at large.

// DeclaredModule is one `declare module "<name>"` (all blocks of that name together).
type DeclaredModule struct {
	Name string
	// Exports are the value exports, sorted (types and interfaces are not values); "default" is apart.
	Exports []string
	Default bool
	// Namespaces holds the value members of each `export namespace N { … }`, sorted.
	Namespaces map[string][]string
	// Resources are the entries of the module's ResourceTypes table, by kind.
	Resources map[string]DeclaredResource
}

// DeclaredResource is a resource kind's props and output, as ResourceTypes lists them.
type DeclaredResource struct {
	Kind string
	// PropsType and OutputType are the names the table gives.
	PropsType, OutputType string
	Props, Output         []DeclaredField
}

// DeclaredField is a property of a props or output type. Of a union of interfaces (WorkerProps), a
// field is the union of its declarations: optional when any branch makes it optional.
type DeclaredField struct {
	Name string
	// Optional: `name?:`, or a type that includes undefined.
	Optional bool
	// Phantom: tagged @phantom, a field that exists in types only.
	Phantom bool
	// Unsupported: tagged @unsupported, a prop the binary refuses.
	Unsupported bool
	Type        string
}

// Declarations reads the modules declared in the given declaration files.
func Declarations(files map[string][]byte) (map[string]*DeclaredModule, error) {
	bodies, raws := map[string]string{}, map[string]string{}
	for _, name := range slices.Sorted(mapsKeys(files)) {
		raw := string(files[name])
		b, r := moduleBodies(stripComments(raw), raw)
		for k := range b {
			bodies[k] += b[k]
			raws[k] += r[k]
		}
	}
	mods := map[string]*DeclaredModule{}
	stars := map[string][]string{}
	for name, body := range bodies {
		m := &DeclaredModule{Name: name, Namespaces: map[string][]string{}, Resources: map[string]DeclaredResource{}}
		stars[name] = readExports(m, body)
		res, err := readResources(body, raws[name])
		if err != nil {
			return nil, fmt.Errorf("module %q: %w", name, err)
		}
		for _, r := range res {
			m.Resources[r.Kind] = r
		}
		mods[name] = m
	}
	// export * from "m": m's named exports, resolved until nothing changes.
	for changed := true; changed; {
		changed = false
		for name, from := range stars {
			for _, f := range from {
				src, ok := mods[f]
				if !ok {
					return nil, fmt.Errorf("module %q: export * from %q, which is not declared", name, f)
				}
				for _, e := range src.Exports {
					if !slices.Contains(mods[name].Exports, e) {
						mods[name].Exports = append(mods[name].Exports, e)
						changed = true
					}
				}
			}
		}
	}
	for _, m := range mods {
		slices.Sort(m.Exports)
	}
	return mods, nil
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

var (
	valueDecl     = regexp.MustCompile(`^export\s+(?:declare\s+)?(?:const|let|var|function|class|abstract\s+class|enum)\s+([A-Za-z_$][\w$]*)`)
	namespaceDecl = regexp.MustCompile(`^export\s+(?:declare\s+)?namespace\s+([A-Za-z_$][\w$]*)\s*\{`)
	exportList    = regexp.MustCompile(`^export\s*\{([^}]*)\}\s*(?:from\s*"([^"]+)")?`)
	exportStar    = regexp.MustCompile(`^export\s*\*\s*from\s*"([^"]+)"`)
	innerValue    = regexp.MustCompile(`(?m)^\s*(?:export\s+)?(?:const|let|var|function|class)\s+([A-Za-z_$][\w$]*)`)
)

// readExports adds the value exports of a module body to m and returns the modules it re-exports with
// `export * from`.
func readExports(m *DeclaredModule, body string) (stars []string) {
	add := func(name string) {
		if name == "default" {
			m.Default = true
		} else if !slices.Contains(m.Exports, name) {
			m.Exports = append(m.Exports, name)
		}
	}
	for _, stmt := range topLevelStatements(body) {
		stmt = strings.Join(strings.Fields(stmt), " ")
		switch {
		case strings.HasPrefix(stmt, "export default "):
			m.Default = true
		case strings.HasPrefix(stmt, "export type ") || strings.HasPrefix(stmt, "export interface ") ||
			strings.HasPrefix(stmt, "export declare type ") || strings.HasPrefix(stmt, "export declare interface "):
		case exportStar.MatchString(stmt):
			stars = append(stars, exportStar.FindStringSubmatch(stmt)[1])
		case exportList.MatchString(stmt):
			for _, item := range strings.Split(exportList.FindStringSubmatch(stmt)[1], ",") {
				f := strings.Fields(item)
				switch {
				case len(f) == 0 || f[0] == "type":
				case len(f) == 3 && f[1] == "as":
					add(f[2])
				default:
					add(f[0])
				}
			}
		case namespaceDecl.MatchString(stmt):
			name := namespaceDecl.FindStringSubmatch(stmt)[1]
			open := strings.Index(stmt, "{")
			inner := stmt[open+1 : matching(stmt, open)]
			var members []string
			for _, sub := range topLevelStatements(inner) {
				if mm := innerValue.FindStringSubmatch(sub); mm != nil && !slices.Contains(members, mm[1]) {
					members = append(members, mm[1])
				}
			}
			slices.Sort(members)
			if len(members) > 0 {
				m.Namespaces[name] = members
				add(name)
			}
		case valueDecl.MatchString(stmt):
			add(valueDecl.FindStringSubmatch(stmt)[1])
		}
	}
	return stars
}

var tableEntry = regexp.MustCompile(`^\{\s*props:\s*(\w+)(?:<[^;]*>)?;\s*output:\s*(\w+)(?:<[^;]*>)?;?\s*\}$`)

// readResources reads the ResourceTypes table of a module body, if it has one.
func readResources(body, raw string) ([]DeclaredResource, error) {
	table, ok := interfaceDecl(body, "ResourceTypes")
	if !ok {
		return nil, nil
	}
	var out []DeclaredResource
	for _, entry := range members(table.body) {
		kind := strings.Trim(entry.name, `"`)
		m := tableEntry.FindStringSubmatch(entry.typ)
		if m == nil {
			return nil, fmt.Errorf("ResourceTypes[%q] = %q, want { props: XProps; output: X }", kind, entry.typ)
		}
		r := DeclaredResource{Kind: kind, PropsType: m[1], OutputType: m[2]}
		var err error
		if r.Props, err = typeFields(body, raw, r.PropsType); err != nil {
			return nil, fmt.Errorf("%s props: %w", kind, err)
		}
		if r.Output, err = typeFields(body, raw, r.OutputType); err != nil {
			return nil, fmt.Errorf("%s output: %w", kind, err)
		}
		out = append(out, r)
	}
	return out, nil
}

// typeFields returns the properties of a named type of the module: an interface with the interfaces it
// extends (those declared in the module; imported ones such as Resource carry no properties), or a type
// alias of a union of such interfaces.
func typeFields(body, raw, name string) ([]DeclaredField, error) {
	if d, ok := interfaceDecl(body, name, raw); ok {
		var fields []DeclaredField
		for _, base := range splitTopLevel(baseList(d.heritage), ',') {
			base = strings.TrimSpace(base)
			if i := strings.IndexByte(base, '<'); i >= 0 {
				base = base[:i]
			}
			base = strings.TrimSpace(base)
			if base == "" {
				continue
			}
			if _, local := interfaceDecl(body, base); !local {
				continue
			}
			inherited, err := typeFields(body, raw, base)
			if err != nil {
				return nil, err
			}
			fields = mergeFields(fields, inherited, false)
		}
		var own []DeclaredField
		for _, m := range members(d.body, d.raw) {
			own = append(own, DeclaredField{Name: m.name, Optional: m.optional || includesUndefined(m.typ),
				Phantom: m.phantom, Unsupported: m.unsupported, Type: m.typ})
		}
		return mergeFields(fields, own, false), nil
	}
	rhs, ok := typeAlias(body, name)
	if !ok {
		return nil, fmt.Errorf("no interface or type %s", name)
	}
	var fields []DeclaredField
	for i, alt := range splitTopLevel(rhs, '|') {
		alt = strings.TrimSpace(alt)
		if j := strings.IndexByte(alt, '<'); j >= 0 {
			alt = alt[:j]
		}
		if alt == "" {
			continue
		}
		branch, err := typeFields(body, raw, alt)
		if err != nil {
			return nil, err
		}
		if i == 0 || fields == nil {
			fields = branch
			continue
		}
		fields = mergeFields(fields, branch, true)
	}
	return fields, nil
}

// baseList returns the types an interface heritage (`<T, U> extends A<T>, B`) names after extends.
func baseList(heritage string) string {
	h := strings.TrimSpace(heritage)
	if strings.HasPrefix(h, "<") {
		depth := 0
		for i := 0; i < len(h); i++ {
			if h[i] == '<' {
				depth++
			} else if h[i] == '>' && (i == 0 || h[i-1] != '=') {
				if depth--; depth == 0 {
					h = strings.TrimSpace(h[i+1:])
					break
				}
			}
		}
	}
	return strings.TrimPrefix(h, "extends")
}

// mergeFields adds fields to list. For a union (alternative branches), a field missing from either side
// or optional in either becomes optional; otherwise (inheritance) a redeclared field takes the later
// declaration.
func mergeFields(list, fields []DeclaredField, union bool) []DeclaredField {
	out := slices.Clone(list)
	for _, f := range fields {
		i := slices.IndexFunc(out, func(g DeclaredField) bool { return g.Name == f.Name })
		switch {
		case i < 0:
			if union {
				f.Optional = true
			}
			out = append(out, f)
		case union:
			out[i].Optional = out[i].Optional || f.Optional
			out[i].Unsupported = out[i].Unsupported || f.Unsupported
		default:
			out[i] = f
		}
	}
	if union {
		for i := range out {
			if !slices.ContainsFunc(fields, func(g DeclaredField) bool { return g.Name == out[i].Name }) {
				out[i].Optional = true
			}
		}
	}
	return out
}

// typeAlias returns the right-hand side of `export type <name><…> = …;`.
func typeAlias(body, name string) (string, bool) {
	loc := regexp.MustCompile(`export type ` + regexp.QuoteMeta(name) + `\b`).FindStringIndex(body)
	if loc == nil {
		return "", false
	}
	i := loc[1]
	for i < len(body) && body[i] == ' ' {
		i++
	}
	if i < len(body) && body[i] == '<' {
		depth := 0
		for ; i < len(body); i++ {
			if body[i] == '<' {
				depth++
			} else if body[i] == '>' && body[i-1] != '=' {
				depth--
				if depth == 0 {
					i++
					break
				}
			}
		}
	}
	eq := strings.IndexByte(body[i:], '=')
	if eq < 0 {
		return "", false
	}
	start := i + eq + 1
	depth := 0
	for j := start; j < len(body); j++ {
		switch body[j] {
		case '{', '(', '[', '<':
			depth++
		case '}', ')', ']':
			depth--
		case '>':
			if body[j-1] != '=' {
				depth--
			}
		case ';':
			if depth == 0 {
				return body[start:j], true
			}
		}
	}
	return "", false
}

// splitTopLevel splits s at sep outside brackets (angle brackets included).
func splitTopLevel(s string, sep byte) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{', '(', '[', '<':
			depth++
		case '}', ')', ']':
			depth--
		case '>':
			if i == 0 || s[i-1] != '=' {
				depth--
			}
		case sep:
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}

var conditionalType = regexp.MustCompile(`^[^?:]+ extends [^?:]+ \? ([^?:]+) : ([^?:]+)$`)

// includesUndefined reports whether a type may be undefined: a union with undefined at its top level, or
// a conditional type (`keyof B extends never ? B | undefined : B`) with such a branch.
func includesUndefined(typ string) bool {
	if m := conditionalType.FindStringSubmatch(strings.TrimSpace(typ)); m != nil {
		return includesUndefined(m[1]) || includesUndefined(m[2])
	}
	return slices.ContainsFunc(splitTopLevel(typ, '|'), func(alt string) bool { return strings.TrimSpace(alt) == "undefined" })
}
