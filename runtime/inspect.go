package runtime

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"
)

// InspectOptions tunes Inspect.
type InspectOptions struct {
	// Depth is how many levels of nested objects are shown below the top
	// one; deeper ones print as [Object]. Nil means 2; a negative value
	// means unlimited.
	Depth *int
}

// Depth returns a pointer to d, for InspectOptions.Depth.
func Depth(d int) *int { return &d }

// breakLength is the width beyond which an object is printed one entry per
// line.
const breakLength = 80

// maxArrayItems bounds how many array items are printed.
const maxArrayItems = 100

// Inspect renders a JS value for humans, the way Node's util.inspect does:
// strings quoted, objects as { key: value }, arrays as [ 1, 2 ], class
// instances prefixed with their class, Map, Set, Date, RegExp, errors with
// their stack, cycles as [Circular *1]. Loop goroutine only.
func Inspect(vm *goja.Runtime, v goja.Value, opts InspectOptions) string {
	depth := 2
	if opts.Depth != nil {
		depth = *opts.Depth
	}
	in := &inspector{vm: vm, depth: depth}
	return in.value(v, 0, 0)
}

type inspector struct {
	vm    *goja.Runtime
	depth int
	seen  []*goja.Object
}

func (in *inspector) value(v goja.Value, level, indent int) string {
	if v == nil || goja.IsUndefined(v) {
		return "undefined"
	}
	if goja.IsNull(v) {
		return "null"
	}
	if obj, ok := v.(*goja.Object); ok {
		return in.object(obj, level, indent)
	}
	return primitive(v, true)
}

// primitive renders a non-object value; quote selects quoted strings.
func primitive(v goja.Value, quote bool) string {
	if sym, ok := v.(*goja.Symbol); ok {
		return "Symbol(" + sym.String() + ")"
	}
	switch x := v.Export().(type) {
	case string:
		if quote {
			return quoteJS(x)
		}
		return x
	case *big.Int:
		return x.String() + "n"
	case float64:
		if x == 0 && math.Signbit(x) {
			return "-0"
		}
	}
	return v.String()
}

