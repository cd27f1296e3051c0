package runtime

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/dop251/goja"
)

// goja compiles a Unicode property escape such as \p{L} in a u-flag pattern
// as the literal text "p{L}", silently. The bundler turns every regular
// expression literal that uses one into a RegExp constructor call, and the
// host's RegExp rewrites each \p{…}/\P{…} into an explicit character class
// built from Go's Unicode tables, or throws a SyntaxError for a property it
// does not know.

type regexpTranslation struct {
	pattern string
	err     error
}

// installRegExpFix replaces the RegExp global with a constructor that
// translates property escapes before the real constructor sees the pattern.
// It shares the real constructor's prototype, so instanceof, subclassing and
// RegExp.prototype behave as before.
func (h *Host) installRegExpFix() {
	vm := h.vm
	orig, ok := vm.Get("RegExp").(*goja.Object)
	if !ok {
		return
	}
	construct, ok := goja.AssertConstructor(orig)
	if !ok {
		return
	}
	proto, ok := orig.Get("prototype").(*goja.Object)
	if !ok {
		return
	}
	wrapper := vm.ToValue(func(call goja.ConstructorCall) *goja.Object {
		obj, err := construct(call.NewTarget, h.regexpArgs(call.Arguments)...)
		if err != nil {
			panic(ErrorValue(vm, err, nil))
		}
		return obj
	}).(*goja.Object)
	if err := wrapper.DefineDataProperty("prototype", proto, goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE); err != nil {
		return
	}
	_ = wrapper.DefineDataProperty("name", vm.ToValue("RegExp"), goja.FLAG_FALSE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = proto.DefineDataProperty("constructor", wrapper, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
	_ = vm.GlobalObject().DefineDataProperty("RegExp", wrapper, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_FALSE)
}

// regexpArgs rewrites the pattern argument of a RegExp call when it has the
// u flag and uses a property escape.
func (h *Host) regexpArgs(args []goja.Value) []goja.Value {
	if len(args) < 2 {
		return args
	}
	pattern, ok := args[0].Export().(string)
	if !ok {
		return args
	}
	if _, isObj := args[0].(*goja.Object); isObj {
		return args
	}
	flags, ok := args[1].Export().(string)
	if !ok || !strings.ContainsAny(flags, "uv") || !(strings.Contains(pattern, `\p{`) || strings.Contains(pattern, `\P{`)) {
		return args
	}
	if h.regexps == nil {
		h.regexps = map[string]regexpTranslation{}
	}
	tr, ok := h.regexps[pattern]
	if !ok {
		p, err := translatePropertyEscapes(pattern)
		tr = regexpTranslation{pattern: p, err: err}
		h.regexps[pattern] = tr
	}
	if tr.err != nil {
		vm := h.vm
		obj, err := vm.New(vm.Get("SyntaxError"), vm.ToValue(fmt.Sprintf("Invalid regular expression: /%s/%s: %v", pattern, flags, tr.err)))
		if err != nil {
			panic(vm.NewTypeError(tr.err.Error()))
		}
		panic(obj)
	}
	out := append([]goja.Value{h.vm.ToValue(tr.pattern)}, args[1:]...)
	return out
}

// translatePropertyEscapes rewrites \p{…} and \P{…} in a pattern into
// character classes of explicit code point ranges.
func translatePropertyEscapes(pattern string) (string, error) {
	var b strings.Builder
	inClass := false
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case c == '\\' && i+1 < len(pattern):
			n := pattern[i+1]
			if (n == 'p' || n == 'P') && i+2 < len(pattern) && pattern[i+2] == '{' {
				end := strings.IndexByte(pattern[i+3:], '}')
				if end < 0 {
					return "", fmt.Errorf("unterminated property escape")
				}
				name := pattern[i+3 : i+3+end]
				ranges, err := propertyRanges(name)
				if err != nil {
					return "", err
				}
				if n == 'P' {
					ranges = complementRanges(ranges)
				}
				body := classBody(ranges)
				if inClass {
					b.WriteString(body)
				} else {
					b.WriteString("[" + body + "]")
				}
				i += 3 + end + 1
				continue
			}
			b.WriteString(pattern[i : i+2])
			i += 2
			continue
		case c == '[' && !inClass:
			inClass = true
		case c == ']' && inClass:
			inClass = false
		}
		b.WriteByte(c)
		i++
	}
	return b.String(), nil
}

// codeRange is an inclusive range of code points.
type codeRange struct{ lo, hi rune }

