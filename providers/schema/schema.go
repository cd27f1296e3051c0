// Package schema describes, as data, the top-level props a resource kind accepts and the output fields
// its provider returns. Providers check the props a program passes against it, so that a misspelled or
// unimplemented prop is an error naming the field instead of being ignored, and the TypeScript
// declarations of the built-in modules are tested against it, so that neither side gains or loses a
// field without the other.
package schema

import (
	"fmt"
	"slices"
	"strings"

	"github.com/alchemy-go/alchemy/value"
)

// Field is one top-level field of a kind's props or output.
type Field struct {
	Name string
	// Required: for a prop, the program must give it; for an output field, the provider always sets it.
	Required bool
	// Unsupported, for a prop, says why the provider refuses it: the TypeScript library has the prop,
	// this binary does not implement it. The provider's own check reports it, with that reason.
	Unsupported string
}

// Kind lists the props and output fields of one resource kind.
type Kind struct {
	// Kind is the engine kind, e.g. "cloudflare::KVNamespace".
	Kind   string
	Props  []Field
	Output []Field
	// EchoesProps: the output also carries every prop as given, as the TypeScript library's does for
	// some kinds (a Worker's output holds its props). Output lists the fields the provider sets itself.
	EchoesProps bool
}

// Prop returns the prop called name.
func (k Kind) Prop(name string) (Field, bool) { return find(k.Props, name) }

// OutputField returns the output field called name.
func (k Kind) OutputField(name string) (Field, bool) { return find(k.Output, name) }

func find(fields []Field, name string) (Field, bool) {
	i := slices.IndexFunc(fields, func(f Field) bool { return f.Name == name })
	if i < 0 {
		return Field{}, false
	}
	return fields[i], true
}

// PropError is a prop the kind does not accept, or a required prop that is missing.
type PropError struct {
	Field  string
	Reason string
}

func (e *PropError) Error() string { return fmt.Sprintf("prop %s: %s", e.Field, e.Reason) }

// CheckProps checks the props a program passed (an object, or nil or null for none): every field must be
// a prop of the kind, and every required prop must be given (a required prop holding null is missing).
// Unsupported props pass: the provider refuses them with its reason. Values other than objects pass too,
// for the provider to report. The error is a *PropError.
func (k Kind) CheckProps(props value.Value) error {
	o, _ := props.(*value.Object)
	if props != nil && props != (value.Null{}) && o == nil {
		return nil
	}
	for key, v := range o.All {
		if value.IsSymbolKey(key) || v == nil {
			continue
		}
		if _, ok := k.Prop(key); !ok {
			reason := "unknown"
			if near := k.nearest(key); near != "" {
				reason += fmt.Sprintf(" (did you mean %s?)", near)
			}
			return &PropError{Field: key, Reason: reason}
		}
	}
	for _, f := range k.Props {
		if !f.Required {
			continue
		}
		if v, ok := o.Get(f.Name); !ok || v == (value.Null{}) {
			return &PropError{Field: f.Name, Reason: "is required"}
		}
	}
	return nil
}

// nearest returns the prop whose name is closest to a misspelled one (case aside, at most a third of
// its letters apart), or "".
func (k Kind) nearest(name string) string {
	best, bestDist := "", len(name)/3+1
	for _, f := range k.Props {
		if d := distance(strings.ToLower(name), strings.ToLower(f.Name)); d < bestDist {
			best, bestDist = f.Name, d
		}
	}
	return best
}

// distance is the edit distance between a and b (bytes), counting a swap of two neighbours as one edit
// (optimal string alignment), so that "adpot" is one edit from "adopt".
func distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// Optional returns optional fields of the given names.
func Optional(names ...string) []Field {
	out := make([]Field, len(names))
	for i, n := range names {
		out[i] = Field{Name: n}
	}
	return out
}

// Required returns required fields of the given names.
func Required(names ...string) []Field {
	out := make([]Field, len(names))
	for i, n := range names {
		out[i] = Field{Name: n, Required: true}
	}
	return out
}

// Unsupported returns a prop the provider refuses, with the reason.
func Unsupported(name, reason string) Field { return Field{Name: name, Unsupported: reason} }

// Fields concatenates field lists.
func Fields(lists ...[]Field) []Field {
	var out []Field
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