// quoteJS quotes a string with single quotes, or double quotes or backticks
// when that avoids escaping, as Node does.
func quoteJS(s string) string {
	q := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 {
		switch {
		case strings.IndexByte(s, '"') < 0:
			q = '"'
		case strings.IndexByte(s, '`') < 0 && !strings.Contains(s, "${"):
			q = '`'
		}
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\v':
			b.WriteString(`\v`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02X`, r)
		case r == utf8.RuneError:
			b.WriteString(`\uFFFD`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}

func (in *inspector) object(obj *goja.Object, level, indent int) string {
	for _, s := range in.seen {
		if s == obj {
			return "[Circular *1]"
		}
	}
	in.seen = append(in.seen, obj)
	defer func() { in.seen = in.seen[:len(in.seen)-1] }()

	vm := in.vm
	ctorName, nullProto := constructorName(obj)
	if _, isFn := goja.AssertFunction(obj); isFn {
		return in.function(obj, ctorName, level, indent)
	}
	switch obj.ClassName() {
	case "Array":
		return in.array(obj, ctorName, level, indent)
	case "Error":
		return in.errorValue(obj, level, indent)
	case "Date":
		return in.date(obj)
	case "RegExp":
		return obj.String()
	case "WeakMap", "WeakSet":
		return obj.ClassName() + " { <items unknown> }"
	case "String", "Number", "Boolean", "BigInt", "Symbol":
		if prim := obj.Export(); prim != nil {
			return fmt.Sprintf("[%s: %s]", obj.ClassName(), primitive(vm.ToValue(prim), true))
		}
	}
	if isError(vm, obj) {
		return in.errorValue(obj, level, indent)
	}
	if _, ok := obj.Export().(*goja.Promise); ok {
		return in.promise(obj, level, indent)
	}
	for _, class := range []string{"Map", "Set"} {
		if instanceOf(vm, obj, class) {
			return in.collection(obj, class, level, indent)
		}
	}
	if ab, ok := obj.Export().(goja.ArrayBuffer); ok {
		return fmt.Sprintf("ArrayBuffer { [Uint8Contents]: <%s>, byteLength: %d }", hexBytes(ab.Bytes(), 50), len(ab.Bytes()))
	}
	if typedArrayNames[ctorName] {
		return in.typedArray(obj, ctorName, level, indent)
	}
	prefix := ""
	switch {
	case nullProto:
		prefix = "[Object: null prototype] "
	case ctorName != "" && ctorName != "Object":
		prefix = ctorName + " "
	}
	keys := safeKeys(vm, obj)
	if len(keys) == 0 {
		return prefix + "{}"
	}
	if level > in.depth && in.depth >= 0 {
		if ctorName == "" || ctorName == "Object" {
			return "[Object]"
		}
		return "[" + ctorName + "]"
	}
	entries := make([]string, 0, len(keys))
	for _, k := range keys {
		entries = append(entries, propertyKey(k)+": "+in.property(obj, k, level, indent))
	}
	return prefix + wrapEntries("{", "}", entries, indent)
}

func (in *inspector) property(obj *goja.Object, key string, level, indent int) string {
	var v goja.Value
	if ex := in.vm.Try(func() { v = obj.Get(key) }); ex != nil {
		return "[Getter: threw]"
	}
	return in.value(v, level+1, indent+2)
}

func safeKeys(vm *goja.Runtime, obj *goja.Object) []string {
	var keys []string
	if ex := vm.Try(func() { keys = obj.Keys() }); ex != nil {
		return nil
	}
	return keys
}

// constructorName returns the name of obj's constructor, and whether obj has
// a null prototype.
func constructorName(obj *goja.Object) (string, bool) {
	proto := obj.Prototype()
	if proto == nil {
		return "", true
	}
	ctor, ok := proto.Get("constructor").(*goja.Object)
	if !ok {
		return "", false
	}
	if name := ctor.Get("name"); name != nil && !goja.IsUndefined(name) {
		return name.String(), false
	}
	return "", false
}

func propertyKey(k string) string {
	if isIdentifierName(k) {
		return k
	}
	return quoteJS(k)
}

func isIdentifierName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && r >= '0' && r <= '9'
		if !ok {
			return false
		}
	}
	return true
}

func (in *inspector) function(obj *goja.Object, ctorName string, level, indent int) string {
	name := ""
	if n := obj.Get("name"); n != nil && !goja.IsUndefined(n) {
		name = n.String()
	}
	kind := "Function"
	switch ctorName {
	case "AsyncFunction", "GeneratorFunction", "AsyncGeneratorFunction":
		kind = ctorName
	}
	var head string
	if src := obj.String(); strings.HasPrefix(src, "class ") || strings.HasPrefix(src, "class{") {
		head = "[class " + name
		if name == "" {
			head = "[class (anonymous)"
		}
		if parent := obj.Prototype(); parent != nil {
			if pn := parent.Get("name"); pn != nil && pn.String() != "" {
				head += " extends " + pn.String()
			}
		}
		head += "]"
	} else if name == "" {
		head = "[" + kind + " (anonymous)]"
	} else {
		head = "[" + kind + ": " + name + "]"
	}
	keys := safeKeys(in.vm, obj)
	if len(keys) == 0 || level > in.depth && in.depth >= 0 {
		return head
	}
	entries := make([]string, 0, len(keys))
	for _, k := range keys {
		entries = append(entries, propertyKey(k)+": "+in.property(obj, k, level, indent))
	}
	return head + " " + wrapEntries("{", "}", entries, indent)
}

func (in *inspector) array(obj *goja.Object, ctorName string, level, indent int) string {
	n := int(obj.Get("length").ToInteger())
	prefix := ""
	if ctorName != "" && ctorName != "Array" {
		prefix = fmt.Sprintf("%s(%d) ", ctorName, n)
	}
	if n == 0 && len(safeKeys(in.vm, obj)) == 0 {
		return prefix + "[]"
	}
	if level > in.depth && in.depth >= 0 {
		return "[Array]"
	}
	shown := min(n, maxArrayItems)
	entries := make([]string, 0, shown+1)
	for i := 0; i < shown; i++ {
		entries = append(entries, in.property(obj, strconv.Itoa(i), level, indent))
	}
	if n > shown {
		entries = append(entries, fmt.Sprintf("... %d more item%s", n-shown, plural(n-shown)))
	}
	for _, k := range safeKeys(in.vm, obj) {
		if _, err := strconv.Atoi(k); err == nil {
			continue
		}
		entries = append(entries, propertyKey(k)+": "+in.property(obj, k, level, indent))
	}
	return prefix + wrapArray(entries, indent)
}

var typedArrayNames = map[string]bool{
	"Int8Array": true, "Uint8Array": true, "Uint8ClampedArray": true, "Int16Array": true,
	"Uint16Array": true, "Int32Array": true, "Uint32Array": true, "Float32Array": true,
	"Float64Array": true, "BigInt64Array": true, "BigUint64Array": true, "Buffer": true,
}

func (in *inspector) typedArray(obj *goja.Object, ctorName string, level, indent int) string {
	n := int(obj.Get("length").ToInteger())
	if ctorName == "Buffer" {
		if b, ok := obj.Export().([]byte); ok {
			return "<Buffer" + prefixSpace(hexBytes(b, 50)) + ">"
		}
	}
	shown := min(n, maxArrayItems)
	entries := make([]string, 0, shown+1)
	for i := 0; i < shown; i++ {
		entries = append(entries, in.property(obj, strconv.Itoa(i), level, indent))
	}
	if n > shown {
		entries = append(entries, fmt.Sprintf("... %d more item%s", n-shown, plural(n-shown)))
	}
	if n == 0 {
		return fmt.Sprintf("%s(0) []", ctorName)
	}
	return fmt.Sprintf("%s(%d) %s", ctorName, n, wrapArray(entries, indent))
}

func prefixSpace(s string) string {
	if s == "" {
		return ""
	}
	return " " + s
}

func hexBytes(b []byte, limit int) string {
	var parts []string
	for i, c := range b {
		if i == limit {
			parts = append(parts, fmt.Sprintf("... %d more byte%s", len(b)-limit, plural(len(b)-limit)))
			break
		}
		parts = append(parts, fmt.Sprintf("%02x", c))
	}
	return strings.Join(parts, " ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func (in *inspector) collection(obj *goja.Object, class string, level, indent int) string {
	size := int(obj.Get("size").ToInteger())
	head := fmt.Sprintf("%s(%d) ", class, size)
	if size == 0 {
		return head + "{}"
	}
	if level > in.depth && in.depth >= 0 {
		return "[" + class + "]"
	}
	var entries []string
	ex := in.vm.Try(func() {
		in.vm.ForOf(obj, func(cur goja.Value) bool {
			if class == "Map" {
				pair := cur.(*goja.Object)
				entries = append(entries, in.value(pair.Get("0"), level+1, indent+2)+" => "+in.value(pair.Get("1"), level+1, indent+2))
			} else {
				entries = append(entries, in.value(cur, level+1, indent+2))
			}
			return len(entries) < maxArrayItems
		})
	})
	if ex != nil {
		return head + "{ <items unknown> }"
	}
	return head + wrapEntries("{", "}", entries, indent)
}

func (in *inspector) date(obj *goja.Object) string {
	var s string
	if ex := in.vm.Try(func() {
		fn, _ := goja.AssertFunction(obj.Get("toISOString"))
		v, err := fn(obj)
		if err != nil {
			panic(err)
		}
		s = v.String()
	}); ex != nil {
		return "Invalid Date"
	}
	return s
}

func (in *inspector) promise(obj *goja.Object, level, indent int) string {
	p, ok := obj.Export().(*goja.Promise)
	if !ok {
		return "Promise {}"
	}
	switch p.State() {
	case goja.PromiseStatePending:
		return "Promise { <pending> }"
	case goja.PromiseStateRejected:
		return "Promise { <rejected> " + in.value(p.Result(), level+1, indent+2) + " }"
	default:
		return wrapEntries("Promise {", "}", []string{in.value(p.Result(), level+1, indent+2)}, indent)
	}
}

func isError(vm *goja.Runtime, obj *goja.Object) bool {
	return isErrorObject(vm, obj)
}

// instanceOf reports whether obj is an instance of the global constructor
// named ctor.
func instanceOf(vm *goja.Runtime, obj *goja.Object, ctor string) bool {
	c, ok := vm.Get(ctor).(*goja.Object)
	if !ok {
		return false
	}
	is := false
	if ex := vm.Try(func() { is = vm.InstanceOf(obj, c) }); ex != nil {
		return false
	}
	return is
}

func (in *inspector) errorValue(obj *goja.Object, level, indent int) string {
	text := ""
	if st := obj.Get("stack"); st != nil && !goja.IsUndefined(st) {
		text = cleanStack(st.String())
	}
	if text == "" {
		text = errorHeader(in.vm, obj)
	}
	if level > 0 {
		text = strings.ReplaceAll(text, "\n", "\n"+strings.Repeat(" ", indent))
	}
	var entries []string
	for _, k := range safeKeys(in.vm, obj) {
		if k == "stack" || k == "message" {
			continue
		}
		entries = append(entries, propertyKey(k)+": "+in.property(obj, k, level, indent))
	}
	if cause := obj.Get("cause"); cause != nil && !goja.IsUndefined(cause) && !hasKey(safeKeys(in.vm, obj), "cause") {
		entries = append(entries, "[cause]: "+in.value(cause, level+1, indent+2))
	}
	if len(entries) == 0 {
		return text
	}
	return text + " " + wrapLines("{", "}", entries, indent)
}

func hasKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// cleanStack drops goja's "(pc)" suffixes from a stack string and indents
// frames as Node does.
func cleanStack(stack string) string {
	lines := strings.Split(strings.TrimRight(stack, "\n"), "\n")
	for i, line := range lines {
		trimmed := strings.TrimSpace(line)
		if !strings.HasPrefix(trimmed, "at ") {
			continue
		}
		rest := trimmed[3:]
		if strings.HasSuffix(rest, "))") {
			rest = stripPC(rest[:len(rest)-1]) + ")"
		} else {
			rest = stripPC(rest)
		}
		lines[i] = "    at " + rest
	}
	return strings.Join(lines, "\n")
}

// wrapEntries joins entries on one line when they fit, else one per line.
func wrapEntries(open, close string, entries []string, indent int) string {
	if len(entries) == 0 {
		return open + close
	}
	total := len(open) + len(close) + indent + 2
	multiline := false
	for _, e := range entries {
		total += len(e) + 2
		if strings.Contains(e, "\n") {
			multiline = true
		}
	}
	if !multiline && total <= breakLength-8 {
		return open + " " + strings.Join(entries, ", ") + " " + close
	}
	return wrapLines(open, close, entries, indent)
}

func wrapLines(open, close string, entries []string, indent int) string {
	pad := strings.Repeat(" ", indent+2)
	return open + "\n" + pad + strings.Join(entries, ",\n"+pad) + "\n" + strings.Repeat(" ", indent) + close
}

// wrapArray prints short items of long arrays in aligned rows rather than
// one per line.
func wrapArray(entries []string, indent int) string {
	if len(entries) <= 6 {
		return wrapEntries("[", "]", entries, indent)
	}
	maxLen := 0
	numeric := true
	for _, e := range entries {
		if strings.Contains(e, "\n") {
			return wrapEntries("[", "]", entries, indent)
		}
		maxLen = max(maxLen, utf8.RuneCountInString(e))
		if _, err := strconv.ParseFloat(strings.TrimSuffix(e, "n"), 64); err != nil {
			numeric = false
		}
	}
	if maxLen > 16 {
		return wrapLines("[", "]", entries, indent)
	}
	cell := maxLen + 2
	cols := int(math.Round(math.Sqrt(2.5 * float64(len(entries)) / float64(max(cell-3, 1)))))
	cols = min(max(cols, 1), 16, (breakLength-indent-2)/cell)
	if cols <= 1 {
		return wrapLines("[", "]", entries, indent)
	}
	widths := make([]int, cols)
	for i, e := range entries {
		widths[i%cols] = max(widths[i%cols], utf8.RuneCountInString(e))
	}
	pad := strings.Repeat(" ", indent+2)
	var rows []string
	for i := 0; i < len(entries); i += cols {
		var cells []string
		for j := i; j < min(i+cols, len(entries)); j++ {
			e := entries[j]
			gap := strings.Repeat(" ", widths[j-i]-utf8.RuneCountInString(e))
			if j < len(entries)-1 {
				e += ","
			}
			if numeric {
				cells = append(cells, gap+e)
			} else {
				cells = append(cells, e+gap)
			}
		}
		rows = append(rows, pad+strings.TrimRight(strings.Join(cells, " "), " "))
	}
	return "[\n" + strings.Join(rows, "\n") + "\n" + strings.Repeat(" ", indent) + "]"
}

// Format renders console and util.format arguments: printf-style
// placeholders (%s %d %i %f %j %o %O %c %%) in a leading string, then the
// remaining arguments, strings as they are and other values inspected.
// Loop goroutine only.
func Format(vm *goja.Runtime, args []goja.Value) string {
	if len(args) == 0 {
		return ""
	}
	var b strings.Builder
	rest := args
	if s, ok := args[0].Export().(string); ok && strings.IndexByte(s, '%') >= 0 {
		rest = args[1:]
		for i := 0; i < len(s); i++ {
			c := s[i]
			if c != '%' || i+1 == len(s) {
				b.WriteByte(c)
				continue
			}
			verb := s[i+1]
			if verb == '%' {
				b.WriteByte('%')
				i++
				continue
			}
			if !strings.ContainsRune("sdifjoOc", rune(verb)) || len(rest) == 0 {
				b.WriteByte(c)
				continue
			}
			arg := rest[0]
			rest = rest[1:]
			i++
			b.WriteString(formatVerb(vm, verb, arg))
		}
	} else {
		b.WriteString(formatArg(vm, args[0]))
		rest = args[1:]
	}
	for _, a := range rest {
		b.WriteByte(' ')
		b.WriteString(formatArg(vm, a))
	}
	return b.String()
}

func formatArg(vm *goja.Runtime, v goja.Value) string {
	if _, ok := v.(*goja.Symbol); ok {
		return primitive(v, false)
	}
	if s, ok := v.Export().(string); ok {
		if _, isObj := v.(*goja.Object); !isObj {
			return s
		}
	}
	return Inspect(vm, v, InspectOptions{})
}

func formatVerb(vm *goja.Runtime, verb byte, arg goja.Value) string {
	switch verb {
	case 's':
		if _, ok := arg.(*goja.Object); ok {
			return Inspect(vm, arg, InspectOptions{Depth: Depth(1)})
		}
		return primitive(arg, false)
	case 'd', 'i':
		if _, ok := arg.(*goja.Object); ok {
			return "NaN"
		}
		if bi, ok := arg.Export().(*big.Int); ok {
			return bi.String() + "n"
		}
		f := arg.ToFloat()
		if verb == 'i' && !math.IsNaN(f) && !math.IsInf(f, 0) {
			f = math.Trunc(f)
		}
		return vm.ToValue(f).String()
	case 'f':
		return vm.ToValue(arg.ToFloat()).String()
	case 'j':
		var out string
		if ex := vm.Try(func() {
			stringify, _ := goja.AssertFunction(vm.Get("JSON").(*goja.Object).Get("stringify"))
			v, err := stringify(goja.Undefined(), arg)
			if err != nil {
				panic(err)
			}
			out = v.String()
		}); ex != nil {
			return "[Circular]"
		}
		return out
	case 'o':
		return Inspect(vm, arg, InspectOptions{Depth: Depth(4)})
	case 'O':
		return Inspect(vm, arg, InspectOptions{})
	case 'c':
		return ""
	}
	return ""
}
