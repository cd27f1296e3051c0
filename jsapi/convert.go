package jsapi

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/dop251/goja"

	"github.com/alchemy-go/alchemy/value"
)

// Conversion between JS values and the value model. JS → value follows the
// TypeScript library's serializer: own symbol keys (registered symbols only)
// before string keys, Secret instances as secrets, Dates, Uint8Arrays
// (Buffers) as buffers, Scope objects as scope markers; undefined and
// functions are dropped from objects and become null in arrays, as
// JSON.stringify does. value → JS is its deserializer: "Symbol(x)" keys
// become Symbol.for("x") keys, scope markers the scope the value belongs to.

// maxDepth bounds nesting, so that a cyclic value fails clearly.
const maxDepth = 128

// convertError is a value that cannot be converted, with the path to it.
type convertError struct {
	path []string // innermost last
	msg  string
}

func (e *convertError) Error() string {
	if len(e.path) == 0 {
		return e.msg
	}
	return e.Path() + ": " + e.msg
}

// Path returns where the bad value sits, e.g. "bindings.TOKEN" or "tags[2]".
func (e *convertError) Path() string {
	var b strings.Builder
	for _, seg := range e.path {
		if strings.HasPrefix(seg, "[") || b.Len() == 0 {
			b.WriteString(seg)
			continue
		}
		b.WriteByte('.')
		b.WriteString(seg)
	}
	return b.String()
}

// within adds a path segment in front of a conversion error.
func within(err error, seg string) error {
	if ce, ok := err.(*convertError); ok {
		ce.path = append([]string{seg}, ce.path...)
		return ce
	}
	return err
}

// toValue converts a JS value for state and providers. A nil result stands
// for undefined.
func (r *realm) toValue(v goja.Value) (value.Value, error) {
	return r.convert(v, 0)
}

func (r *realm) convert(v goja.Value, depth int) (value.Value, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case *goja.Object:
		return r.convertObject(x, depth)
	case *goja.Symbol:
		desc := x.String()
		if r.symbol(desc) != x {
			return nil, &convertError{msg: fmt.Sprintf("cannot store the unique symbol Symbol(%s): use Symbol.for", desc)}
		}
		return value.Symbol(desc), nil
	}
	switch e := v.Export().(type) {
	case nil:
		if goja.IsNull(v) {
			return value.Null{}, nil
		}
		return nil, nil
	case string:
		return value.String(e), nil
	case int64:
		return value.Number(e), nil
	case float64:
		return value.Number(e), nil
	case bool:
		return value.Bool(e), nil
	case *big.Int:
		return nil, &convertError{msg: "a BigInt cannot be stored in state"}
	}
	return nil, &convertError{msg: fmt.Sprintf("cannot store a value of type %s", v.ExportType())}
}

func (r *realm) convertObject(o *goja.Object, depth int) (value.Value, error) {
	if depth >= maxDepth {
		return nil, &convertError{msg: "nested too deeply (is the value cyclic?)"}
	}
	proto := o.Prototype()
	if proto == r.objectProto {
		return r.convertFields(o, depth)
	}
	if _, isFn := goja.AssertFunction(o); isFn {
		return nil, nil
	}
	switch o.ClassName() {
	case "Array":
		return r.convertArray(o, depth)
	case "Date":
		return r.convertDate(o)
	}
	switch {
	case proto == r.secretProto || r.vm.InstanceOf(o, r.secretCtor):
		inner, err := r.convert(o.Get("unencrypted"), depth+1)
		if err != nil {
			return nil, within(err, "unencrypted")
		}
		s := &value.Secret{Value: inner}
		if name := o.Get("name"); name != nil && !goja.IsUndefined(name) {
			s.Name = name.String()
		}
		return s, nil
	case proto == r.scopeProto || r.vm.InstanceOf(o, r.scopeCtor):
		return value.ScopeRef{}, nil
	}
	if b, ok := o.Export().([]uint8); ok {
		return value.Buffer(append([]byte(nil), b...)), nil
	}
	return r.convertFields(o, depth)
}

// convertFields converts an object's own symbol keys and enumerable string
// keys, in that order.
func (r *realm) convertFields(o *goja.Object, depth int) (value.Value, error) {
	keys := o.Keys()
	syms := o.Symbols()
	out := value.NewObject(len(keys) + len(syms))
	for _, sym := range syms {
		desc := sym.String()
		if r.symbol(desc) != sym {
			return nil, &convertError{msg: fmt.Sprintf("cannot store the unique symbol key Symbol(%s): use Symbol.for", desc)}
		}
		key := "Symbol(" + desc + ")"
		v, err := r.convert(o.GetSymbol(sym), depth+1)
		if err != nil {
			return nil, within(err, key)
		}
		out.Set(key, v)
	}
	for _, k := range keys {
		v, err := r.convert(o.Get(k), depth+1)
		if err != nil {
			return nil, within(err, k)
		}
		out.Set(k, v)
	}
	return out, nil
}