var longCategoryNames = map[string]string{
	"Letter": "L", "Cased_Letter": "LC", "Uppercase_Letter": "Lu", "Lowercase_Letter": "Ll",
	"Titlecase_Letter": "Lt", "Modifier_Letter": "Lm", "Other_Letter": "Lo", "Mark": "M",
	"Combining_Mark": "M", "Nonspacing_Mark": "Mn", "Spacing_Mark": "Mc", "Enclosing_Mark": "Me",
	"Number": "N", "Decimal_Number": "Nd", "digit": "Nd", "Letter_Number": "Nl", "Other_Number": "No",
	"Punctuation": "P", "punct": "P", "Connector_Punctuation": "Pc", "Dash_Punctuation": "Pd",
	"Open_Punctuation": "Ps", "Close_Punctuation": "Pe", "Initial_Punctuation": "Pi",
	"Final_Punctuation": "Pf", "Other_Punctuation": "Po", "Symbol": "S", "Math_Symbol": "Sm",
	"Currency_Symbol": "Sc", "Modifier_Symbol": "Sk", "Other_Symbol": "So", "Separator": "Z",
	"Space_Separator": "Zs", "Line_Separator": "Zl", "Paragraph_Separator": "Zp", "Other": "C",
	"Control": "Cc", "cntrl": "Cc", "Format": "Cf", "Surrogate": "Cs", "Private_Use": "Co",
	"Unassigned": "Cn",
}

func propertyRanges(name string) ([]codeRange, error) {
	if key, value, ok := strings.Cut(name, "="); ok {
		switch key {
		case "General_Category", "gc":
			if r, ok := categoryRanges(value); ok {
				return r, nil
			}
		case "Script", "sc", "Script_Extensions", "scx":
			if t, ok := unicode.Scripts[value]; ok {
				return tableRanges(t), nil
			}
		}
		return nil, fmt.Errorf("unsupported Unicode property \\p{%s}", name)
	}
	if r, ok := categoryRanges(name); ok {
		return r, nil
	}
	switch name {
	case "Any":
		return []codeRange{{0, unicode.MaxRune}}, nil
	case "ASCII":
		return []codeRange{{0, 0x7f}}, nil
	case "Assigned":
		return assignedRanges(), nil
	case "Alphabetic":
		return tableRanges(unicode.L, unicode.Nl, unicode.Other_Alphabetic), nil
	case "Uppercase":
		return tableRanges(unicode.Lu, unicode.Other_Uppercase), nil
	case "Lowercase":
		return tableRanges(unicode.Ll, unicode.Other_Lowercase), nil
	}
	if t, ok := unicode.Properties[name]; ok {
		return tableRanges(t), nil
	}
	return nil, fmt.Errorf("unsupported Unicode property \\p{%s}", name)
}

func categoryRanges(name string) ([]codeRange, bool) {
	if long, ok := longCategoryNames[name]; ok {
		name = long
	}
	switch name {
	case "LC":
		return tableRanges(unicode.Lu, unicode.Ll, unicode.Lt), true
	case "Cn":
		return complementRanges(assignedRanges()), true
	case "C":
		return mergeRanges(append(tableRanges(unicode.C), complementRanges(assignedRanges())...)), true
	}
	if t, ok := unicode.Categories[name]; ok {
		return tableRanges(t), true
	}
	return nil, false
}

func assignedRanges() []codeRange {
	var tables []*unicode.RangeTable
	for _, t := range unicode.Categories {
		tables = append(tables, t)
	}
	return tableRanges(tables...)
}

// tableRanges returns the union of tables as sorted, merged ranges.
func tableRanges(tables ...*unicode.RangeTable) []codeRange {
	var rs []codeRange
	add := func(lo, hi, stride rune) {
		if stride == 1 {
			rs = append(rs, codeRange{lo, hi})
			return
		}
		for r := lo; r <= hi; r += stride {
			rs = append(rs, codeRange{r, r})
		}
	}
	for _, t := range tables {
		for _, r := range t.R16 {
			add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
		}
		for _, r := range t.R32 {
			add(rune(r.Lo), rune(r.Hi), rune(r.Stride))
		}
	}
	return mergeRanges(rs)
}

func mergeRanges(rs []codeRange) []codeRange {
	sort.Slice(rs, func(i, j int) bool { return rs[i].lo < rs[j].lo })
	var out []codeRange
	for _, r := range rs {
		if n := len(out); n > 0 && r.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, r.hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

// complementRanges returns the code points not in rs, leaving out the
// surrogate range, which no matched text contains.
func complementRanges(rs []codeRange) []codeRange {
	var out []codeRange
	next := rune(0)
	for _, r := range rs {
		if r.lo > next {
			out = append(out, codeRange{next, r.lo - 1})
		}
		next = r.hi + 1
	}
	if next <= unicode.MaxRune {
		out = append(out, codeRange{next, unicode.MaxRune})
	}
	var noSurrogates []codeRange
	for _, r := range out {
		if r.hi < 0xd800 || r.lo > 0xdfff {
			noSurrogates = append(noSurrogates, r)
			continue
		}
		if r.lo < 0xd800 {
			noSurrogates = append(noSurrogates, codeRange{r.lo, 0xd7ff})
		}
		if r.hi > 0xdfff {
			noSurrogates = append(noSurrogates, codeRange{0xe000, r.hi})
		}
	}
	return noSurrogates
}

func classBody(rs []codeRange) string {
	var b strings.Builder
	for _, r := range rs {
		if r.lo >= 0xd800 && r.hi <= 0xdfff {
			continue
		}
		fmt.Fprintf(&b, `\u{%X}`, r.lo)
		if r.hi != r.lo {
			fmt.Fprintf(&b, `-\u{%X}`, r.hi)
		}
	}
	return b.String()
}