func (r *realm) convertArray(o *goja.Object, depth int) (value.Value, error) {
	n := int(o.Get("length").ToInteger())
	arr := make(value.Array, n)
	for i := range n {
		v, err := r.convert(o.Get(strconv.Itoa(i)), depth+1)
		if err != nil {
			return nil, within(err, "["+strconv.Itoa(i)+"]")
		}
		if v == nil {
			v = value.Null{}
		}
		arr[i] = v
	}
	return arr, nil
}

func (r *realm) convertDate(o *goja.Object) (value.Value, error) {
	ms := o.ToNumber().ToFloat()
	if ms != ms { // NaN: toISOString throws on it
		return nil, &convertError{msg: "invalid Date"}
	}
	return value.Date{Millis: int64(ms)}, nil
}

// toJS converts a value for the program. sc is the scope scope markers
// stand for (nil leaves them undefined).
func (r *realm) toJS(v value.Value, sc *scope) goja.Value {
	vm := r.vm
	switch x := v.(type) {
	case nil:
		return goja.Undefined()
	case value.Null:
		return goja.Null()
	case value.Bool:
		return vm.ToValue(bool(x))
	case value.Number:
		return vm.ToValue(float64(x))
	case value.String:
		return vm.ToValue(string(x))
	case value.Array:
		items := make([]any, len(x))
		for i, item := range x {
			items[i] = r.toJS(item, sc)
		}
		return vm.NewArray(items...)
	case *value.Object:
		return r.toJSObject(x, sc)
	case *value.Secret:
		args := []goja.Value{r.toJS(x.Value, sc)}
		if x.Name != "" {
			args = append(args, vm.ToValue(x.Name))
		}
		obj, err := vm.New(r.secretCtor, args...)
		if err != nil {
			panic(err)
		}
		return obj
	case value.Date:
		obj, err := vm.New(r.dateCtor, vm.ToValue(x.Millis))
		if err != nil {
			panic(err)
		}
		return obj
	case value.Symbol:
		return r.symbol(string(x))
	case value.ScopeRef:
		if sc == nil {
			return goja.Undefined()
		}
		return r.scopeObject(sc)
	case value.Buffer:
		return r.buffer(append([]byte(nil), x...))
	}
	panic(fmt.Sprintf("jsapi: cannot convert %T to JS", v))
}

// toJSObject converts an object; "Symbol(x)" keys become Symbol.for("x")
// keys. Own data properties are defined directly, so that keys such as
// "__proto__" stay ordinary properties.
func (r *realm) toJSObject(o *value.Object, sc *scope) *goja.Object {
	obj := r.vm.NewObject()
	if o == nil {
		return obj
	}
	for k, v := range o.All {
		jv := r.toJS(v, sc)
		if value.IsSymbolKey(k) {
			_ = obj.DefineDataPropertySymbol(r.symbol(k[len("Symbol("):len(k)-1]), jv, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
			continue
		}
		_ = obj.DefineDataProperty(k, jv, goja.FLAG_TRUE, goja.FLAG_TRUE, goja.FLAG_TRUE)
	}
	return obj
}

// symbol returns Symbol.for(desc).
func (r *realm) symbol(desc string) *goja.Symbol {
	if s, ok := r.symbols[desc]; ok {
		return s
	}
	v, err := r.symbolFor(goja.Undefined(), r.vm.ToValue(desc))
	if err != nil {
		panic(err)
	}
	s := v.(*goja.Symbol)
	r.symbols[desc] = s
	return s
}

// buffer returns a Node Buffer over b (a Uint8Array where Buffer is not
// available).
func (r *realm) buffer(b []byte) goja.Value {
	vm := r.vm
	ab := vm.ToValue(vm.NewArrayBuffer(b))
	if ctor, ok := vm.Get("Buffer").(*goja.Object); ok {
		if from, ok := goja.AssertFunction(ctor.Get("from")); ok {
			if v, err := from(ctor, ab); err == nil {
				return v
			}
		}
	}
	arr, err := vm.New(vm.Get("Uint8Array"), ab)
	if err != nil {
		panic(err)
	}
	return arr
}
